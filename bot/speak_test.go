package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// TestSpeak: where messages addressed to the bot are answered, per
// workspace: everywhere by default, only in bound channels and direct
// messages with "bound", nowhere with "off"; slash commands always; only
// a manager may change it, and /dossier says what holds.
func TestSpeak(t *testing.T) {
	b := &fakeBindings{m: map[string]string{}}
	e, err := bot.NewDossiers([]*briefs.Set{loadShipped(t), loadVelmora(t)}, bot.Options{Bindings: b})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ask := func(channel string, dm, mention bool, text string) *bot.Reply {
		return e.Handle(ctx, bot.Request{Platform: bot.PlatformSlack, Workspace: "T1", ChannelID: channel, UserID: "U1",
			DM: dm, Mention: mention, Text: text})
	}
	answered := func(r *bot.Reply) bool { return r.Outcome != bot.OutcomeSilent }
	manager := bot.Request{Platform: bot.PlatformSlack, Workspace: "T1", ChannelID: "C1", UserID: "U9", CanManage: true}

	if !answered(ask("C2", false, true, "/ask who is the mayor?")) {
		t.Fatal("a mention is not answered by default")
	}
	member := manager
	member.CanManage, member.Text = false, "/dossier speak off"
	if r := e.Handle(ctx, member); r.Outcome != bot.OutcomeDenied || len(b.m) != 0 {
		t.Fatalf("a member changed where the bot speaks: %s %v", r.Outcome, b.m)
	}

	manager.Text = "/dossier use velmora" // C1 bound; C2 is not
	if r := e.Handle(ctx, manager); r.Outcome != bot.OutcomeOK {
		t.Fatalf("bind: %s %s", r.Title, r.Intro)
	}
	manager.Text = "/dossier speak bound"
	if r := e.Handle(ctx, manager); r.Outcome != bot.OutcomeOK || !r.Settings {
		t.Fatalf("speak bound: %s %s", r.Title, r.Intro)
	}
	if answered(ask("C2", false, true, "/ask who is the mayor?")) {
		t.Error("bound: a mention in an unbound channel is answered")
	}
	if !answered(ask("C1", false, true, "/ask who is the mayor?")) {
		t.Error("bound: a mention in a bound channel is not answered")
	}
	if !answered(ask("D1", true, true, "/ask who is the mayor?")) {
		t.Error("bound: a direct message is not answered")
	}
	if r := ask("C2", false, false, "/stance poland"); r.Outcome != bot.OutcomeOK {
		t.Errorf("bound: a slash command in an unbound channel: %s", r.Outcome)
	}
	if r := ask("C2", false, false, "/dossier"); !strings.Contains(r.Intro.String(), "only in channels bound to a dossier") {
		t.Errorf("/dossier does not say where the bot speaks: %s", r.Intro)
	}

	manager.Text = "/dossier speak off"
	e.Handle(ctx, manager)
	for _, where := range []struct {
		channel string
		dm      bool
	}{{"C1", false}, {"D1", true}} {
		if answered(ask(where.channel, where.dm, true, "/ask who is the mayor?")) {
			t.Errorf("off: a message in %s is answered", where.channel)
		}
	}
	if r := ask("C1", false, false, "/stance council"); r.Outcome != bot.OutcomeOK {
		t.Errorf("off: a slash command: %s", r.Outcome)
	}
	manager.Text = "/dossier speak sometimes"
	if r := e.Handle(ctx, manager); r.Outcome != bot.OutcomeUsage {
		t.Errorf("a junk mode: %s", r.Outcome)
	}
}
