package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// newsSite serves a news-page fixture (meta tags, JSON-LD, debris) from
// 127.0.0.1.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	raw, err := os.ReadFile("../../ingest/testdata/pages/meta.html")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.ReplaceAll(string(raw), "@@BIGDATA@@", "e30=")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func askText(e *bot.Engine, cmd string) string {
	return bot.RenderText(e.Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: cmd}))
}

func changesDigest(t *testing.T, e *bot.Engine, prev *bot.Snapshot) (string, *bot.Snapshot) {
	t.Helper()
	r, snap, err := e.Digest(bot.DigestChanges, prev)
	if err != nil {
		t.Fatal(err)
	}
	return bot.RenderText(r), snap
}

// review does what a curator does with the draft: writes the claim
// sentence of one claim, adds its position, removes the draft mark and the
// drafted notes, and deletes a claim not worth keeping.
func review(t *testing.T, file, id string, drop string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var b briefs.Brief
	if err := yaml.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	sec := &b.Sections[0]
	kept := sec.Claims[:0]
	for _, c := range sec.Claims {
		switch c.ID {
		case drop:
			continue
		case id:
			c.Text = "Macron says France is ready to share the burden of a reassurance force on the ground."
			c.Position = &briefs.Position{Actor: "france", Option: "ground-troops", Stance: "offers"}
			c.Draft, c.Drafted, c.When = false, nil, nil
		}
		kept = append(kept, c)
	}
	sec.Claims = kept
	out, err := yaml.Marshal(&b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIngestDraftReviewReload runs the curator's whole cycle on a page
// served from 127.0.0.1: ingest, draft, check, reload (nothing answered
// from drafts), review, check, reload — the answer and the changes digest
// change.
func TestIngestDraftReviewReload(t *testing.T) {
	t.Parallel() // beside the tests that wait
	site := newsSite(t)
	root := t.TempDir()
	corpus, brs := filepath.Join(root, "corpus"), filepath.Join(root, "briefs")
	if code, out, errOut := runCLI("ingest", "--corpus", corpus, "--briefs", brs, "--init", "--embedded"); code != exitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	set, err := briefs.LoadDirs(corpus, brs)
	if err != nil {
		t.Fatal(err)
	}
	engine := bot.New(set, bot.Options{})
	before := engine.Snapshot()
	stanceBefore := askText(engine, "/stance france")

	code, out, errOut := runCLI("ingest", "--corpus", corpus, "--allow-private", site.URL+"/world/2025/08/21/coalition-guarantees")
	if code != exitOK || !strings.Contains(out, "added d005") || !strings.Contains(out, `"The Harbour Herald"`) || !strings.Contains(out, "check:") {
		t.Fatalf("ingest: %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI("ingest", "--corpus", corpus, site.URL+"/other"); code != exitFailure || !strings.Contains(errOut, "--allow-private") {
		t.Errorf("a loopback URL without --allow-private: %d %s", code, errOut)
	}
	code, out, errOut = runCLI("draft", "--corpus", corpus, "--briefs", brs, "d005")
	if code != exitOK || !strings.Contains(out, "wrote 7 draft claim(s)") {
		t.Fatalf("draft: %d\n%s%s", code, out, errOut)
	}
	draftFile := filepath.Join(brs, "documents", "d005.yaml")
	if code, _, errOut := runCLI("draft", "--corpus", corpus, "--briefs", brs, "d005"); code != exitFailure || !strings.Contains(errOut, "exists") {
		t.Errorf("a second draft over the first: %d %s", code, errOut)
	}
	code, out, _ = runCLI("check", "--corpus", corpus, "--briefs", brs)
	if code != exitOK || !strings.Contains(out, "drafts: 7 claim(s) marked draft: true") || !strings.Contains(out, "d005-p3 cites d005:p3") {
		t.Fatalf("check lists drafts: %d\n%s", code, out)
	}

	// Reload with the drafts: the new document is there, no draft is.
	set, err = briefs.LoadDirs(corpus, brs)
	if err != nil {
		t.Fatal(err)
	}
	engine.Swap(set)
	if got := askText(engine, "/stance france"); got != stanceBefore {
		t.Errorf("a draft changed /stance france:\n%s", got)
	}
	if got := askText(engine, "/who macron"); strings.Contains(got, "share of the burden") {
		t.Errorf("/who answers from a draft:\n%s", got)
	}
	digest, middle := changesDigest(t, engine, &before)
	if !strings.Contains(digest, "d005: Coalition leaders weigh a reassurance force") || strings.Contains(digest, "Claims added") {
		t.Errorf("digest after ingest and draft:\n%s", digest)
	}

	review(t, draftFile, "d005-p3", "d005-p11")
	code, out, errOut = runCLI("check", "--corpus", corpus, "--briefs", brs, "--coverage", "--doc", "d005")
	if code != exitOK || !strings.Contains(out, "drafts: 5 claim(s)") || !strings.Contains(out, "d005:p3  cited by d005-p3") ||
		!strings.Contains(out, "coverage: 1 of 7 article paragraphs cited by reviewed claims, 5 only by drafts") {
		t.Fatalf("check after review: %d\n%s%s", code, out, errOut)
	}

	set, err = briefs.LoadDirs(corpus, brs)
	if err != nil {
		t.Fatal(err)
	}
	engine.Swap(set)
	if got := askText(engine, "/stance france"); !strings.Contains(got, "Macron says France is ready to share the burden") {
		t.Errorf("/stance france after review:\n%s", got)
	}
	digest, _ = changesDigest(t, engine, middle)
	if !strings.Contains(digest, "1 claims added") || !strings.Contains(digest, "Macron says France is ready to share the burden") ||
		strings.Contains(digest, "New documents") {
		t.Errorf("digest after review:\n%s", digest)
	}
	digest, _ = changesDigest(t, engine, &before)
	if !strings.Contains(digest, "1 new documents, 1 claims added") || !strings.Contains(digest, "d005: Coalition leaders") {
		t.Errorf("digest over the whole cycle:\n%s", digest)
	}
}

// TestReviewMustRemoveDraftedNotes: a claim whose draft mark is removed
// while the drafted notes stay is refused by check.
func TestReviewMustRemoveDraftedNotes(t *testing.T) {
	site := newsSite(t)
	root := t.TempDir()
	corpus, brs := filepath.Join(root, "corpus"), filepath.Join(root, "briefs")
	for _, args := range [][]string{
		{"ingest", "--corpus", corpus, "--briefs", brs, "--init", "--embedded", "--allow-private", site.URL},
		{"draft", "--corpus", corpus, "--briefs", brs, "d005"},
	} {
		if code, out, errOut := runCLI(args...); code != exitOK {
			t.Fatalf("%q: %d\n%s%s", args, code, out, errOut)
		}
	}
	file := filepath.Join(brs, "documents", "d005.yaml")
	raw, _ := os.ReadFile(file)
	edited := strings.Replace(string(raw), "        draft: true\n", "", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("check", "--corpus", corpus, "--briefs", brs)
	if code != exitFailure || !strings.Contains(errOut, `claim "d005-p2" is not marked draft but still has the drafted notes`) {
		t.Errorf("check: %d\n%s", code, errOut)
	}
}

func TestIngestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ingest", "page.html"}, "embedded corpus cannot change"},
		{[]string{"ingest", "--corpus", t.TempDir()}, "give one or more files"},
		{[]string{"ingest", "--corpus", t.TempDir(), "--embedded", "x.txt"}, "--embedded goes with --init"},
		{[]string{"draft", "d000"}, "embedded briefs cannot change"},
		{[]string{"draft"}, "give one document id"},
		{[]string{"draft", "--briefs", t.TempDir(), "d999"}, `no document "d999"`},
	} {
		code, _, errOut := runCLI(tc.args...)
		if code != exitBadUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q", tc.args, code, errOut)
		}
	}
}
