package digest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/digest"
)

// chat wires a scheduler's /digest command into an engine, as serve does.
func chat(t testing.TB) (*rig, *bot.Engine) {
	t.Helper()
	set, err := briefs.LoadDirs("", "../bot/testdata/briefs")
	if err != nil {
		t.Fatal(err)
	}
	st := sqliteStore(t)
	clock := newClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	var e *bot.Engine
	builder := func() digest.Builder { return e }
	cmds := digest.Commands(digest.CommandOptions{Store: st, Builder: builder, Clock: clock, Log: quietLog()})
	e = bot.New(set, bot.Options{Extra: cmds})
	r := newRig(t, st, e, clock, "a", nil, digest.Options{})
	return r, e
}

func ask(e *bot.Engine, req bot.Request, text string) *bot.Reply {
	req.Text = text
	return e.Handle(context.Background(), req)
}

func TestSubscribeNeedsPermission(t *testing.T) {
	bubble(t, func(t *testing.T) {
		r, e := chat(t)
		slackUser := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", ManageHint: "Ask whoever runs the bot to add U1 to SLACK_MANAGERS."}
		got := ask(e, slackUser, "/digest subscribe overview at 08:30 Europe/Kyiv")
		if got.Outcome != bot.OutcomeDenied || !strings.Contains(got.Intro.String(), "SLACK_MANAGERS") {
			t.Fatalf("slack without permission or hint: %s %q", got.Outcome, got.Intro.String())
		}
		discordUser := bot.Request{Platform: bot.PlatformDiscord, UserID: "9", ChannelID: "42", ManageHint: "You need the Manage Channels permission."}
		got = ask(e, discordUser, "/digest subscribe overview")
		if got.Outcome != bot.OutcomeDenied || !strings.Contains(got.Intro.String(), "Manage Channels") {
			t.Fatalf("discord without permission: %s %q", got.Outcome, got.Intro.String())
		}
		if subs, _ := r.store.Subscriptions(context.Background()); len(subs) != 0 {
			t.Fatal("a denied request stored a subscription")
		}
		// Everyone may list and preview.
		if got = ask(e, slackUser, "/digest list"); got.Outcome != bot.OutcomeOK {
			t.Fatalf("list: %s", got.Outcome)
		}
		if got = ask(e, discordUser, "/digest preview poland"); got.Outcome != bot.OutcomeOK || !got.Private || !strings.Contains(got.Title, "Poland") {
			t.Fatalf("preview: %s %q private=%v", got.Outcome, got.Title, got.Private)
		}
	})
}

func TestSubscribePostUnsubscribe(t *testing.T) {
	bubble(t, func(t *testing.T) {
		r, e := chat(t)
		manager := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", CanManage: true}
		got := ask(e, manager, "/digest subscribe uk at 8:30 Europe/Kyiv")
		if got.Outcome != bot.OutcomeOK || !strings.Contains(got.Intro.String(), "united-kingdom digest daily at 08:30 (Europe/Kyiv)") {
			t.Fatalf("subscribe: %s %q", got.Outcome, got.Intro.String())
		}
		subs, _ := r.store.Subscriptions(context.Background())
		if len(subs) != 1 || subs[0].Kind != "united-kingdom" || subs[0].CreatedBy != "U1" {
			t.Fatalf("stored: %+v", subs)
		}
		id := subs[0].ID
		if got = ask(e, manager, "/digest subscribe united kingdom at 08:30 Europe/Kyiv"); !strings.Contains(got.Title, "Already") {
			t.Fatalf("duplicate: %q", got.Title)
		}
		for _, bad := range []string{"/digest subscribe overview at 25:00", "/digest subscribe overview Mars/Olympus", "/digest subscribe nobody", "/digest subscribe"} {
			if got = ask(e, manager, bad); got.Outcome != bot.OutcomeUsage {
				t.Errorf("%s: outcome %s", bad, got.Outcome)
			}
		}
		// 08:30 in Kyiv on 2 June is 05:30 UTC.
		at := time.Date(2025, 6, 2, 5, 30, 0, 0, time.UTC)
		r.tick(at.Add(-time.Minute))
		r.tick(at.Add(time.Second))
		r.tick(at.Add(time.Minute))
		if r.slack.count("C1") != 1 || !strings.Contains(r.slack.posts[0].title, "United Kingdom") {
			t.Fatalf("posts: %+v", r.slack.posts)
		}
		list := ask(e, bot.Request{Platform: bot.PlatformSlack, UserID: "U2", ChannelID: "C1"}, "/digest list")
		if text := bot.RenderText(list); !strings.Contains(text, "id "+id) || !strings.Contains(text, "posted Mon 2 Jun 2025 08:30 EEST") || !strings.Contains(text, "Next: Tue 3 Jun 2025 08:30 EEST") {
			t.Fatalf("list:\n%s", text)
		}
		other := manager
		other.ChannelID = "C2"
		if got = ask(e, other, "/digest unsubscribe "+id); got.Outcome != bot.OutcomeNotFound {
			t.Fatalf("unsubscribe from another channel: %s", got.Outcome)
		}
		if got = ask(e, bot.Request{Platform: bot.PlatformSlack, UserID: "U2", ChannelID: "C1"}, "/digest unsubscribe "+id); got.Outcome != bot.OutcomeDenied {
			t.Fatalf("unsubscribe without permission: %s", got.Outcome)
		}
		if got = ask(e, manager, "/digest unsubscribe "+id); got.Outcome != bot.OutcomeOK {
			t.Fatalf("unsubscribe: %s %q", got.Outcome, got.Intro.String())
		}
		r.tick(at.Add(24 * time.Hour))
		if r.slack.count("C1") != 1 {
			t.Fatal("posted after unsubscribing")
		}
	})
}

