package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
)

// fakeResponseURL stands in for Slack's response_url endpoint on 127.0.0.1.
type fakeResponseURL struct {
	mu    sync.Mutex
	posts []wire
	srv   *httptest.Server
}

func newFakeResponseURL(t *testing.T) *fakeResponseURL {
	f := &fakeResponseURL{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		m := decodeWire(t, b)
		f.mu.Lock()
		f.posts = append(f.posts, m)
		f.mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeResponseURL) got() []wire {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]wire(nil), f.posts...)
}

func shareBody(user, channel, messageTs, command, responseURL string) string {
	p := map[string]any{
		"type":         "block_actions",
		"user":         map[string]string{"id": user},
		"channel":      map[string]string{"id": channel},
		"container":    map[string]any{"type": "message", "message_ts": messageTs, "channel_id": channel, "is_ephemeral": true},
		"response_url": responseURL,
		"actions":      []map[string]string{{"action_id": shareActionID, "block_id": shareBlockID, "type": "button", "value": command}},
	}
	b, _ := json.Marshal(p)
	return url.Values{"payload": {string(b)}}.Encode()
}

func TestDuplicateCommandRunsOnce(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{})
	body := commandBody("/stance", "poland", "U1", "")

	first := serve(a, signedRequest("/slack/commands", body, clock.Now()))
	second := serve(a, signedRequest("/slack/commands", body, clock.Now()))
	retry := signedRequest("/slack/commands", body, clock.Now())
	retry.Header.Set("X-Slack-Retry-Num", "1")
	third := serve(a, retry)
	if first.Code != 200 || first.Body.Len() == 0 || second.Code != 200 || second.Body.Len() != 0 || third.Body.Len() != 0 {
		t.Fatalf("first %d (%d bytes), second %d (%d bytes), retry %d bytes; want one answer",
			first.Code, first.Body.Len(), second.Code, second.Body.Len(), third.Body.Len())
	}
	other := serve(a, signedRequest("/slack/commands", commandBody("/stance", "poland", "U2", ""), clock.Now()))
	if other.Body.Len() == 0 {
		t.Error("another user asking the same was taken for a duplicate")
	}
	clock.Advance(commandWindow)
	later := serve(a, signedRequest("/slack/commands", body, clock.Now()))
	if later.Body.Len() == 0 {
		t.Error("the same command after the window was not answered")
	}
	if n := eng.calls.Load(); n != 3 {
		t.Errorf("engine ran %d times, want 3", n)
	}
}

func TestLongReplyFollowsUp(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	r, markers := stressReply()
	eng := &countingEngine{fixed: r}
	a := newTestAdapter(t, eng, clock, Options{})
	ru := newFakeResponseURL(t)
	w := serve(a, signedRequest("/slack/commands", commandBody("/stress", "", "U1", ru.srv.URL), clock.Now()))
	a.bg.Wait()
	first := decodeWire(t, w.Body.Bytes())
	all := checkLimits(t, "response", first)
	rest := ru.got()
	if len(rest) != bot.MaxMessages-1 {
		t.Fatalf("%d follow-ups, want %d (an answer takes at most %d messages)", len(rest), bot.MaxMessages-1, bot.MaxMessages)
	}
	for i, m := range rest {
		all += checkLimits(t, "follow-up", m)
		if m.ResponseType != ephemeral || m.ReplaceOriginal == nil || *m.ReplaceOriginal {
			t.Errorf("follow-up %d: response_type %q, replace_original %v", i, m.ResponseType, m.ReplaceOriginal)
		}
	}
	if !strings.Contains(all, markers[0]) || !strings.Contains(all, "marker00100") {
		t.Error("the first parts of the reply are missing")
	}
	last := rest[len(rest)-1]
	if text := checkLimits(t, "last", last); !strings.Contains(text, "Cut short: ") || !strings.Contains(text, "items not shown") {
		t.Errorf("the last message does not say the answer was cut: %q", clip(text))
	}
}

func TestShareInChannelOnce(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{})
	ru := newFakeResponseURL(t)
	body := shareBody("U1", "C1", "1700000000.000200", "/stance poland", ru.srv.URL)
	for range 2 {
		w := serve(a, signedRequest("/slack/interactivity", body, clock.Now()))
		if w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
	}
	a.bg.Wait()
	posts := ru.got()
	var public, replaced int
	for _, p := range posts {
		switch {
		case p.ResponseType == inChannel && p.ReplaceOriginal != nil && !*p.ReplaceOriginal:
			public++
			checkLimits(t, "shared", p)
			if hasShareButton(p) {
				t.Error("the public copy has a Share button")
			}
			if !strings.Contains(p.Blocks[0].Text.Text, "Poland") {
				t.Errorf("shared %q, want the Poland answer", p.Blocks[0].Text.Text)
			}
		case p.ReplaceOriginal != nil && *p.ReplaceOriginal:
			replaced++
			if hasShareButton(p) {
				t.Error("the private copy still has its Share button")
			}
		}
	}
	if public != 1 || replaced != 1 || eng.calls.Load() != 1 {
		t.Errorf("%d public posts, %d replacements, %d engine runs; want 1, 1, 1", public, replaced, eng.calls.Load())
	}
}

