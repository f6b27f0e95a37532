package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

func newGatewayAdapter(t *testing.T, e *bot.Engine, apiURL string) *Adapter {
	t.Helper()
	a, err := New(e, Options{Mode: ModeGateway, AppID: "100000000000000001", BotToken: "test-token", APIURL: apiURL})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// event decodes a payload as discordgo hands it to handlers.
func event(t *testing.T, raw []byte) *discordgo.InteractionCreate {
	t.Helper()
	var in discordgo.Interaction
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	return &discordgo.InteractionCreate{Interaction: &in}
}

func TestGatewayCommand(t *testing.T) {
	var c counter
	fake := newFakeDiscord(t)
	a := newGatewayAdapter(t, shippedEngine(t, &c), fake.srv.URL)
	ev := event(t, commandJSON("g1", 2, "stance", 1<<4, opt{Name: "actor", Type: 3, Value: "poland"}))
	a.onInteraction(nil, ev)
	a.onInteraction(nil, ev) // delivered twice: answered once
	calls := fake.all()
	if len(calls) != 1 {
		t.Fatalf("%d requests to Discord, want 1", len(calls))
	}
	got := calls[0]
	if got.Method != http.MethodPost || got.Path != "/api/v9/interactions/g1/tok-g1/callback" {
		t.Errorf("callback %s %s", got.Method, got.Path)
	}
	if got.Header.Get("Authorization") != "" {
		t.Error("interaction callback carries the bot token")
	}
	d := decode(t, got.Body)
	if d.Type != 4 || d.Data.Flags&64 == 0 || !contains(got.Body, "Poland") {
		t.Errorf("callback body %s", got.Body)
	}
	checkNoMentions(t, "gateway", d)
	if c.n.Load() != 1 {
		t.Errorf("engine ran %d times", c.n.Load())
	}
}

func TestGatewayAutocompleteAndShare(t *testing.T) {
	fake := newFakeDiscord(t)
	a := newGatewayAdapter(t, shippedEngine(t, nil), fake.srv.URL)
	a.onInteraction(nil, event(t, commandJSON("g2", 4, "stance", 0, opt{Name: "actor", Type: 3, Value: "germ", Focused: true})))
	a.onInteraction(nil, event(t, buttonJSON("g3", "share:/stance germany")))
	calls := fake.all()
	if len(calls) != 2 {
		t.Fatalf("%d requests", len(calls))
	}
	if d := decode(t, calls[0].Body); d.Type != 8 || len(d.Data.Choices) == 0 || d.Data.Choices[0].Value != "germany" {
		t.Errorf("autocomplete %s", calls[0].Body)
	}
	if d := decode(t, calls[1].Body); d.Type != 4 || d.Data.Flags&64 != 0 || !contains(calls[1].Body, "Germany") {
		t.Errorf("share %s", calls[1].Body)
	}
}

func TestGatewayMultiMessageFollowUps(t *testing.T) {
	fake := newFakeDiscord(t)
	stress := bot.Command{Name: "stress", Summary: "A reply past every limit",
		Run: func(context.Context, bot.Request, string) *bot.Reply { return stressReply() }}
	e := shippedEngine(t, nil, stress)
	a := newGatewayAdapter(t, e, fake.srv.URL)
	want := len(fitted(stressReply(), "/stress", "", bot.Naming{}))
	if want < 2 {
		t.Fatalf("the stress reply renders as %d message; it must need several", want)
	}
	a.onInteraction(nil, event(t, commandJSON("g4", 2, "stress", 0)))
	calls := fake.all()
	if len(calls) != want {
		t.Fatalf("%d requests, want %d", len(calls), want)
	}
	for _, c := range calls[1:] {
		if c.Path != "/api/v9/webhooks/100000000000000001/tok-g4" {
			t.Errorf("follow-up path %s", c.Path)
		}
	}
	if !contains(calls[len(calls)-1].Body, "share:/stress") {
		t.Error("the last message lacks the Share button")
	}
}

func TestGatewayRespondRetriesRateLimit(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(c call, n int) (int, http.Header, string) {
		if n == 1 {
			return http.StatusTooManyRequests, nil, `{"message":"You are being rate limited.","retry_after":0.01,"global":false}`
		}
		return http.StatusNoContent, nil, ""
	}
	a := newGatewayAdapter(t, shippedEngine(t, nil), fake.srv.URL)
	a.onInteraction(nil, event(t, commandJSON("g5", 2, "help", 0)))
	if n := len(fake.all()); n != 2 {
		t.Errorf("%d requests, want 2 (one 429, one retry)", n)
	}
}

// TestDeferSlowCommand: a command slower than the deferral time is
// acknowledged at once and completed by editing the response.
func TestDeferSlowCommand(t *testing.T) {
	slow := bot.Command{Name: "slow", Summary: "Takes its time", Waits: true,
		Run: func(context.Context, bot.Request, string) *bot.Reply {
			time.Sleep(200 * time.Millisecond)
			return &bot.Reply{Command: "slow", Outcome: bot.OutcomeOK, Title: "Slow answer", Private: true}
		}}
	fake := newFakeDiscord(t)
	k := newTestKey(t)
	a, err := New(shippedEngine(t, nil, slow), Options{Mode: ModeHTTP, AppID: "100000000000000001",
		PublicKey: k.hex(), APIURL: fake.srv.URL, DeferAfter: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	w := serve(a, k.signed(commandJSON("s1", 2, "slow", 0), time.Now()))
	if took := time.Since(start); took > 150*time.Millisecond {
		t.Errorf("response took %v", took)
	}
	if d := decode(t, w.Body.Bytes()); d.Type != 5 || d.Data.Flags&64 == 0 {
		t.Errorf("deferred response %s", w.Body)
	}
	calls := fake.waitCalls(t, 1)
	if calls[0].Method != http.MethodPatch || calls[0].Path != "/api/v9/webhooks/100000000000000001/tok-s1/messages/@original" ||
		!strings.Contains(string(calls[0].Body), "Slow answer") || !strings.Contains(string(calls[0].Body), `"parse":[]`) {
		t.Errorf("completion %s %s %s", calls[0].Method, calls[0].Path, calls[0].Body)
	}
}

func TestReady(t *testing.T) {
	a := newGatewayAdapter(t, shippedEngine(t, nil), "http://127.0.0.1:1")
	if a.Ready() == nil {
		t.Error("gateway adapter ready before connecting")
	}
	markConnected(a)
	if a.Ready() != nil {
		t.Error("connected gateway adapter not ready")
	}
	k := newTestKey(t)
	if err := newHTTPAdapter(t, shippedEngine(t, nil), k, "http://127.0.0.1:1").Ready(); err != nil {
		t.Errorf("HTTP adapter: %v", err)
	}
}

func TestRunClosesOnCancel(t *testing.T) {
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, nil), k, "http://127.0.0.1:1")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// markConnected makes the adapter hold shard 0, connected, as after READY.
func markConnected(a *Adapter) {
	sh := &shard{id: 0, done: make(chan struct{})}
	sh.connected.Store(true)
	a.gw.mu.Lock()
	a.gw.running[0] = sh
	a.gw.mu.Unlock()
}
