package seeds

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

type metaFile struct {
	Documents []metaDoc `yaml:"documents"`
}

type metaDoc struct {
	ID               string     `yaml:"id"`
	File             string     `yaml:"file"`
	URL              string     `yaml:"url,omitempty" json:"url,omitempty"`
	Title            string     `yaml:"title"`
	TitlePrinted     bool       `yaml:"title_printed"`
	Outlet           string     `yaml:"outlet"`
	Author           string     `yaml:"author"`
	Date             string     `yaml:"date"`
	DateInferred     bool       `yaml:"date_inferred"`
	NotBefore        string     `yaml:"not_before"`
	DateBasis        string     `yaml:"date_basis"`
	Dateline         string     `yaml:"dateline"`
	Translated       bool       `yaml:"translated"`
	TranslationBasis string     `yaml:"translation_basis"`
	Furniture        []furnRule `yaml:"furniture"`
}

type furnRule struct {
	Exact    string `yaml:"exact"`
	Contains string `yaml:"contains"`
	Suffix   string `yaml:"suffix"`
	From     string `yaml:"from"`
	Para     string `yaml:"para"`
	Why      string `yaml:"why"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Load reads documents.yaml and the documents it names from fsys. Every
// problem is reported, joined into one error.
func Load(fsys fs.FS) (*Corpus, error) {
	raw, err := fs.ReadFile(fsys, MetadataFile)
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	var meta metaFile
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&meta); err != nil {
		return nil, fmt.Errorf("seeds: %s: %w", MetadataFile, err)
	}
	c := &Corpus{}
	var errs []error
	for i, m := range meta.Documents {
		d, err := loadDoc(fsys, m)
		if err != nil {
			errs = append(errs, fmt.Errorf("seeds: %s: document %d (%s): %w", MetadataFile, i+1, m.ID, err))
			continue
		}
		c.Docs = append(c.Docs, d)
	}
	if len(meta.Documents) == 0 {
		errs = append(errs, fmt.Errorf("seeds: %s lists no documents", MetadataFile))
	}
	if err := c.index(); err != nil {
		errs = append(errs, fmt.Errorf("seeds: %w", err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func loadDoc(fsys fs.FS, m metaDoc) (*Document, error) {
	metaErr := m.validate()
	body, err := fs.ReadFile(fsys, path.Join("docs", m.File))
	if err != nil {
		return nil, errors.Join(metaErr, err)
	}
	if !utf8.Valid(body) {
		return nil, errors.Join(metaErr, fmt.Errorf("%s is not valid UTF-8", m.File))
	}
	d := &Document{
		ID: m.ID, File: m.File, URL: m.URL, Title: m.Title, TitlePrinted: m.TitlePrinted,
		Outlet: m.Outlet, Author: m.Author, Date: m.Date, DateInferred: m.DateInferred,
		NotBefore: m.NotBefore, DateBasis: m.DateBasis, Dateline: m.Dateline,
		Translated: m.Translated, TranslationBasis: m.TranslationBasis,
		Paragraphs: Split(string(body)),
	}
	if err := errors.Join(metaErr, applyFurniture(d, m.Furniture)); err != nil {
		return nil, err
	}
	return d, nil
}

func (m metaDoc) validate() error {
	var errs []error
	if !idPattern.MatchString(m.ID) {
		errs = append(errs, fmt.Errorf("id %q must be lower-case letters, digits, - or _", m.ID))
	}
	if m.File == "" || strings.ContainsAny(m.File, `/\`) {
		errs = append(errs, fmt.Errorf("file %q must be a plain file name in docs/", m.File))
	}
	if strings.TrimSpace(m.Title) == "" {
		errs = append(errs, errors.New("title is empty"))
	}
	for _, d := range []struct{ key, v string }{{"date", m.Date}, {"not_before", m.NotBefore}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not YYYY-MM-DD", d.key, d.v))
		}
	}
	if (m.DateInferred || m.NotBefore != "") && m.DateBasis == "" {
		errs = append(errs, errors.New("an inferred or bounded date needs date_basis"))
	}
	if m.Translated && m.TranslationBasis == "" {
		errs = append(errs, errors.New("translated needs translation_basis"))
	}
	if u, err := url.Parse(m.URL); m.URL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, fmt.Errorf("url %q is not an http(s) address", m.URL))
	}
	return errors.Join(errs...)
}

// Split cuts a text into paragraphs: each non-blank line is one, except that a
// line starting in lower case continues a previous line that did not end a
// sentence (a line broken mid-sentence). Ids are p1, p2, … in order, so they
// stay stable as long as the text does.
func Split(text string) []Paragraph {
	var out []Paragraph
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Line+lineCount(out[n-1].Raw) == i+1 && continues(out[n-1].Raw, trimmed) {
			out[n-1].Raw += "\n" + line
			out[n-1].Text += " " + trimmed
			continue
		}
		out = append(out, Paragraph{ID: fmt.Sprintf("p%d", len(out)+1), Line: i + 1, Raw: line, Text: trimmed})
	}
	return out
}

func lineCount(s string) int { return strings.Count(s, "\n") + 1 }

func continues(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(prev))
	first, _ := utf8.DecodeRuneInString(next)
	return !strings.ContainsRune(".!?:\"”’)…", last) && unicode.IsLower(first)
}

func applyFurniture(d *Document, rules []furnRule) error {
	var errs []error
	for i, r := range rules {
		if err := applyRule(d, r); err != nil {
			errs = append(errs, fmt.Errorf("furniture rule %d: %w", i+1, err))
		}
	}
	seen := make(map[string]bool, len(d.Paragraphs))
	for i := range d.Paragraphs {
		p := &d.Paragraphs[i]
		if p.Furniture == "" && seen[p.Text] {
			p.Furniture = "repeated"
		}
		seen[p.Text] = true
	}
	return errors.Join(errs...)
}

func applyRule(d *Document, r furnRule) error {
	if strings.TrimSpace(r.Why) == "" {
		return errors.New(`"why" is empty`)
	}
	set := 0
	for _, v := range []string{r.Exact, r.Contains, r.Suffix, r.From, r.Para} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return errors.New("give exactly one of exact, contains, suffix, from, para")
	}
	matched := false
	for i := range d.Paragraphs {
		p := &d.Paragraphs[i]
		switch {
		case r.Exact != "" && p.Text == r.Exact,
			r.Contains != "" && strings.Contains(p.Text, r.Contains),
			r.Para != "" && p.ID == r.Para:
			p.Furniture, matched = r.Why, true
		case r.From != "" && (p.Text == r.From || matched):
			p.Furniture, matched = r.Why, true
		case r.Suffix != "" && strings.HasSuffix(p.Text, r.Suffix):
			p.Text, matched = strings.TrimSpace(strings.TrimSuffix(p.Text, r.Suffix)), true
		}
	}
	if !matched {
		return fmt.Errorf("matches no paragraph of %s", d.File)
	}
	return nil
}
