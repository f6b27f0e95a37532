package draft

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

func TestAttributions(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`"We must help," said French President Emmanuel Macron, who leads.`, "French President Emmanuel Macron"},
		{"Poland will not, its defence minister Władysław Kosiniak-Kamysz told reporters.", "Władysław Kosiniak-Kamysz"},
		{"According to two European diplomats, plans exist.", "European diplomats"},
		{"The Kremlin has said no.", "Kremlin"},
		{"Russian officials said on Wednesday it was a target.", "Russian officials"},
		{"It was cold, he said.", "he"},
		{`"But if so," warns BBC security correspondent Frank Gardner.`, "BBC"},
		{"The weather was fine.", ""},
	} {
		as := Attributions(tc.text)
		got := ""
		if len(as) > 0 {
			got = as[0].Speaker
		}
		if !strings.HasPrefix(got, tc.want) || (tc.want == "" && got != "") {
			t.Errorf("%q: speaker %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestQuotesAndSpeakers(t *testing.T) {
	text := `The details should be "formalized on paper" within days, Zelensky said. “We will not act alone,” said Prime Minister Ulf Kristersson, calling it “a shield, not a sword”.`
	qs := Quotes(text)
	as := Attributions(text)
	var got []string
	for _, q := range qs {
		a, _ := speakerOf(q, as, text)
		got = append(got, q.Text+" — "+a.Speaker)
	}
	want := []string{"formalized on paper — Zelensky", "We will not act alone, — Prime Minister Ulf Kristersson", "a shield, not a sword — Prime Minister Ulf Kristersson"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Mr. Smith went to Washington. He met the U.S. envoy.": "Mr. Smith went to Washington.",
		`"We are ready," he said. Then he left.`:               `"We are ready," he said.`,
		"No stop at all":                                       "No stop at all",
		"He said: \"Go.\" Then left.":                          "He said: \"Go.\"",
	} {
		if got := FirstSentence(in); got != want {
			t.Errorf("FirstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolveWhen(t *testing.T) {
	doc := time.Date(2025, 8, 20, 0, 0, 0, 0, time.UTC) // a Wednesday
	for text, want := range map[string]string{
		"Leaders met on Monday in Washington.":       "2025-08-18 event",
		"Ministers will meet on Monday in Brussels.": "2025-08-25 next",
		"Talks are due to resume on 28 August.":      "2025-08-28 next",
		"The summit on 15 August 2025 ended early.":  "2025-08-15 event",
		"He spoke yesterday.":                        "2025-08-19 event",
		"Nothing dated here.":                        "",
		"The treaty of 3 January set it up.":         "",
	} {
		w, _, ok := resolveWhen(text, doc)
		got := ""
		if ok {
			got = w.Date + " " + w.Kind
		}
		if got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
	if _, _, ok := resolveWhen("Leaders met on Monday.", time.Time{}); ok {
		t.Error("a relative day resolved without a document date")
	}
}

// withDoc is the shipped corpus with one more document.
func withDoc(t *testing.T, e seeds.Entry, text string) *seeds.Corpus {
	t.Helper()
	fsys := fstest.MapFS{"docs/" + e.File: {Data: []byte(text)}}
	err := fs.WalkDir(seeds.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := fs.ReadFile(seeds.Embedded(), p)
			fsys[p] = &fstest.MapFile{Data: raw}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	meta, err := seeds.AppendEntry(fsys[seeds.MetadataFile].Data, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	fsys[seeds.MetadataFile] = &fstest.MapFile{Data: meta}
	c, err := seeds.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBuild drafts a small document against the shipped alias tables.
func TestBuild(t *testing.T) {
	corpus := withDoc(t, seeds.Entry{ID: "d009", File: "a.txt", Title: "A test page", Date: "2025-08-21"}, "Short heading\n\n"+
		`"We are ready to take our share of the burden on the ground," said French President Emmanuel Macron on Tuesday, after a call with Keir Starmer.`+"\n\n"+
		"The weather in the capital was warm and dry for most of the week, and the streets were quiet in the evenings.\n")
	shipped, problems := briefs.Load(briefs.Embedded(), "briefs", corpus)
	if problems != nil {
		t.Fatal(problems)
	}
	doc, _ := corpus.Doc("d009")
	d := Build(shipped, doc, time.Date(2025, 8, 22, 0, 0, 0, 0, time.UTC))
	if len(d.Brief.Sections) != 1 || len(d.Brief.Sections[0].Claims) != 2 {
		t.Fatalf("sections %+v", d.Brief.Sections)
	}
	c := d.Brief.Sections[0].Claims[0]
	if c.ID != "d009-p2" || !c.Draft || c.By != "macron" || !c.Reported || c.Quote != "We are ready to take our share of the burden on the ground" {
		t.Errorf("claim %+v", c)
	}
	if c.When == nil || c.When.Date != "2025-08-19" || !strings.Contains(c.When.Resolved, "on Tuesday") {
		t.Errorf("when %+v", c.When)
	}
	n := c.Drafted.Names
	if n == nil || strings.Join(n.People, ",") != "macron,starmer" || !strings.Contains(strings.Join(n.Actors, ","), "france") {
		t.Errorf("names %+v", n)
	}
	if !strings.Contains(c.Drafted.By, "guessed") || c.Drafted.Text == "" {
		t.Errorf("drafted %+v", c.Drafted)
	}
	if quiet := d.Brief.Sections[0].Claims[1]; quiet.Reported || quiet.By != "" || quiet.Drafted.Names != nil {
		t.Errorf("a paragraph naming no one and reporting nothing: %+v", quiet)
	}
	if len(d.Skipped) != 1 || !strings.Contains(d.Skipped[0], "d009:p1: too short") {
		t.Errorf("skipped %q", d.Skipped)
	}
	raw, err := d.YAML()
	if err != nil {
		t.Fatal(err)
	}
	all := fstest.MapFS{"documents/d009.yaml": {Data: raw}}
	_ = fs.WalkDir(briefs.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(briefs.Embedded(), p)
			all[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	set, problems := briefs.Load(all, "b", corpus)
	if problems != nil {
		t.Fatalf("the draft does not load:\n%v\n%s", problems, raw)
	}
	if _, served := set.Brief("doc-d009"); len(set.Drafts) != 2 || served {
		t.Errorf("%d drafts; the draft brief served: %v", len(set.Drafts), served)
	}
	if !strings.Contains(string(raw), "cite: ['d009:p2']") || !strings.Contains(string(raw), "- id: d009-p2\n        draft: true\n") {
		t.Errorf("draft layout:\n%s", raw)
	}
}

// FuzzAttributions: the reporting-pattern and quotation extractors never
// panic, and everything they return is where they say in the text.
func FuzzAttributions(f *testing.F) {
	for _, s := range []string{
		`"We must help Ukraine on the ground," said French President Emmanuel Macron.`,
		"According to four European officials, he offered to freeze the front lines.",
		`„Wir"“” «x y z» "a b c`, "said", "according to", "He said\u00a0that", "\xff said X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, a := range Attributions(text) {
			if a.Start < 0 || a.End > len(text) || a.Start > a.End || text[a.Start:a.End] != a.Words || a.Speaker == "" {
				t.Fatalf("attribution %+v is not where it says", a)
			}
		}
		as := Attributions(text)
		for _, q := range Quotes(text) {
			if q.Start < 0 || q.End > len(text) || !strings.Contains(text[q.Start:q.End], q.Text) {
				t.Fatalf("quote %+v is not where it says", q)
			}
			_, _ = speakerOf(q, as, text)
		}
		_ = FirstSentence(text)
		_, _, _ = resolveWhen(text, time.Date(2025, 8, 20, 0, 0, 0, 0, time.UTC))
	})
}
