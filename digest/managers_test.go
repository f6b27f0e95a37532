package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/digest"
)

// managersChat is chat with the store keeping each channel's managers.
func managersChat(t testing.TB) (digest.Store, *bot.Engine) {
	t.Helper()
	set, err := briefs.LoadDirs("", "../bot/testdata/briefs")
	if err != nil {
		t.Fatal(err)
	}
	st := sqliteStore(t)
	clock := newClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	var e *bot.Engine
	cmds := digest.Commands(digest.CommandOptions{Store: st, Builder: func() digest.Builder { return e }, Clock: clock, Log: quietLog(),
		Managers: st.(digest.ManagerStore)})
	e = bot.New(set, bot.Options{Extra: cmds})
	return st, e
}

func TestChannelManagersFromChat(t *testing.T) {
	st, e := managersChat(t)
	const hint = "The bot's managers for every channel (SLACK_MANAGERS) are UBOSS."
	boss := bot.Request{Platform: bot.PlatformSlack, UserID: "UBOSS", ChannelID: "C1", CanManage: true}
	alice := bot.Request{Platform: bot.PlatformSlack, UserID: "UALICE", ChannelID: "C1", ManageHint: hint}
	bob := bot.Request{Platform: bot.PlatformSlack, UserID: "UBOB", ChannelID: "C1", ManageHint: hint}

	// Alice may not subscribe yet; the refusal says who can grant it.
	got := ask(e, alice, "/digest-manage subscribe overview")
	if txt := got.Intro.String(); got.Outcome != bot.OutcomeDenied || !strings.Contains(txt, "UBOSS") || !strings.Contains(txt, "/digest-manage managers add UALICE") {
		t.Fatalf("refusal %s %q: it must name who can grant the right and how", got.Outcome, txt)
	}
	// Nor may she make herself a manager.
	if got = ask(e, alice, "/digest-manage managers add UALICE"); got.Outcome != bot.OutcomeDenied {
		t.Fatalf("a non-manager added a manager: %s", got.Outcome)
	}
	// A global manager names her, with a mention as Slack escapes it.
	if got = ask(e, boss, "/digest-manage managers add <@UALICE|alice>"); got.Outcome != bot.OutcomeOK || got.Title != "Manager added" {
		t.Fatalf("add: %s %q %q", got.Outcome, got.Title, got.Intro.String())
	}
	if got = ask(e, alice, "/digest-manage subscribe overview at 08:30 UTC"); got.Outcome != bot.OutcomeOK {
		t.Fatalf("a channel manager could not subscribe: %s %q", got.Outcome, got.Intro.String())
	}
	// She manages C1 only.
	other := alice
	other.ChannelID = "C2"
	if got = ask(e, other, "/digest-manage subscribe overview"); got.Outcome != bot.OutcomeDenied {
		t.Fatalf("a manager of C1 changed C2: %s", got.Outcome)
	}
	// An existing channel manager names another; the list shows both; Bob's refusal now names Alice.
	if got = ask(e, alice, "/digest-manage managers add UBOB"); got.Outcome != bot.OutcomeOK {
		t.Fatalf("a channel manager could not add another: %s %q", got.Outcome, got.Intro.String())
	}
	if got = ask(e, bob, "/digest managers"); !strings.Contains(got.Intro.String(), "UALICE, UBOB") {
		t.Errorf("list: %q", got.Intro.String())
	}
	if got = ask(e, alice, "/digest-manage managers remove UBOB"); got.Outcome != bot.OutcomeOK {
		t.Fatalf("remove: %s", got.Outcome)
	}
	if got = ask(e, bob, "/digest-manage unsubscribe x"); got.Outcome != bot.OutcomeDenied || !strings.Contains(got.Intro.String(), "Managers of this channel: UALICE") {
		t.Errorf("after removal: %s %q", got.Outcome, got.Intro.String())
	}
	// Who cannot be read is named, and nothing changes.
	if got = ask(e, boss, "/digest-manage managers add @bob"); got.Outcome != bot.OutcomeUsage || !strings.Contains(got.Intro.String(), "member id") {
		t.Errorf("unreadable user: %s %q", got.Outcome, got.Intro.String())
	}
	if ms, _ := st.(digest.ManagerStore).Managers(context.Background(), "slack", "C1"); len(ms) != 1 || ms[0] != "UALICE" {
		t.Errorf("stored managers %v, want [UALICE]", ms)
	}
	// On Discord the channel's permissions decide; the store is not asked.
	dc := bot.Request{Platform: bot.PlatformDiscord, UserID: "9", ChannelID: "C1", ManageHint: "You need the Manage Channels permission."}
	if got = ask(e, dc, "/digest-manage managers add UALICE"); !strings.Contains(got.Intro.String(), "Manage Channels") {
		t.Errorf("discord: %q", got.Intro.String())
	}
	if got = ask(e, dc, "/digest-manage subscribe overview"); got.Outcome != bot.OutcomeDenied {
		t.Errorf("discord member without permission subscribed via a Slack channel manager entry: %s", got.Outcome)
	}
}

// FuzzDigestManagers feeds /digest managers any text from a user who may
// not manage the channel: never a panic, never a change.
func FuzzDigestManagers(f *testing.F) {
	for _, s := range []string{"add <@U1|a>", "remove U0ABC", "add", "list", "add <@>", "add <@U1", "add U\x00", "remove <@W12|x|y>"} {
		f.Add(s)
	}
	st, e := managersChat(f)
	f.Fuzz(func(t *testing.T, args string) {
		req := bot.Request{Platform: bot.PlatformSlack, UserID: "UFUZZ", ChannelID: "C1"}
		r := ask(e, req, "/digest-manage managers "+args)
		if r == nil || r.Outcome == bot.OutcomeOK && strings.HasPrefix(r.Title, "Manager") {
			t.Fatalf("%q: %+v", args, r)
		}
		if ms, _ := st.(digest.ManagerStore).Managers(context.Background(), "slack", "C1"); len(ms) != 0 {
			t.Fatalf("%q changed the managers: %v", args, ms)
		}
	})
}
