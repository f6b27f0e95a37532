package seeds_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/seeds"
)

func TestAppendEntry(t *testing.T) {
	shipped, err := fs.ReadFile(seeds.Embedded(), seeds.MetadataFile)
	if err != nil {
		t.Fatal(err)
	}
	e := seeds.Entry{
		ID: "d005", File: "005_x.txt", URL: "https://example.org/a?b=1&c=\"2\"", Title: "A: title # not a comment",
		TitlePrinted: true, Date: "2025-08-21", DateBasis: "Stated: <meta property=\"article:published_time\">",
		Furniture: []seeds.FurnitureRule{{Exact: "Share this", Why: "share prompt"}, {From: "Read more:", Why: "related links"}},
	}
	notes := map[string]string{"title": "stated:\n<meta property=\"og:title\">", "outlet": "not found"}
	for _, tc := range []struct{ name, meta string }{
		{"shipped", string(shipped)},
		{"empty", string(seeds.EmptyMetadata())},
		{"no final newline", "documents:\n    - id: a\n      file: a.txt\n      title: A"},
	} {
		out, err := seeds.AppendEntry([]byte(tc.meta), e, notes)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.HasPrefix(string(out), strings.TrimSuffix(tc.meta, "\n")) {
			t.Errorf("%s: the existing text changed", tc.name)
		}
		entries, err := seeds.Entries(fstest.MapFS{seeds.MetadataFile: {Data: out}})
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, out)
		}
		got := entries[len(entries)-1]
		if got.URL != e.URL || got.Title != e.Title || got.DateBasis != e.DateBasis || len(got.Furniture) != 2 || got.Furniture[1].From != "Read more:" {
			t.Errorf("%s: read back %+v", tc.name, got)
		}
		if !strings.Contains(string(out), "# stated: <meta property=\"og:title\">\n") {
			t.Errorf("%s: the note is not a one-line comment:\n%s", tc.name, out)
		}
	}
	for _, bad := range []string{"documents: [{id: a}]\n", "documents:\n  - id: a\nother: 1\n", "", "documents: nope\n"} {
		if _, err := seeds.AppendEntry([]byte(bad), e, nil); err == nil {
			t.Errorf("appended to %q", bad)
		}
	}
}

func TestEmptyMetadata(t *testing.T) {
	raw := seeds.EmptyMetadata()
	entries, err := seeds.Entries(fstest.MapFS{seeds.MetadataFile: {Data: raw}})
	if err != nil || len(entries) != 0 || !strings.Contains(string(raw), "# Keys of a document:") {
		t.Fatalf("%v %v\n%s", entries, err, raw)
	}
}
