package seeds_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/seeds"
)

func TestEmbeddedCorpus(t *testing.T) {
	c, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Docs) != 5 {
		t.Fatalf("%d documents, want 5", len(c.Docs))
	}
	for _, tc := range []struct {
		doc, para, furniture, prefix string
	}{
		{"d000", "p5", "", "Germany, Poland, Italy, Sweden, France and the UK are discussing possible peacekeeping forces."},
		{"d000", "p25", "embedded post", "🇵🇱"},
		{"d001", "p7", "", "At present, however, only France"},
		{"d001", "p14", "translation credit", "English version"},
		{"d002", "p6", "repeated", "Europe is focusing"},
		{"d004", "p14", "video placeholder", "Loading video..."},
		{"d004", "p59", "app advertising", "Apple App Store Badge"},
	} {
		d, _ := c.Doc(tc.doc)
		p, ok := d.Paragraph(tc.para)
		if !ok || p.Furniture != tc.furniture || !strings.HasPrefix(p.Text, tc.prefix) {
			t.Errorf("%s:%s = %+v, want furniture %q and text starting %q", tc.doc, tc.para, p, tc.furniture, tc.prefix)
		}
	}
	d, _ := c.Doc("d000")
	if p, _ := d.Paragraph("p5"); strings.Contains(p.Text, "Show more") || !strings.HasSuffix(p.Raw, "Show more") {
		t.Errorf("the furniture suffix should leave the text and stay in the raw line: %+v", p)
	}
	d1, _ := c.Doc("d001")
	if p, _ := d1.Paragraph("p7"); !strings.Contains(p.Text, "the Bundeswehr is far from being in good shape") {
		t.Errorf("a line broken mid-sentence should join its paragraph: %q", p.Text)
	}
}

// TestFilesByteForByte: the embedded documents are the shared seeds, unchanged.
func TestFilesByteForByte(t *testing.T) {
	shared, _ := filepath.Glob("../../shared/seeds/*.txt")
	if len(shared) == 0 {
		t.Skip("../../shared/seeds not beside the project; nothing to compare against")
	}
	for _, f := range shared {
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("docs", filepath.Base(f)))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s differs from the shared seed", filepath.Base(f))
		}
	}
}

func TestDatesAndTranslation(t *testing.T) {
	c, _ := seeds.Load(seeds.Embedded())
	for id, want := range map[string]string{
		"d000": "undated, not before 20 August 2025",
		"d001": "22 August 2025 (inferred)",
		"d003": "16 August 2025",
		"d004": "20 August 2025 (inferred)",
	} {
		d, _ := c.Doc(id)
		if got := d.DateLabel(); got != want {
			t.Errorf("%s date %q, want %q", id, got, want)
		}
	}
	for id, want := range map[string]bool{"d000": false, "d001": true, "d003": false, "d004": true} {
		if d, _ := c.Doc(id); d.Translated != want {
			t.Errorf("%s translated = %v", id, d.Translated)
		}
	}
}

func TestLoadFromFolder(t *testing.T) {
	c, err := seeds.Load(os.DirFS("."))
	if err != nil || len(c.Docs) != 5 {
		t.Fatalf("loading the folder: %v", err)
	}
}

func TestBrokenMetadata(t *testing.T) {
	fsys := fstest.MapFS{
		"documents.yaml": {Data: []byte(`documents:
  - {id: "Bad Id", file: a.txt, title: A}
  - {id: b, file: missing.txt, title: B}
  - {id: c, file: c.txt, title: C, date: "20 Aug", furniture: [{exact: nope, why: x}]}
  - {id: d, file: d.txt, title: D, date_inferred: true, date: "2025-08-01"}
  - {id: e, file: d.txt, title: E, url: "javascript:alert(1)"}
`)},
		"docs/a.txt": {Data: []byte("text\n")},
		"docs/c.txt": {Data: []byte("text\n")},
		"docs/d.txt": {Data: []byte("text\n")},
	}
	_, err := seeds.Load(fsys)
	if err == nil {
		t.Fatal("broken metadata accepted")
	}
	for _, want := range []string{`id "Bad Id"`, "missing.txt", `date "20 Aug"`, "matches no paragraph", "needs date_basis", `url "javascript:alert(1)" is not an http(s) address`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestURL(t *testing.T) {
	fsys := fstest.MapFS{
		"documents.yaml": {Data: []byte("documents:\n  - {id: a, file: a.txt, title: A, url: \"https://example.org/a\"}\n  - {id: b, file: a.txt, title: B}\n")},
		"docs/a.txt":     {Data: []byte("text\n")},
	}
	c, err := seeds.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Doc("a")
	b, _ := c.Doc("b")
	if a.URL != "https://example.org/a" || b.URL != "" {
		t.Errorf("urls %q and %q", a.URL, b.URL)
	}
}

func TestSplit(t *testing.T) {
	ps := seeds.Split("One.\n\nTwo starts here and\ncontinues here.\nThree\n\n\nFour.")
	var got []string
	for _, p := range ps {
		got = append(got, p.ID+"@"+string(rune('0'+p.Line))+":"+p.Text)
	}
	want := []string{"p1@1:One.", "p2@3:Two starts here and continues here.", "p3@5:Three", "p4@8:Four."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Split = %q, want %q", got, want)
	}
}