func TestDigestCommandInTable(t *testing.T) {
	bubble(t, func(t *testing.T) {
		_, e := chat(t)
		// Everyone sees /digest; /digest-manage is for those who manage
		// the channel (Discord shows it only to them).
		if c, ok := e.Command("digest"); !ok || c.Manage || !slices.Equal(c.Args[0].Choices, []string{"preview", "list", "managers"}) {
			t.Fatalf("/digest missing from the table, marked Manage or offering %v", c.Args)
		}
		if c, ok := e.Command("digest-manage"); !ok || !c.Manage || !slices.Equal(c.Args[0].Choices, []string{"subscribe", "unsubscribe", "managers"}) {
			t.Fatalf("/digest-manage missing from the table, not marked Manage or offering %v", c.Args)
		}
		if got := ask(e, bot.Request{Platform: bot.PlatformCLI}, "/digest subscribe overview"); got.Outcome != bot.OutcomeUsage {
			t.Fatalf("subscribe outside a channel: %s", got.Outcome)
		}
		if got := ask(e, bot.Request{Platform: bot.PlatformCLI}, "/digest"); got.Outcome != bot.OutcomeUsage {
			t.Fatalf("bare /digest: %s", got.Outcome)
		}
	})
}

// FuzzDigestCommand sends arbitrary /digest text from a channel manager,
// subscriptions and all: never an internal error, always a titled reply.
func FuzzDigestCommand(f *testing.F) {
	for _, s := range []string{"subscribe overview at 08:30 Europe/Kyiv", "unsubscribe 1", "preview uk", "list",
		"subscribe poland at 25:99 Mars/Olympus", "subscribe changes at 02:30 Europe/Berlin", "subscribe <!channel>", ""} {
		f.Add(s)
	}
	_, e := chat(f)
	manager := bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", CanManage: true}
	f.Fuzz(func(t *testing.T, text string) {
		r := ask(e, manager, "/digest "+text)
		if r == nil || r.Title == "" || r.Outcome == bot.OutcomeError {
			t.Fatalf("/digest %q: %+v", text, r)
		}
	})
}

// TestManageCommand: /digest-manage subscribes and unsubscribes, checks
// the permission itself whatever the platform showed, and its answers are
// its own (never offered for sharing); /digest answers only preview and
// list, pointing managers to /digest-manage.
func TestManageCommand(t *testing.T) {
	bubble(t, func(t *testing.T) {
		r, e := chat(t)
		member := bot.Request{Platform: bot.PlatformDiscord, UserID: "9", ChannelID: "42", ManageHint: "You need the Manage Channels permission."}
		got := ask(e, member, "/digest-manage subscribe overview")
		if got.Outcome != bot.OutcomeDenied || got.Command != "digest-manage" || !strings.Contains(got.Intro.String(), "Anyone may use /digest list and /digest preview") {
			t.Fatalf("member: %s %s %q", got.Outcome, got.Command, got.Intro.String())
		}
		manager := member
		manager.CanManage = true
		got = ask(e, manager, "/digest-manage subscribe overview at 07:00 UTC")
		if got.Outcome != bot.OutcomeOK || got.Command != "digest-manage" || !strings.Contains(got.Intro.String(), "to stop: /digest-manage unsubscribe ") {
			t.Fatalf("manager: %s %s %q", got.Outcome, got.Command, got.Intro.String())
		}
		subs, _ := r.store.Subscriptions(context.Background())
		if len(subs) != 1 {
			t.Fatalf("stored %+v", subs)
		}
		if got = ask(e, manager, "/digest-manage unsubscribe "+subs[0].ID); got.Outcome != bot.OutcomeOK {
			t.Fatalf("unsubscribe: %s %q", got.Outcome, got.Intro.String())
		}
		if got = ask(e, manager, "/digest-manage list"); got.Outcome != bot.OutcomeUsage || !strings.Contains(got.Intro.String(), "/digest-manage subscribe <kind>") {
			t.Errorf("/digest-manage list: %s %q", got.Outcome, got.Intro.String())
		}
		if got = ask(e, member, "/digest frobnicate"); got.Outcome != bot.OutcomeUsage || !strings.Contains(got.Intro.String(), "/digest-manage") {
			t.Errorf("/digest frobnicate: %s %q", got.Outcome, got.Intro.String())
		}
	})
}

// TestCommandsWait: both digest commands read or write the store, so no
// adapter runs them inline under its deadline.
func TestCommandsWait(t *testing.T) {
	for _, c := range digest.CommandSpecs() {
		if !c.Waits {
			t.Errorf("/%s does not say it waits on the store", c.Name)
		}
	}
}