func TestInteractionOtherThanShareIgnored(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{})
	body := url.Values{"payload": {`{"type":"view_closed","user":{"id":"U1"}}`}}.Encode()
	for _, b := range []string{body, "payload=%7Bnot-json", "nothing=here"} {
		if w := serve(a, signedRequest("/slack/interactivity", b, clock.Now())); w.Code != 200 {
			t.Errorf("%q: status %d, want 200", b, w.Code)
		}
	}
	a.bg.Wait()
	if n := eng.calls.Load(); n != 0 {
		t.Errorf("engine ran %d times", n)
	}
}

// fakeAcker records Socket Mode acknowledgements.
type fakeAcker struct {
	mu   sync.Mutex
	acks []socketmode.Request
	body [][]byte
}

func (f *fakeAcker) Ack(req socketmode.Request, payload ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.acks = append(f.acks, req)
	var b []byte
	if len(payload) > 0 {
		b, _ = json.Marshal(payload[0])
	}
	f.body = append(f.body, b)
	return nil
}

func socketAdapter(t *testing.T, eng Engine, clock *fakeClock) *Adapter {
	a, err := New(eng, Options{Mode: ModeSocket, BotToken: "xoxb-test", AppToken: "xapp-test",
		APIURL: "http://127.0.0.1:1/", Now: clock.Now, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSocketModeDispatch(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := socketAdapter(t, eng, clock)
	ack := &fakeAcker{}
	ctx := context.Background()

	if a.Ready() == nil {
		t.Error("ready before connecting")
	}
	a.dispatch(ctx, ack, socketmode.Event{Type: socketmode.EventTypeConnected})
	if err := a.Ready(); err != nil {
		t.Errorf("not ready once connected: %v", err)
	}

	cmd := slackapi.SlashCommand{Command: "/whois", Text: "kosiniak-kamysz", UserID: "U1", ChannelID: "C1", TeamID: "T1"}
	evt := socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd, Request: &socketmode.Request{EnvelopeID: "env-1"}}
	a.dispatch(ctx, ack, evt)
	a.dispatch(ctx, ack, evt) // delivered again: acked, not answered twice
	if len(ack.acks) != 2 || ack.acks[0].EnvelopeID != "env-1" {
		t.Fatalf("acks %+v", ack.acks)
	}
	m := decodeWire(t, ack.body[0])
	checkLimits(t, "socket ack", m)
	if m.ResponseType != ephemeral || !strings.Contains(m.Blocks[0].Text.Text, "Kosiniak") {
		t.Errorf("ack payload %q / %q, want the private answer about Kosiniak-Kamysz", m.ResponseType, m.Blocks[0].Text.Text)
	}
	if ack.body[1] != nil || eng.calls.Load() != 1 {
		t.Errorf("duplicate delivery: payload %s, engine runs %d", ack.body[1], eng.calls.Load())
	}
	if got := eng.lastRequest().Text; got != "/whois kosiniak-kamysz" {
		t.Errorf("engine got %q, want the command as Slack sent it", got)
	}

	ru := newFakeResponseURL(t)
	var cb slackapi.InteractionCallback
	v, _ := url.ParseQuery(shareBody("U1", "C1", "1.2", "/stance poland", ru.srv.URL))
	if err := json.Unmarshal([]byte(v.Get("payload")), &cb); err != nil {
		t.Fatal(err)
	}
	a.dispatch(ctx, ack, socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb, Request: &socketmode.Request{EnvelopeID: "env-2"}})
	a.bg.Wait()
	if len(ack.acks) != 3 || ack.acks[2].EnvelopeID != "env-2" {
		t.Errorf("interaction not acked: %+v", ack.acks)
	}
	if posts := ru.got(); len(posts) == 0 || posts[0].ResponseType != inChannel {
		t.Errorf("share over socket mode posted %+v", posts)
	}

	a.dispatch(ctx, ack, socketmode.Event{Type: socketmode.EventTypeDisconnect})
	if a.Ready() == nil {
		t.Error("ready after disconnect")
	}
}

func TestHTTPModeRunReturnsWithContext(t *testing.T) {
	a := newTestAdapter(t, &countingEngine{}, newClock(time.Now()), Options{})
	if err := a.Ready(); err != nil {
		t.Fatalf("http mode not ready: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}

func TestNewRejectsIncompleteOptions(t *testing.T) {
	for _, o := range []Options{
		{Mode: ModeHTTP},
		{Mode: ModeSocket, BotToken: "xoxb-1"},
		{Mode: "carrier-pigeon", SigningSecret: "s"},
	} {
		if _, err := New(&countingEngine{}, o); err == nil || !strings.HasPrefix(err.Error(), "slack: ") {
			t.Errorf("New(%+v) = %v, want a slack: error", o, err)
		}
	}
}

func TestManagersCanManage(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{Managers: []string{"UBOSS"}})
	serve(a, signedRequest("/slack/commands", commandBody("/help", "", "UBOSS", ""), clock.Now()))
	if r := eng.lastRequest(); !r.CanManage || r.Platform != "slack" {
		t.Errorf("manager request %+v", r)
	}
	serve(a, signedRequest("/slack/commands", commandBody("/help", "", "U2", ""), clock.Now()))
	if r := eng.lastRequest(); r.CanManage || !strings.Contains(r.ManageHint, "UBOSS") || !strings.Contains(r.ManageHint, "SLACK_MANAGERS") {
		t.Errorf("other user request %+v", r)
	}
}
