package ingest

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/briefbot/briefbot/seeds"
)

// FuzzMetadata feeds arbitrary pages to the metadata extractors (meta
// tags, JSON-LD, the text): never a panic, every value one line of valid
// UTF-8, every date a real YYYY-MM-DD.
func FuzzMetadata(f *testing.F) {
	files, _ := filepath.Glob("testdata/pages/*.html")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"headline":["a",{"name":"b"}],"author":{"name":{"name":"x"}},"datePublished":"2025-02-30"}]}</script>`))
	f.Add([]byte(`<meta property="article:published_time" content="9999-99-99"><p>By Ann Lee</p><p>Monday, 31 February 2025</p>`))
	f.Add([]byte("<title>a | b</title><h1>\x00\u2028</h1><time pubdate datetime=\"2025-08-20\">"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, err := html.Parse(strings.NewReader(string(raw)))
		if err != nil {
			return
		}
		u, _ := url.Parse("https://news.example/2025/08/20/story")
		m := metaFrom(readPageMeta(doc), u, string(raw[:min(len(raw), 40)]))
		text := paragraphs(strings.ToValidUTF8(string(raw), ""))
		textMeta(&m, seeds.Split(text), time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC))
		for name, fl := range map[string]Field{"title": m.Title, "outlet": m.Outlet, "author": m.Author} {
			if strings.ContainsAny(fl.Value, "\n\r") || !utf8.ValidString(fl.Value) {
				t.Fatalf("%s %q is not one line of text", name, fl.Value)
			}
		}
		for name, fl := range map[string]Field{"date": m.Date, "not_before": m.NotBefore} {
			if _, err := time.Parse(time.DateOnly, fl.Value); fl.Value != "" && err != nil {
				t.Fatalf("%s %q is not a date", name, fl.Value)
			}
		}
	})
}

// FuzzFindDates: every date found is written in the text where it says,
// and is a real day.
func FuzzFindDates(f *testing.F) {
	for _, s := range []string{"Wednesday, August 20", "on 31 April 2025", "2025-02-29 and 2024-02-29", "the 3rd of May, 2025", "Sept. 1, 2024", "May"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range FindDates(text) {
			if d.Start < 0 || d.Start+len(d.Raw) > len(text) || text[d.Start:d.Start+len(d.Raw)] != d.Raw {
				t.Fatalf("mention %+v is not where it says", d)
			}
			if d.HasYear && (d.Date.Day() != d.Day || d.Date.Month() != d.Month) {
				t.Fatalf("%q is no real day: %v", d.Raw, d.Date)
			}
			if _, _, ok := ResolveYear(d, time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)); !ok && d.HasYear {
				t.Fatalf("a date with its year did not resolve: %+v", d)
			}
		}
	})
}

func TestFindDates(t *testing.T) {
	ref := time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"Wednesday, August 20", "2025-08-20"},
		{"Published 16 August 2025", "2025-08-16"},
		{"on the 3rd of May, 2024", "2024-05-03"},
		{"Sept. 1, 2024", "2024-09-01"},
		{"Monday, 20 August 2025", ""}, // 20 August 2025 is a Wednesday
		{"31 April 2025", ""},
		{"it may be", ""},
		{"Friday, 29 August", ""}, // no 29 August up to 25 August 2025 in the last three years was a Friday
		{"Thursday, 29 August", "2024-08-29"},
		{"2025-08-18", "2025-08-18"},
	} {
		got := ""
		if ds := FindDates(tc.text); len(ds) > 0 {
			if d, _, ok := ResolveYear(ds[0], ref); ok {
				got = d.Format(time.DateOnly)
			}
		}
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
}

// FuzzExtract feeds arbitrary bytes to the extractors as HTML, Markdown
// and text: a clean error or corpus text, never a panic.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/pages/*.html")
	for _, name := range files {
		raw, _ := os.ReadFile(name)
		f.Add(raw, "text/html")
	}
	f.Add([]byte("# T\n\n- a\n- b\n\n> q\n\n```\ncode\n```\n"), "text/markdown")
	f.Add([]byte("<table><tr><td><p>x</td></tr></table><svg><math><script>"), "text/html; charset=shift_jis")
	f.Fuzz(func(t *testing.T, raw []byte, ct string) {
		for _, kind := range []string{KindHTML, KindMarkdown, KindText} {
			ex, err := extract(&Source{Kind: kind, Body: raw, ContentType: ct}, Options{})
			if err != nil {
				continue
			}
			if !utf8.ValidString(ex.Text) {
				t.Fatalf("%s: the text is not UTF-8", kind)
			}
			if kind != KindText && strings.Contains(ex.Text, "\n\n\n") {
				t.Fatalf("%s: more than one blank line between paragraphs", kind)
			}
		}
	})
}
