// Package seeds holds the source documents of the corpus, byte-for-byte, with
// their metadata, and turns them into paragraphs with stable ids that briefs
// cite. The embedded set is the default; Load reads any folder of the same
// shape, for users who bring their own documents.
package seeds

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

//go:embed documents.yaml docs/*.txt
var embedded embed.FS

// Embedded returns the corpus shipped inside the binary.
func Embedded() fs.FS { return embedded }

// Dir returns the corpus in dir, or the embedded one when dir is empty.
func Dir(dir string) fs.FS {
	if dir == "" {
		return embedded
	}
	return os.DirFS(dir)
}

// MetadataFile is the name of the metadata file at the root of a corpus folder.
const MetadataFile = "documents.yaml"

// Corpus is a loaded, read-only set of documents.
type Corpus struct {
	Docs []*Document
	byID map[string]*Document
}

// Document is one source text with what is known about it.
type Document struct {
	ID               string
	File             string
	URL              string // where the text was fetched from and can be read, when known
	Title            string
	TitlePrinted     bool
	Outlet           string
	Author           string
	Date             string // YYYY-MM-DD, empty when unknown
	DateInferred     bool
	NotBefore        string // YYYY-MM-DD, for undated texts
	DateBasis        string
	Dateline         string
	Translated       bool
	TranslationBasis string
	Paragraphs       []Paragraph
	byID             map[string]int
}

// Paragraph is one paragraph of a document. Furniture paragraphs (navigation,
// adverts, embedded posts) are kept so ids never shift, but are never cited,
// searched or shown.
type Paragraph struct {
	ID        string // "p12"
	Line      int    // first line in the file, 1-based
	Text      string // article text (a furniture suffix removed)
	Raw       string // the paragraph as it stands in the file
	Furniture string // why it is not article text; empty for article text
}

// Doc returns the document with the given id.
func (c *Corpus) Doc(id string) (*Document, bool) {
	d, ok := c.byID[id]
	return d, ok
}

// Paragraph returns the paragraph with the given id.
func (d *Document) Paragraph(id string) (Paragraph, bool) {
	i, ok := d.byID[id]
	if !ok {
		return Paragraph{}, false
	}
	return d.Paragraphs[i], true
}

// Article returns the paragraphs that are article text.
func (d *Document) Article() []Paragraph {
	out := make([]Paragraph, 0, len(d.Paragraphs))
	for _, p := range d.Paragraphs {
		if p.Furniture == "" {
			out = append(out, p)
		}
	}
	return out
}

// DateLabel is the date as a reader should see it, saying when it is inferred
// or only bounded.
func (d *Document) DateLabel() string {
	switch {
	case d.Date != "" && d.DateInferred:
		return humanDate(d.Date) + " (inferred)"
	case d.Date != "":
		return humanDate(d.Date)
	case d.NotBefore != "":
		return "undated, not before " + humanDate(d.NotBefore)
	default:
		return "undated"
	}
}

// SortDate is the best date known for ordering: the date, else the earliest
// possible date.
func (d *Document) SortDate() string {
	if d.Date != "" {
		return d.Date
	}
	return d.NotBefore
}

// Source names the document for a citation: outlet, author and date where known.
func (d *Document) Source() string {
	var parts []string
	if d.Outlet != "" {
		parts = append(parts, d.Outlet)
	}
	if d.Author != "" {
		parts = append(parts, d.Author)
	}
	if len(parts) == 0 {
		parts = append(parts, "outlet not named")
	}
	parts = append(parts, d.DateLabel())
	return strings.Join(parts, ", ")
}

func humanDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

func (c *Corpus) index() error {
	c.byID = make(map[string]*Document, len(c.Docs))
	for _, d := range c.Docs {
		if _, dup := c.byID[d.ID]; dup {
			return fmt.Errorf("duplicate document id %q", d.ID)
		}
		c.byID[d.ID] = d
		d.byID = make(map[string]int, len(d.Paragraphs))
		for i, p := range d.Paragraphs {
			d.byID[p.ID] = i
		}
	}
	return nil
}
