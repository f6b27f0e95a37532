package seeds_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/seeds"
)

// FuzzLoad feeds arbitrary metadata and document text to the corpus
// loader, as a user's own corpus folder would: never a panic, and a
// refused corpus gets an error that says it is the corpus's.
func FuzzLoad(f *testing.F) {
	meta, err := fs.ReadFile(seeds.Embedded(), seeds.MetadataFile)
	if err != nil {
		f.Fatal(err)
	}
	doc, err := fs.ReadFile(seeds.Embedded(), "docs/000_a77cba6ffd7e05b7.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(meta, doc)
	f.Add([]byte("documents:\n  - {id: a, file: a.txt, title: A, furniture: [{from: \"\", why: x}, {suffix: \"\", why: y}]}\n"), []byte("\n\n\n"))
	f.Add([]byte("documents:\n  - {id: a, file: ../a.txt, title: A, date: 2025-02-30}\n"), []byte("x"))
	f.Fuzz(func(t *testing.T, meta, doc []byte) {
		fsys := fstest.MapFS{seeds.MetadataFile: {Data: meta}, "docs/a.txt": {Data: doc}, "docs/000_a77cba6ffd7e05b7.txt": {Data: doc}}
		c, err := seeds.Load(fsys)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "seeds: ") {
				t.Fatalf("error does not say where it comes from: %v", err)
			}
			return
		}
		for _, d := range c.Docs {
			for _, p := range d.Article() {
				if _, ok := d.Paragraph(p.ID); !ok {
					t.Fatalf("%s: paragraph %s listed but not found", d.ID, p.ID)
				}
			}
		}
	})
}
