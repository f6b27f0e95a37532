package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/seeds"
)

// pages serves the news-page fixtures in testdata/pages from 127.0.0.1,
// with the debris a real site has and the failures a real fetch meets.
func pages(t *testing.T) *httptest.Server {
	t.Helper()
	file := func(name, ct string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			raw, err := os.ReadFile(filepath.Join("testdata", "pages", name))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			// Enormous inline data (a script's state, a data: image).
			raw = []byte(strings.ReplaceAll(string(raw), "@@BIGDATA@@", strings.Repeat("QUFB", 100_000)))
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write(raw)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/world/2025/08/21/coalition-guarantees", file("meta.html", "text/html; charset=utf-8"))
	mux.Handle("/copy-of-coalition", file("meta.html", "text/html"))
	mux.Handle("/nordic", file("jsonld.html", "text/html")) // the charset is in the page
	mux.Handle("/nordic-header", file("jsonld.html", "text/html; charset=windows-1252"))
	mux.Handle("/explainer", file("undated.html", "text/html"))
	mux.Handle("/paywalled", file("paywall.html", "text/html"))
	mux.Handle("/home", file("empty.html", "text/html"))
	mux.Handle("/report.pdf", file("article.pdf", "application/pdf"))
	mux.Handle("/report-no-type", file("article.pdf", ""))
	mux.HandleFunc("/logo.png", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body><p>" + strings.Repeat("word ", 400_000) + "</p></body></html>"))
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example/article.txt", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/nordic", http.StatusMovedPermanently)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// newCorpus creates an empty corpus folder.
func newCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := Init(dir, "", false); err != nil {
		t.Fatal(err)
	}
	return dir
}

var fixedNow = func() time.Time { return time.Date(2025, 8, 25, 12, 0, 0, 0, time.UTC) }

func local() Options { return Options{AllowPrivate: true, Now: fixedNow, Timeout: 2 * time.Second} }

func TestIngestPageWithMetaTags(t *testing.T) {
	srv, dir := pages(t), newCorpus(t)
	in := New(dir, local())
	res, err := in.Add(context.Background(), srv.URL+"/world/2025/08/21/coalition-guarantees")
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entry
	if e.ID != "d000" || !strings.HasPrefix(e.File, "000_") || e.URL != srv.URL+"/world/2025/08/21/coalition-guarantees" {
		t.Errorf("id %s, file %s, url %s", e.ID, e.File, e.URL)
	}
	want := map[string]string{"title": "Coalition leaders weigh a reassurance force as talks on guarantees resume",
		"outlet": "The Harbour Herald", "author": "Jana Novak", "date": "2025-08-21"}
	got := map[string]string{"title": e.Title, "outlet": e.Outlet, "author": e.Author, "date": e.Date}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !res.Meta.Date.Stated || !strings.Contains(e.DateBasis, "article:published_time") || e.DateInferred {
		t.Errorf("date basis %q, inferred %v", e.DateBasis, e.DateInferred)
	}
	c, err := seeds.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := c.Doc("d000")
	raw, _ := os.ReadFile(filepath.Join(dir, "docs", e.File))
	for _, debris := range []string{"QUFB", "window.__STATE__", "Skip to content", "Download our app", "Read more", "Harbour Herald"} {
		if strings.Contains(string(raw), debris) {
			t.Errorf("the text keeps %q", debris)
		}
	}
	var article []string
	for _, p := range d.Article() {
		article = append(article, p.Text)
	}
	joined := strings.Join(article, "\n")
	for _, furniture := range []string{"By Jana Novak", "Loading video...", "pic.twitter.com", "ADVERTISEMENT"} {
		if strings.Contains(joined, furniture) {
			t.Errorf("%q is left as article text", furniture)
		}
	}
	if len(article) != 7 || !strings.HasPrefix(article[1], `"We are ready to take our share of the burden on the ground," said French President Emmanuel Macron`) {
		t.Errorf("article paragraphs:\n%s", joined)
	}
	for i, p := range d.Paragraphs {
		if strings.Contains(p.Raw, "\n") || p.ID != fmt.Sprintf("p%d", i+1) {
			t.Errorf("paragraph %d is not one line with a stable id: %+v", i, p)
		}
	}
}

func TestIngestJSONLDAndCharset(t *testing.T) {
	srv := pages(t)
	for _, path := range []string{"/nordic", "/nordic-header"} {
		dir := newCorpus(t)
		res, err := New(dir, local()).Add(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatal(path, err)
		}
		e := res.Entry
		if e.Title != "Nordic ministers back air policing over western Ukraine" || e.Outlet != "Nordkurier Review" ||
			e.Author != "Erik Ségur, Mia Holm" || e.Date != "2025-08-19" || !strings.Contains(res.Meta.Author.Basis, "JSON-LD") {
			t.Errorf("%s: %+v", path, e)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, "docs", e.File))
		if !strings.Contains(string(raw), "Café owners") || !strings.Contains(string(raw), "“a shield, not a sword”") {
			t.Errorf("%s: windows-1252 not decoded:\n%s", path, raw)
		}
		if !slices.ContainsFunc(e.Furniture, func(r seeds.FurnitureRule) bool { return r.Why == "cookie notice" }) {
			t.Errorf("%s: no rule for the cookie notice: %+v", path, e.Furniture)
		}
	}
}

