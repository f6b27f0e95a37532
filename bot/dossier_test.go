package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// velmoraDir is the fictional second dossier.
const velmoraDir = "../testdata/dossiers/velmora"

func loadVelmora(t testing.TB) *briefs.Set {
	t.Helper()
	set, err := briefs.FolderSource(velmoraDir).Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func loadShipped(t testing.TB) *briefs.Set {
	t.Helper()
	set, err := briefs.Source{}.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// shippedWords are the names the shipped dossier's briefs answer to and
// the words of its title: none may appear in another dossier's answers.
func shippedWords(t testing.TB) []string {
	set := loadShipped(t)
	var out []string
	for _, b := range set.Briefs {
		if b.Kind == briefs.KindActor || b.Kind == briefs.KindPerson {
			for _, n := range b.Names() {
				if len(n) >= 5 {
					out = append(out, strings.ToLower(n))
				}
			}
		}
	}
	for _, w := range strings.Fields(set.Dossier.Title) {
		if len(w) >= 6 {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// TestOtherDossierEveryCommand asks every command of the table, with its
// examples, of a dossier that has nothing of the shipped corpus: no answer
// is an error, none speaks of the shipped subject, and commands whose data
// the dossier lacks say what is missing.
func TestOtherDossierEveryCommand(t *testing.T) {
	e := bot.New(loadVelmora(t), bot.Options{})
	words := shippedWords(t)
	if len(words) < 10 {
		t.Fatalf("only %d shipped words to look for", len(words))
	}
	asked := 0
	for _, c := range e.Commands() {
		texts := append([]string{"/" + c.Name, "/" + c.Name + " zzz"}, c.Examples...)
		for _, text := range texts {
			asked++
			r := ask(e, text)
			out := strings.ToLower(bot.RenderText(r))
			if r.Outcome == bot.OutcomeError || strings.Contains(out, "something went wrong") {
				t.Errorf("%s: outcome %s:\n%s", text, r.Outcome, out)
			}
			for _, w := range words {
				if strings.Contains(out, w) {
					t.Errorf("%s: answer names %q of the shipped dossier:\n%s", text, w, out)
				}
			}
		}
	}
	if asked < 2*len(e.Commands()) {
		t.Fatalf("asked %d", asked)
	}
	r := ask(e, "/demands")
	if r.Outcome != bot.OutcomeNotFound || !strings.Contains(bot.RenderText(r), `no topic brief with id "demands"`) {
		t.Errorf("/demands: %s\n%s", r.Outcome, bot.RenderText(r))
	}
	for text, want := range map[string]string{
		"/stance pilots": "Harbour Pilots' Guild: stance on the harbour measures",
		"/options":       "The Velmora harbour measures",
		"/who quill":     "Mara Quill",
		"/matrix":        "",
	} {
		if r := ask(e, text); r.Outcome != bot.OutcomeOK || !strings.Contains(r.Title, want) {
			t.Errorf("%s: %s %q, want ok and %q", text, r.Outcome, r.Title, want)
		}
	}
	help := bot.RenderText(ask(e, "/help"))
	for _, want := range []string{"The Velmora harbour levy (fictional)", "Where a party stands on the harbour measures", "Not in this dossier", "/demands (no topic brief"} {
		if !strings.Contains(help, want) {
			t.Errorf("/help lacks %q:\n%s", want, help)
		}
	}
	if ex := ask(e, "/help stance"); !strings.Contains(bot.RenderText(ex), "/stance council") {
		t.Errorf("/help stance gives no example from the dossier's actors:\n%s", bot.RenderText(ex))
	}
}

// TestNoDossierFile: a folder without a dossier file gets neutral words
// and its folder's name as its slug.
func TestNoDossierFile(t *testing.T) {
	set := loadVelmora(t)
	bare := *set
	bare.Dossier = &briefs.Dossier{Slug: "bare"}
	e := bot.New(&bare, bot.Options{})
	if r := ask(e, "/stance pilots"); r.Title != "Harbour Pilots' Guild: stance" {
		t.Errorf("title %q", r.Title)
	}
	if r := ask(e, "/options"); r.Title != "bare: the options" {
		t.Errorf("title %q", r.Title)
	}
}

// fakeBindings is an in-memory Bindings that counts reads.
type fakeBindings struct {
	mu    sync.Mutex
	m     map[string]string
	reads int
	fail  error
}

var _ bot.Bindings = (*fakeBindings)(nil)

func (f *fakeBindings) Binding(_ context.Context, scope string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail != nil {
		return "", false, f.fail
	}
	s, ok := f.m[scope]
	return s, ok, nil
}

func (f *fakeBindings) Bind(_ context.Context, b bot.Binding) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	if f.m == nil {
		f.m = map[string]string{}
	}
	f.m[b.Scope] = b.Dossier
	return nil
}

func two(t *testing.T, b bot.Bindings) *bot.Engine {
	t.Helper()
	e, err := bot.NewDossiers([]*briefs.Set{loadShipped(t), loadVelmora(t)}, bot.Options{Bindings: b})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func in(e *bot.Engine, channel, text string, manage bool) *bot.Reply {
	return e.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, Workspace: "T1", ChannelID: channel, UserID: "U1", Text: text, CanManage: manage})
}

func TestManyDossiersBinding(t *testing.T) {
	store := &fakeBindings{}
	e := two(t, store)
	shipped := bot.SlugOf(loadShipped(t))
	// Registered texts stay neutral with two dossiers.
	for _, c := range e.Commands() {
		if c.Name == "stance" && c.Summary != "An actor's stance, option by option, sourced" {
			t.Errorf("registered summary %q is a dossier's", c.Summary)
		}
	}
	if r := in(e, "C1", "/stance council", false); r.Outcome != bot.OutcomeNotFound {
		t.Fatalf("unbound channel answered from the fictional dossier: %s", r.Title)
	}
	// No permission: refused, nothing changed.
	r := in(e, "C1", "/dossier use velmora", false)
	if r.Outcome != bot.OutcomeDenied || len(store.m) != 0 {
		t.Fatalf("without permission: %s, store %v", r.Outcome, store.m)
	}
	// Unknown slug: suggestions, nothing changed.
	r = in(e, "C1", "/dossier use velmra", true)
	if r.Outcome != bot.OutcomeNotFound || !strings.Contains(bot.RenderText(r), "Did you mean velmora?") || len(store.m) != 0 {
		t.Fatalf("unknown slug: %s %s, store %v", r.Outcome, bot.RenderText(r), store.m)
	}
	if r = in(e, "C1", "/dossier use velmora", true); r.Outcome != bot.OutcomeOK {
		t.Fatalf("bind: %s %s", r.Outcome, bot.RenderText(r))
	}
	if r = in(e, "C1", "/stance council", false); r.Outcome != bot.OutcomeOK || !strings.Contains(r.Title, "harbour measures") {
		t.Errorf("bound channel: %s %q", r.Outcome, r.Title)
	}
	if r = in(e, "C2", "/stance council", false); r.Outcome == bot.OutcomeOK {
		t.Errorf("another channel answered from the bound dossier")
	}
	show := bot.RenderText(in(e, "C1", "/dossier", false))
	for _, want := range []string{"The Velmora harbour levy (fictional)", "bound to this channel", "Other dossiers", shipped + " — "} {
		if !strings.Contains(show, want) {
			t.Errorf("/dossier lacks %q:\n%s", want, show)
		}
	}
	// Workspace default, then DM default.
	if r = in(e, "C9", "/dossier default velmora", true); r.Outcome != bot.OutcomeOK {
		t.Fatalf("default: %s", bot.RenderText(r))
	}
	if r = in(e, "C3", "/who reed", false); r.Outcome != bot.OutcomeOK {
		t.Errorf("workspace default not used: %s", r.Title)
	}
	dm := func(text string) *bot.Reply {
		return e.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, ChannelID: "D1", DM: true, UserID: "U2", Text: text})
	}
	if r = dm("/who reed"); r.Outcome == bot.OutcomeOK {
		t.Errorf("a DM used the workspace default")
	}
	if r = dm("/dossier use velmora"); r.Outcome != bot.OutcomeOK {
		t.Errorf("binding one's own DM: %s", bot.RenderText(r))
	}
	if r = dm("/who reed"); r.Outcome != bot.OutcomeOK {
		t.Errorf("DM binding not used: %s", r.Title)
	}
}

func TestOneOffDossier(t *testing.T) {
	e := two(t, &fakeBindings{})
	for _, tc := range []struct {
		text    string
		outcome bot.Outcome
		has     string
	}{
		{"/stance in:velmora pilots", bot.OutcomeOK, "stance on the harbour measures"},
		{"/ask in:velmora who is the mayor?", bot.OutcomeOK, "Mara Quill"},
		{"/help in:velmora", bot.OutcomeOK, "Velmora"},
		{"/stance in:VELMORA pilots", bot.OutcomeOK, "Pilots"},
		{"/stance in:velmor pilots", bot.OutcomeNotFound, "Did you mean velmora?"},
		{"/stance in: pilots", bot.OutcomeUsage, "Write the dossier right after"},
		{"/stance in:<@U1>&x pilots", bot.OutcomeNotFound, "There is no dossier"},
	} {
		r := in(e, "C1", tc.text, false)
		if out := bot.RenderText(r); r.Outcome != tc.outcome || !strings.Contains(out, tc.has) {
			t.Errorf("%s: %s, want %s with %q:\n%s", tc.text, r.Outcome, tc.outcome, tc.has, out)
		}
	}
	// The Discord option.
	r := e.Handle(context.Background(), bot.Request{Platform: bot.PlatformDiscord, ChannelID: "1", Text: "/who reed", Dossier: "velmora"})
	if r.Outcome != bot.OutcomeOK {
		t.Errorf("Dossier option: %s", r.Outcome)
	}
	// Sources of a one-off answer come from that dossier.
	r = e.SourcesOf(context.Background(), bot.Request{Platform: bot.PlatformSlack, ChannelID: "C1", Text: "/who in:velmora reed"})
	if out := bot.RenderText(r); r.Outcome != bot.OutcomeOK || !strings.Contains(out, "Two berths a day") {
		t.Errorf("sources of a one-off: %s\n%s", r.Outcome, out)
	}
}

// TestBindingAcrossEngines: a binding made through one engine is seen by
// another on the same store once the cache time has passed.
func TestBindingAcrossEngines(t *testing.T) {
	store := &fakeBindings{}
	now := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	mk := func() *bot.Engine {
		e, err := bot.NewDossiers([]*briefs.Set{loadShipped(t), loadVelmora(t)}, bot.Options{Bindings: store, Now: clock, BindingTTL: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b := mk(), mk()
	if r := in(b, "C1", "/who reed", false); r.Outcome == bot.OutcomeOK {
		t.Fatal("bound before binding")
	}
	if r := in(a, "C1", "/dossier use velmora", true); r.Outcome != bot.OutcomeOK {
		t.Fatal(bot.RenderText(r))
	}
	now = now.Add(2 * time.Second)
	if r := in(b, "C1", "/who reed", false); r.Outcome != bot.OutcomeOK {
		t.Errorf("the other engine does not see the binding: %s", r.Title)
	}
	// A store that fails: answers still come, from the default dossier, and
	// binding says nothing changed.
	store.fail = errors.New("database is down")
	now = now.Add(2 * time.Second)
	if r := in(b, "C7", "/help", false); r.Outcome != bot.OutcomeOK {
		t.Errorf("store down: %s", r.Outcome)
	}
	if r := in(b, "C7", "/dossier use velmora", true); r.Outcome != bot.OutcomeError || !strings.Contains(bot.RenderText(r), "Nothing changed") {
		t.Errorf("bind with store down: %s", bot.RenderText(r))
	}
}

func TestDuplicateSlugs(t *testing.T) {
	v := loadVelmora(t)
	if _, err := bot.NewDossiers([]*briefs.Set{v, v}, bot.Options{}); err == nil || !strings.Contains(err.Error(), `"velmora"`) {
		t.Errorf("two dossiers with one slug: %v", err)
	}
	if _, err := bot.NewDossiers([]*briefs.Set{v}, bot.Options{Default: "nope"}); err == nil {
		t.Error("unknown default accepted")
	}
}

// TestReplaceOneDossier: replacing one dossier leaves the other as it was.
func TestReplaceOneDossier(t *testing.T) {
	e := two(t, nil)
	shipped := bot.SlugOf(loadShipped(t))
	before, _ := e.Dossier(shipped)
	if err := e.Replace("velmora", loadVelmora(t)); err != nil {
		t.Fatal(err)
	}
	after, _ := e.Dossier(shipped)
	if before != after {
		t.Error("replacing velmora replaced the shipped dossier too")
	}
	if err := e.Replace("velmora", loadShipped(t)); err == nil {
		t.Error("a dossier took another's slug")
	}
	if err := e.Replace("nope", loadVelmora(t)); err == nil {
		t.Error("replaced a dossier that is not loaded")
	}
}

// TestAskCoveredElsewhere: a question this dossier does not cover names
// the dossier that does.
func TestAskCoveredElsewhere(t *testing.T) {
	e := two(t, nil)
	r := in(e, "C1", "/ask will the cruise operators pay a levy?", false)
	if out := bot.RenderText(r); r.Outcome != bot.OutcomeNotFound || !strings.Contains(out, "(velmora) has claims on it: /ask in:velmora will the cruise operators pay a levy?") {
		t.Errorf("%s\n%s", r.Outcome, out)
	}
	r = in(e, "C1", "/ask what is the colour of the moon?", false)
	if out := bot.RenderText(r); strings.Contains(out, "has claims on it") {
		t.Errorf("a question no dossier covers named one:\n%s", out)
	}
}

// TestNoAsOfWithoutDates: where no source behind an answer is dated (the
// walk-through's dossier, two ingested texts with no date), the answer
// gives no "as of" line rather than "As of undated".
func TestNoAsOfWithoutDates(t *testing.T) {
	set, err := briefs.FolderSource("testdata/undated").Load()
	if err != nil {
		t.Fatal(err)
	}
	e, err := bot.NewDossiers([]*briefs.Set{set}, bot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"/stance council", "/options levy", "/who quill"} {
		r := e.Handle(context.Background(), bot.Request{Text: text})
		if r.Outcome != bot.OutcomeOK || r.AsOf != "" {
			t.Errorf("%s: %s, as of %q", text, r.Outcome, r.AsOf)
		}
	}
}
