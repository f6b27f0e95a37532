package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
)

// TestDigestPerDossier: a subscription made in a channel bound to a
// dossier is that dossier's digest, "changes" keeps one snapshot per
// dossier, and a kind may name its dossier with in:<slug>.
func TestDigestPerDossier(t *testing.T) {
	var sets []*briefs.Set
	for _, src := range []briefs.Source{{}, briefs.FolderSource("../testdata/dossiers/velmora")} {
		set, err := src.Load()
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, set)
	}
	st, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := newClock(time.Date(2031, 6, 1, 12, 0, 0, 0, time.UTC))
	var e *bot.Engine
	cmds := digest.Commands(digest.CommandOptions{Store: st, Builder: func() digest.Builder { return e }, Clock: clock, Log: quietLog()})
	e, err = bot.NewDossiers(sets, bot.Options{Extra: cmds, Bindings: st})
	if err != nil {
		t.Fatal(err)
	}
	mgr := bot.Request{Platform: bot.PlatformSlack, Workspace: "T1", UserID: "U1", ChannelID: "C1", CanManage: true}
	if r := ask(e, mgr, "/dossier use velmora"); r.Outcome != bot.OutcomeOK {
		t.Fatal(bot.RenderText(r))
	}
	if r := ask(e, mgr, "/digest-manage subscribe changes at 08:00"); r.Outcome != bot.OutcomeOK {
		t.Fatal(bot.RenderText(r))
	}
	if r := ask(e, mgr, "/digest preview"); !strings.Contains(bot.RenderText(r), "The Velmora harbour levy (fictional)") {
		t.Errorf("preview in a bound channel:\n%s", bot.RenderText(r))
	}
	other := mgr
	other.ChannelID = "C2"
	if r := ask(e, other, "/digest-manage subscribe changes in:velmora at 09:00"); r.Outcome != bot.OutcomeOK {
		t.Fatal(bot.RenderText(r))
	}
	if r := ask(e, other, "/digest-manage subscribe changes at 10:00"); r.Outcome != bot.OutcomeOK {
		t.Fatal(bot.RenderText(r))
	}
	subs, err := st.Subscriptions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, s := range subs {
		kinds[s.Channel+" "+s.At] = s.Kind
	}
	want := map[string]string{"C1 08:00": "changes in:velmora", "C2 09:00": "changes in:velmora", "C2 10:00": "changes"}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("subscription %s: kind %q, want %q (all: %v)", k, kinds[k], v, kinds)
		}
	}
	if bot.SnapshotKey("slack:C2", "changes in:velmora") == bot.SnapshotKey("slack:C2", "changes") {
		t.Error("two dossiers' changes digests share a snapshot")
	}
	if _, err := e.DigestKind("overview in:velmra"); err == nil || !strings.Contains(err.Error(), "did you mean velmora") {
		t.Errorf("unknown dossier in a kind: %v", err)
	}
	r, snap, err := e.Digest("changes in:velmora", nil)
	if err != nil || snap == nil || !strings.Contains(bot.RenderText(r), "Velmora") {
		t.Errorf("changes digest of velmora: %v %v\n%s", err, snap, bot.RenderText(r))
	}
}