func TestIngestUndatedPage(t *testing.T) {
	srv, dir := pages(t), newCorpus(t)
	res, err := New(dir, local()).Add(context.Background(), srv.URL+"/explainer")
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entry
	if e.Date != "" || e.NotBefore != "2025-08-18" || !strings.Contains(e.DateBasis, "18 August 2025") {
		t.Errorf("date %q not_before %q basis %q", e.Date, e.NotBefore, e.DateBasis)
	}
	if !slices.ContainsFunc(res.Check, func(s string) bool { return strings.Contains(s, "not_before 2025-08-18") }) {
		t.Errorf("the check list does not name the bounded date: %q", res.Check)
	}
}

// snapshot is every file of a folder with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = string(b)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRefusalsLeaveNothingBehind(t *testing.T) {
	srv := pages(t)
	dir := newCorpus(t)
	if _, err := New(dir, local()).Add(context.Background(), srv.URL+"/nordic"); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, source, want string
		opts               func(*Options)
	}{
		{"same URL", srv.URL + "/nordic", "duplicate", nil},
		{"same URL after a redirect", srv.URL + "/moved", "duplicate", nil},
		{"same text elsewhere", srv.URL + "/nordic-header", "duplicate", nil},
		{"paywall stub", srv.URL + "/paywalled", "paywall stub", nil},
		{"empty extraction", srv.URL + "/home", "empty extraction", nil},
		{"PDF", srv.URL + "/report.pdf", "is a PDF", nil},
		{"PDF without a type", srv.URL + "/report-no-type", "is a PDF", nil},
		{"image", srv.URL + "/logo.png", "not a text page (Content-Type image/png)", nil},
		{"404", srv.URL + "/missing", "answered HTTP 404", nil},
		{"timeout", srv.URL + "/slow", "timed out", func(o *Options) { o.Timeout = 300 * time.Millisecond }},
		{"size cap", srv.URL + "/huge", "more than the 1048576 bytes allowed", func(o *Options) { o.MaxBytes = 1 << 20 }},
		{"redirect away from http", srv.URL + "/to-ftp", "not http(s)", nil},
		{"loopback without --allow-private", srv.URL + "/nordic", "127.0.0.1 is a private, loopback or link-local address", func(o *Options) { o.AllowPrivate = false }},
		{"localhost resolves to loopback", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/explainer", "loopback", func(o *Options) { o.AllowPrivate = false }},
		{"not http", "ftp://files.example/a.txt", "only http(s) URLs", nil},
		{"unknown file type", write("a.docx", "PK\x03\x04"), "not a .txt, .md or .html file", nil},
		{"binary .txt", write("b.txt", "GIF89a\x00\x01\x02"), "NUL bytes", nil},
		{"latin-1 .txt", write("c.txt", "Caf\xe9 owners said so.\n"), "--charset", nil},
		{"empty .txt", write("d.txt", "\n\n  \n"), "empty", nil},
		{"missing file", filepath.Join(tmp, "nope.html"), "no such file", nil},
		{"pdf file", write("e.pdf", "%PDF-1.4"), "is a PDF", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(t, dir)
			o := local()
			if tc.opts != nil {
				tc.opts(&o)
			}
			res, err := New(dir, o).Add(context.Background(), tc.source)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error with %q, got %v (%+v)", tc.want, err, res)
			}
			if after := snapshot(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the corpus changed:\nbefore %v\nafter %v", keys(before), keys(after))
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestRedirectToPrivateAddressRefused: the address check runs on every
// connection, so a public page cannot redirect ingest to an internal one.
// Here 127.0.0.1 plays the public server and 127.0.0.2 the internal one.
func TestRedirectToPrivateAddressRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("cannot listen on 127.0.0.2:", err)
	}
	internal := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html><body><p>internal</p></body></html>"))
	}))
	internal.Listener = ln
	internal.Start()
	defer internal.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/admin", http.StatusFound)
	}))
	defer public.Close()
	o := local()
	o.AllowPrivate = false
	o.allowAddr = func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.1") }
	_, err = New(newCorpus(t), o).Add(context.Background(), public.URL)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.2 is a private") {
		t.Fatalf("redirect to an internal address: %v", err)
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "::1": false, "fc00::1": false, "fe80::1": false, "::ffff:127.0.0.1": false,
		"64:ff9b::a00:1": false, "224.0.0.1": false,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestFailedWriteRollsBack: when the metadata cannot be written, the
// document written just before is removed again.
func TestFailedWriteRollsBack(t *testing.T) {
	srv := pages(t)
	for _, step := range []string{"doc", "meta"} {
		dir := newCorpus(t)
		before := snapshot(t, dir)
		o := local()
		o.failAt = step
		if _, err := New(dir, o).Add(context.Background(), srv.URL+"/nordic"); err == nil {
			t.Fatalf("%s: the write did not fail", step)
		}
		if after := snapshot(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%s: left behind %v", step, keys(after))
		}
	}
}

