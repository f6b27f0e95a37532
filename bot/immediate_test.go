package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// TestImmediate: a request is answered inline only when nothing in it can
// wait on the store: a binding not yet cached, or a command that reads or
// writes the store.
func TestImmediate(t *testing.T) {
	b := &fakeBindings{m: map[string]string{}}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	e, err := bot.NewDossiers([]*briefs.Set{loadShipped(t), loadVelmora(t)},
		bot.Options{Bindings: b, BindingTTL: time.Minute, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	req := bot.Request{Platform: bot.PlatformDiscord, Workspace: "G1", ChannelID: "C1", UserID: "U1", Text: "/stance poland"}
	if e.Immediate(req) {
		t.Error("immediate before the channel's binding was read")
	}
	e.Handle(context.Background(), req) // reads and caches the bindings
	reads := b.reads
	if !e.Immediate(req) {
		t.Error("not immediate with the bindings cached")
	}
	for _, text := range []string{"/dossier", "/dossier use velmora"} {
		if r := (bot.Request{Platform: req.Platform, Workspace: "G1", ChannelID: "C1", UserID: "U1", Text: text}); e.Immediate(r) {
			t.Errorf("%q is immediate, but waits on the store", text)
		}
	}
	if oneOff := (bot.Request{Platform: req.Platform, Workspace: "G2", ChannelID: "C9", Text: "/stance in:velmora pilots"}); !e.Immediate(oneOff) {
		t.Error("a command that names its dossier is not immediate")
	}
	if b.reads != reads {
		t.Errorf("Immediate read the store %d times", b.reads-reads)
	}
	now = now.Add(2 * time.Minute) // the cache has expired
	if e.Immediate(req) {
		t.Error("immediate with an expired binding")
	}
	if noStore, _ := bot.NewDossiers([]*briefs.Set{loadShipped(t)}, bot.Options{}); !noStore.Immediate(req) {
		t.Error("not immediate without a store")
	}
}
