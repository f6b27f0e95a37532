// Package ingest adds documents to a corpus folder: it reads a text,
// Markdown or HTML file, or fetches a page over http(s) (public addresses
// only, unless allowed), extracts the article text with readability, keeps
// it one paragraph per line as the corpus does, proposes the metadata (each
// field stated or inferred, with its basis) and furniture rules in the
// format of documents.yaml, assigns the next stable id and writes the
// document and its entry so that nothing half-written is ever left behind.
package ingest

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefbot/briefbot/seeds"
)

// Options configure an Ingester.
type Options struct {
	AllowPrivate bool          // fetch from loopback and private addresses too
	MaxBytes     int64         // largest file or page; 0 means DefaultMaxBytes
	Timeout      time.Duration // per URL; 0 means DefaultTimeout
	Charset      string        // of text and Markdown files that are not UTF-8
	Now          func() time.Time

	allowAddr func(netip.Addr) bool // tests: which addresses may be dialled
	failAt    string                // tests: make a corpus write fail
}

// minWords is the least article text a document may have.
const minWords = 20

// Defaults of Options.
const (
	DefaultMaxBytes = 5 << 20
	DefaultTimeout  = 30 * time.Second
)

// Ingester adds documents to one corpus folder.
type Ingester struct {
	dir   string
	opts  Options
	fetch *fetcher
}

// New returns an Ingester for the corpus folder dir.
func New(dir string, o Options) *Ingester {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Ingester{dir: dir, opts: o, fetch: newFetcher(o)}
}

// Result is what one ingest did, for the curator to check.
type Result struct {
	Source     string
	Entry      seeds.Entry
	Meta       Metadata
	Paragraphs int // all paragraphs
	Article    int // paragraphs that are article text
	Check      []string
}

// Add ingests one source, a file name or an http(s) URL. On any error
// nothing has been written.
func (in *Ingester) Add(ctx context.Context, source string) (*Result, error) {
	src, err := in.read(ctx, source)
	if err != nil {
		return nil, err
	}
	src.Fetched = in.opts.Now()
	ex, err := extract(src, in.opts)
	if err != nil {
		return nil, err
	}
	d, err := prepare(src, ex)
	if err != nil {
		return nil, err
	}
	c, err := openCorpus(in.dir)
	if err != nil {
		return nil, err
	}
	defer c.close()
	c.failAt = in.opts.failAt
	if err := c.duplicate(ex.Text, src.URL, source, ex.Meta.Canonical); err != nil {
		return nil, err
	}
	id, number := c.nextID()
	d.entry.ID = id
	d.entry.File = number + "_" + fingerprint(ex.Text) + ".txt"
	if err := c.write(d.entry, ex.Text, d.notes); err != nil {
		return nil, err
	}
	return in.result(source, src, ex, d), nil
}

// read gets a source's bytes: a URL through the fetcher, a file by its
// extension.
func (in *Ingester) read(ctx context.Context, source string) (*Source, error) {
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		return in.fetch.fetch(ctx, source)
	}
	if strings.Contains(source, "://") {
		return nil, fmt.Errorf("%q: only http(s) URLs can be fetched", source)
	}
	return readFile(source, in.opts.MaxBytes)
}

