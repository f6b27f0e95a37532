package bot_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

func TestDigestKind(t *testing.T) {
	e := fixture(t)
	for in, want := range map[string]string{"overview": "overview", "Changes": "changes", "uk": "united-kingdom", "poland": "poland", "ground troops": "ground-troops"} {
		if got, err := e.DigestKind(in); err != nil || got != want {
			t.Errorf("DigestKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "atlantis", "kosiniak-kamysz"} {
		if _, err := e.DigestKind(in); !errors.Is(err, bot.ErrUnknownDigestKind) {
			t.Errorf("DigestKind(%q) err = %v", in, err)
		}
	}
}

// checkCitations fails unless every citation points into Sources and every
// source is cited by a shown bullet.
func checkCitations(t *testing.T, r *bot.Reply) {
	t.Helper()
	cited := map[int]bool{}
	for _, s := range r.Sections {
		for _, b := range s.Bullets {
			for _, c := range b.Cites {
				if c.Source < 1 || c.Source > len(r.Sources) {
					t.Fatalf("%q: cite %d out of %d sources", b.Text.String(), c.Source, len(r.Sources))
				}
				cited[c.Source] = true
			}
		}
	}
	for _, s := range r.Sources {
		if !cited[s.N] {
			t.Errorf("source %d (%s) listed but not cited", s.N, s.Doc)
		}
	}
}

func TestOverviewDigest(t *testing.T) {
	e := fixture(t)
	r, snap, err := e.Digest("overview", nil)
	if err != nil || snap != nil {
		t.Fatal(err, snap)
	}
	if r.Private || r.Outcome != bot.OutcomeOK || r.AsOf == "" {
		t.Fatalf("reply: private=%v outcome=%s as_of=%q", r.Private, r.Outcome, r.AsOf)
	}
	var headings []string
	for _, s := range r.Sections {
		headings = append(headings, s.Heading)
	}
	got := strings.Join(headings, " | ")
	for _, want := range []string{"Positions at a glance", "Russia's demands", "Open disputes"} {
		if !strings.Contains(got, want) {
			t.Errorf("sections %q lack %q", got, want)
		}
	}
	checkCitations(t, r)
}

func TestTopicDigestDoesNotChangeSharedReply(t *testing.T) {
	e := fixture(t)
	r, _, err := e.Digest("poland", nil)
	if err != nil || r.Private || !strings.HasPrefix(r.Title, "Digest: ") {
		t.Fatalf("%v %+v", err, r)
	}
	if s := ask(e, "/stance poland"); !s.Private || strings.HasPrefix(s.Title, "Digest") {
		t.Fatal("the digest changed the shared /stance reply")
	}
}

func TestChangesDigest(t *testing.T) {
	e := fixture(t)
	first, snap, err := e.Digest("changes", nil)
	if err != nil || snap == nil || !strings.Contains(first.Intro.String(), "First changes digest") {
		t.Fatalf("first: %v %v %q", err, snap, first.Intro.String())
	}
	same, _, _ := e.Digest("changes", snap)
	if !strings.HasPrefix(same.Intro.String(), "Nothing has changed") || len(same.Sections) != 0 {
		t.Fatalf("unchanged: %q, %d sections", same.Intro.String(), len(same.Sections))
	}
	// An older snapshot: one claim unknown then, one different, one since
	// removed, and one document new.
	prev := bot.Snapshot{Claims: map[string]bot.ClaimPrint{}, Docs: snap.Docs[1:]}
	var added, changed string
	for id, p := range snap.Claims {
		switch {
		case added == "":
			added = id
		case changed == "":
			changed = id
			prev.Claims[id] = bot.ClaimPrint{Brief: p.Brief, Hash: "old"}
		default:
			prev.Claims[id] = p
		}
	}
	prev.Claims["gone-claim"] = bot.ClaimPrint{Brief: "poland", Hash: "x"}
	r, _, _ := e.Digest("changes", &prev)
	text := bot.RenderText(r)
	for _, want := range []string{"1 new documents, 1 claims added, 1 changed, 1 removed", "New documents", snap.Docs[0] + ":", "Claims added", "Claims changed", "gone-claim (was in Poland)"} {
		if !strings.Contains(text, want) {
			t.Errorf("changes digest lacks %q:\n%s", want, text)
		}
	}
	checkCitations(t, r)
}

// TestChangesSeeSwappedSet edits a claim on disk, loads the new set and
// swaps it in, as a reload does: the next changes digest reports it.
func TestChangesSeeSwappedSet(t *testing.T) {
	e := fixture(t)
	_, before, _ := e.Digest("changes", nil)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/briefs")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "actors", "poland.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(raw), "text: ", "text: Reportedly, ", 1)
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	set, problems := briefs.Load(os.DirFS(dir), dir, corpus)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	e.Swap(set)
	r, _, _ := e.Digest("changes", before)
	if text := bot.RenderText(r); !strings.Contains(text, "Claims changed") || !strings.Contains(text, "Reportedly, ") {
		t.Fatalf("after swap:\n%s", text)
	}
}

func BenchmarkOverviewDigest(b *testing.B) {
	e := shipped(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Digest("overview", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChangesDigest(b *testing.B) {
	e := shipped(b)
	_, snap, _ := e.Digest("changes", nil)
	delete(snap.Claims, "demands-list")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Digest("changes", snap); err != nil {
			b.Fatal(err)
		}
	}
}

// TestUnchangedAgreesWithTheDigest: Unchanged is true exactly when the
// changes digest would say nothing has changed.
func TestUnchangedAgreesWithTheDigest(t *testing.T) {
	e := fixture(t)
	_, snap, _ := e.Digest("changes", nil)
	var anyID string
	for id := range snap.Claims {
		anyID = id
		break
	}
	clone := func(edit func(s *bot.Snapshot)) *bot.Snapshot {
		s := bot.Snapshot{Claims: map[string]bot.ClaimPrint{}, Docs: append([]string(nil), snap.Docs...)}
		for id, p := range snap.Claims {
			s.Claims[id] = p
		}
		edit(&s)
		return &s
	}
	for _, tc := range []struct {
		name string
		prev *bot.Snapshot
	}{
		{"no previous digest", nil},
		{"the same", clone(func(*bot.Snapshot) {})},
		{"a claim new since", clone(func(s *bot.Snapshot) { delete(s.Claims, anyID) })},
		{"a claim changed", clone(func(s *bot.Snapshot) { s.Claims[anyID] = bot.ClaimPrint{Hash: "old"} })},
		{"a claim removed", clone(func(s *bot.Snapshot) { s.Claims["gone"] = bot.ClaimPrint{Hash: "x"} })},
		{"a document new", clone(func(s *bot.Snapshot) { s.Docs = s.Docs[1:] })},
		{"a document gone (not listed)", clone(func(s *bot.Snapshot) { s.Docs = append(s.Docs, "gone-doc") })},
	} {
		r, cur, _ := e.Digest("changes", tc.prev)
		nothing := strings.HasPrefix(r.Intro.String(), "Nothing has changed")
		if got := bot.Unchanged(tc.prev, *cur); got != nothing {
			t.Errorf("%s: Unchanged = %v, but the digest says %q", tc.name, got, r.Intro.String())
		}
	}
}