func TestLockRefusesAConcurrentIngest(t *testing.T) {
	dir := newCorpus(t)
	if err := os.WriteFile(filepath.Join(dir, lockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(dir, local()).Add(context.Background(), pages(t).URL+"/nordic")
	if err == nil || !strings.Contains(err.Error(), "another ingest") {
		t.Fatalf("got %v", err)
	}
}

// TestShippedTextsKeepTheirIDs: the five shipped documents' text,
// ingested into an empty corpus, gets the shipped ids and the same
// paragraphs with the same ids, byte for byte.
func TestShippedTextsKeepTheirIDs(t *testing.T) {
	shipped, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	dir, tmp := newCorpus(t), t.TempDir()
	in := New(dir, local())
	for _, d := range shipped.Docs {
		raw, _ := fs.ReadFile(seeds.Embedded(), "docs/"+d.File)
		name := filepath.Join(tmp, d.File)
		if err := os.WriteFile(name, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := in.Add(context.Background(), name)
		if err != nil {
			t.Fatalf("%s: %v", d.File, err)
		}
		if res.Entry.ID != d.ID {
			t.Errorf("%s became %s, want %s", d.File, res.Entry.ID, d.ID)
		}
		got, _ := os.ReadFile(filepath.Join(dir, "docs", res.Entry.File))
		if string(got) != string(raw) {
			t.Errorf("%s: the text is not kept byte for byte", d.File)
		}
	}
	ingested, err := seeds.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range shipped.Docs {
		got, _ := ingested.Doc(want.ID)
		if len(got.Paragraphs) != len(want.Paragraphs) {
			t.Fatalf("%s: %d paragraphs, want %d", want.ID, len(got.Paragraphs), len(want.Paragraphs))
		}
		for i, p := range want.Paragraphs {
			if q := got.Paragraphs[i]; q.ID != p.ID || q.Raw != p.Raw || q.Line != p.Line {
				t.Errorf("%s: paragraph %s differs: %+v", want.ID, p.ID, q)
			}
		}
	}
	// And each is now a duplicate of itself.
	raw, _ := fs.ReadFile(seeds.Embedded(), "docs/"+shipped.Docs[2].File)
	again := filepath.Join(tmp, "again.txt")
	_ = os.WriteFile(again, raw, 0o644)
	if _, err := in.Add(context.Background(), again); err == nil || !strings.Contains(err.Error(), "as d002") {
		t.Errorf("re-ingesting d002: %v", err)
	}
}

func TestInit(t *testing.T) {
	root := t.TempDir()
	corpus, brief := filepath.Join(root, "c"), filepath.Join(root, "b")
	if err := Init(corpus, brief, true); err != nil {
		t.Fatal(err)
	}
	c, err := seeds.Load(os.DirFS(corpus))
	if err != nil || len(c.Docs) != 5 {
		t.Fatalf("seeded corpus: %v", err)
	}
	if _, err := os.Stat(filepath.Join(brief, "actors", "poland.yaml")); err != nil {
		t.Errorf("briefs not copied: %v", err)
	}
	if err := Init(corpus, "", false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("init over a corpus: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}
}

func TestIngestTextAndMarkdownFiles(t *testing.T) {
	dir, tmp := newCorpus(t), t.TempDir()
	md := filepath.Join(tmp, "note.md")
	_ = os.WriteFile(md, []byte("# Ministers meet on air defence\n\nBy Ana Silva\n\nDefence ministers met in Brussels on 20 August 2025\nto discuss **air defence** for Ukraine, and said a\n[plan](https://example.org) would follow within weeks.\n\n- Sweden offered training.\n- Finland offered radar support and said it would decide soon.\n"), 0o644)
	res, err := New(dir, local()).Add(context.Background(), md)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "docs", res.Entry.File))
	want := "Ministers meet on air defence\n\nBy Ana Silva\n\nDefence ministers met in Brussels on 20 August 2025 to discuss air defence for Ukraine, and said a plan would follow within weeks.\n\nSweden offered training.\n\nFinland offered radar support and said it would decide soon.\n"
	if string(raw) != want {
		t.Errorf("markdown text:\n%q\nwant\n%q", raw, want)
	}
	if res.Entry.Title != "Ministers meet on air defence" || res.Entry.Author != "Ana Silva" {
		t.Errorf("entry %+v", res.Entry)
	}
	latin := filepath.Join(tmp, "latin.txt")
	_ = os.WriteFile(latin, []byte("Caf\xe9 talks on guarantees\n\nThe owners of the caf\xe9 near the ministry said the street was closed for most of the afternoon while ministers met inside.\n"), 0o644)
	o := local()
	o.Charset = "iso-8859-1"
	res, err = New(dir, o).Add(context.Background(), latin)
	if err != nil {
		t.Fatal(err)
	}
	if res.Entry.Title != "Café talks on guarantees" || !slices.Contains(res.Check, "converted from iso-8859-1 to UTF-8") {
		t.Errorf("latin-1: %+v %q", res.Entry, res.Check)
	}
}
