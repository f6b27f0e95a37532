package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

func TestNamingString(t *testing.T) {
	table := []bot.Command{{Name: "who", Names: map[string]string{bot.PlatformSlack: "whois"}}, {Name: "stance"}, {Name: "digest"}, {Name: "digest-manage"}}
	slack := bot.NewNaming(bot.PlatformSlack, "bb-", table)
	for in, want := range map[string]string{
		"Try /who <name>.": "Try /bb-whois <name>.",
		"/stance poland":   "/bb-stance poland",
		"(see /digest list) and “/digest-manage”":     "(see /bb-digest list) and “/bb-digest-manage”",
		"Europe/Kyiv, and/or 24/7, https://x.org/who": "Europe/Kyiv, and/or 24/7, https://x.org/who",
		"/nothing here, / who":                        "/nothing here, / who",
		"already /bb-whois and /whois and /bb-who":    "already /bb-whois and /bb-whois and /bb-whois",
	} {
		if got := slack.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	discord := bot.NewNaming(bot.PlatformDiscord, "", table)
	if got := discord.String("Try /whois macron or /who macron"); got != "Try /who macron or /who macron" {
		t.Errorf("discord: %q", got)
	}
	if c, ok := slack.Lookup("/BB-WHOIS"); !ok || c.Name != "who" {
		t.Errorf("Lookup(/BB-WHOIS) = %v %v", c.Name, ok)
	}
	if _, ok := slack.Lookup("bb-"); ok {
		t.Error("the prefix alone names a command")
	}
	if got := slack.Usage(bot.Command{Name: "who", Names: map[string]string{bot.PlatformSlack: "whois"}, Args: []bot.Arg{{Name: "person", Required: true}}}); got != "/bb-whois <person>" {
		t.Errorf("Usage = %q", got)
	}
}

// TestNamingReply renames commands in our words only, and never changes
// the shared reply it is given.
func TestNamingReply(t *testing.T) {
	table := []bot.Command{{Name: "who", Names: map[string]string{bot.PlatformSlack: "whois"}}, {Name: "matrix"}}
	r := &bot.Reply{Title: "How to use /who", Intro: bot.Text{{Text: "No “"}, {Text: "/who", User: true}, {Text: "”. Try /who."}},
		Sections: []bot.Section{{Heading: "More", Pre: "/who", Bullets: []bot.Bullet{
			{Text: bot.Plain("See /matrix"), Quote: "say /who", Verbatim: "/who", Notes: []bot.Text{bot.Plain("and /who")}},
			{Text: bot.Plain("unchanged")},
		}}}}
	got := bot.NewNaming(bot.PlatformSlack, "", table).Reply(r)
	if got.Title != "How to use /whois" || got.Intro.String() != "No “/who”. Try /whois." {
		t.Errorf("title %q, intro %q", got.Title, got.Intro.String())
	}
	b := got.Sections[0].Bullets[0]
	if b.Text.String() != "See /matrix" || b.Quote != "say /who" || b.Verbatim != "/who" || b.Notes[0].String() != "and /whois" || got.Sections[0].Pre != "/who" {
		t.Errorf("bullet %+v, pre %q", b, got.Sections[0].Pre)
	}
	if r.Title != "How to use /who" || r.Intro[2].Text != "”. Try /who." || r.Sections[0].Bullets[0].Notes[0].String() != "and /who" {
		t.Errorf("the shared reply was changed: %+v", r)
	}
	if same := bot.NewNaming(bot.PlatformDiscord, "", table).Reply(r); same != r {
		t.Error("a naming that renames nothing copied the reply")
	}
}

// TestPrefixedEngine answers prefixed and plain names alike, and names
// commands with the prefix in what it says.
func TestPrefixedEngine(t *testing.T) {
	e := bot.New(fixture(t).Set(), bot.Options{Prefix: "bb-"})
	for _, text := range []string{"/bb-stance poland", "/stance poland", "bb-stance poland"} {
		if r := e.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, Text: text}); r.Outcome != bot.OutcomeOK {
			t.Errorf("%s: %s", text, r.Outcome)
		}
	}
	r := e.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, Text: "/bb-stanse poland"})
	if r.Outcome != bot.OutcomeUnknownCommand || !strings.Contains(r.Intro.String(), "Did you mean /bb-stance?") {
		t.Errorf("typo: %s %q", r.Outcome, r.Intro.String())
	}
}

// FuzzNaming: naming any text never panics, is stable once applied, and
// looking up any typed name never panics.
func FuzzNaming(f *testing.F) {
	for _, s := range []string{"Try /who macron", "/bb-whois", "(/digest-manage)", "Europe/Kyiv /", "“/stance”/who", "/\xff/who"} {
		f.Add(s)
	}
	table := []bot.Command{{Name: "who", Names: map[string]string{bot.PlatformSlack: "whois"}}, {Name: "stance"}, {Name: "digest-manage"}}
	n := bot.NewNaming(bot.PlatformSlack, "bb-", table)
	f.Fuzz(func(t *testing.T, s string) {
		once := n.String(s)
		if twice := n.String(once); twice != once {
			t.Errorf("String(%q) = %q, then %q", s, once, twice)
		}
		n.Lookup(s)
	})
}

// TestRenamedReplyShared: a shared reply renamed for a platform is one
// reply for every request, as adapters' render caches need, and another
// platform gets its own.
func TestRenamedReplyShared(t *testing.T) {
	e := bot.New(fixture(t).Set(), bot.Options{Prefix: "bb-"})
	ask := func(platform string) *bot.Reply {
		return e.Handle(context.Background(), bot.Request{Platform: platform, Text: "/stance poland"})
	}
	a, b := ask(bot.PlatformSlack), ask(bot.PlatformSlack)
	if a != b {
		t.Error("the same question on Slack got two copies of one reply")
	}
	// The reply is one that renaming copies: without the shared copy,
	// every request would get a new one.
	plain := bot.New(fixture(t).Set(), bot.Options{})
	raw := plain.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, Text: "/stance poland"})
	if e.Naming(bot.PlatformSlack).Reply(raw) == raw {
		t.Fatal("the reply names no command, so nothing is renamed; pick another")
	}
	if d := ask(bot.PlatformDiscord); d == a {
		t.Error("Discord got Slack's renamed reply")
	}
}