func readFile(name string, maxBytes int64) (*Source, error) {
	kind := ""
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		kind = KindText
	case ".md", ".markdown":
		kind = KindMarkdown
	case ".html", ".htm", ".xhtml":
		kind = KindHTML
	case ".pdf":
		return nil, fmt.Errorf("%s is a PDF; briefbot ingests HTML pages and text, not PDF: save the article's text as a .txt file and ingest that", name)
	default:
		return nil, fmt.Errorf("%s: not a .txt, .md or .html file", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	body, err := readAllLimited(f, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if kind == KindHTML || kind == KindText {
		if _, err := kindOfContent("", body); err != nil && strings.Contains(err.Error(), "PDF") {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return &Source{Name: name, Kind: kind, Body: body}, nil
}

// prepared is a document ready to be written, but for its id and file.
type prepared struct {
	entry seeds.Entry
	notes map[string]string
	paras []seeds.Paragraph
	rules []seeds.FurnitureRule
	check []string
}

// prepare proposes the metadata and furniture of an extracted document,
// and refuses one with no article text left or that is a paywall stub.
func prepare(src *Source, ex *Extracted) (*prepared, error) {
	paras := seeds.Split(ex.Text)
	used := textMeta(&ex.Meta, paras, src.Fetched)
	rules, dropped := keepMatching(ex.Text, proposeFurniture(paras, used))
	e := seeds.Entry{
		URL: src.URL, Title: ex.Meta.Title.Value, TitlePrinted: ex.Meta.TitlePrinted,
		Outlet: ex.Meta.Outlet.Value, Author: ex.Meta.Author.Value, Date: ex.Meta.Date.Value,
		DateInferred: ex.Meta.Date.Value != "" && !ex.Meta.Date.Stated,
		NotBefore:    ex.Meta.NotBefore.Value, Furniture: rules,
		Translated: ex.Meta.Translated.Value == "true", TranslationBasis: ex.Meta.Translated.Basis,
	}
	if e.Title == "" {
		e.Title = "Untitled document"
	}
	e.DateBasis = dateBasis(ex.Meta)
	article := articleOf(ex.Text, rules)
	page := ex.pageText
	if page == "" {
		page = ex.Text
	}
	if why, stub := paywall(page, article); stub {
		return nil, fmt.Errorf("this looks like a paywall stub (%s); save the full article's text as a .txt file and ingest that", why)
	}
	if n := words(article); n < minWords {
		return nil, fmt.Errorf("empty extraction: %d words of article text are left once page furniture is set aside; nothing here reads as an article", n)
	}
	d := &prepared{entry: e, paras: paras, rules: rules, notes: fieldNotes(ex.Meta)}
	d.check = checks(src, ex, d, article, dropped)
	return d, nil
}

func dateBasis(m Metadata) string {
	switch {
	case m.Date.Value != "" && m.Date.Stated:
		return "Stated: " + m.Date.Basis
	case m.Date.Value != "":
		return "Inferred from " + m.Date.Basis
	case m.NotBefore.Value != "":
		return m.NotBefore.Basis
	}
	return ""
}

// fieldNotes are the comments written above the entry's keys.
func fieldNotes(m Metadata) map[string]string {
	notes := map[string]string{}
	for key, f := range map[string]Field{"title": m.Title, "outlet": m.Outlet, "author": m.Author} {
		if n := f.Note(); n != "" {
			notes[key] = n
		}
	}
	if notes["outlet"] == "" {
		notes["outlet"] = "not found: the page names no outlet"
	}
	if notes["author"] == "" {
		notes["author"] = "not found: no byline"
	}
	return notes
}

// keepMatching keeps the rules that match a paragraph of the text, so the
// proposed entry always loads, and returns the others.
func keepMatching(text string, rules []seeds.FurnitureRule) (kept, dropped []seeds.FurnitureRule) {
	for _, r := range rules {
		if loadsWith(text, []seeds.FurnitureRule{r}) == nil {
			dropped = append(dropped, r)
			continue
		}
		kept = append(kept, r)
	}
	return kept, dropped
}

func loadsWith(text string, rules []seeds.FurnitureRule) *seeds.Document {
	meta, err := seeds.AppendEntry(seeds.EmptyMetadata(), seeds.Entry{ID: "x", File: "x.txt", Title: "x", Furniture: rules}, nil)
	if err != nil {
		return nil
	}
	c, err := seeds.Load(overlay{base: emptyFS{}, files: map[string][]byte{seeds.MetadataFile: meta, "docs/x.txt": []byte(text)}})
	if err != nil {
		return nil
	}
	return c.Docs[0]
}

func articleOf(text string, rules []seeds.FurnitureRule) []seeds.Paragraph {
	if d := loadsWith(text, rules); d != nil {
		return d.Article()
	}
	return nil
}
