package slack

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeChatAPI is Slack's Web API on 127.0.0.1: it records chat.postMessage
// calls and answers ok.
type fakeChatAPI struct {
	srv   *httptest.Server
	mu    sync.Mutex
	posts []url.Values
}

func newFakeChatAPI(t *testing.T) *fakeChatAPI {
	f := &fakeChatAPI{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(body))
		if r.URL.Path == "/api/chat.postMessage" {
			f.mu.Lock()
			f.posts = append(f.posts, v)
			f.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true,"channel":"`+v.Get("channel")+`","ts":"1700000000.000900"}`)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeChatAPI) sent() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.posts...)
}

// memClaims is an in-memory Claimer shared by adapters standing for
// replicas, like the store they would share.
type memClaims struct {
	mu   sync.Mutex
	keys map[string]time.Time
}

func (m *memClaims) ClaimEvent(_ context.Context, key string, now time.Time, hold time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]time.Time{}
	}
	if until, ok := m.keys[key]; ok && now.Before(until) {
		return false, nil
	}
	m.keys[key] = now.Add(hold)
	return true, nil
}

var _ Claimer = (*memClaims)(nil)

// eventBody is an event callback as Slack sends it.
func eventBody(id, inner string) string {
	return `{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"` + id + `","event_time":1700000000,` +
		`"authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],"event":` + inner + `}`
}

func mention(user, text, ts, thread string) string {
	return fmt.Sprintf(`{"type":"app_mention","user":%q,"text":%q,"ts":%q,"thread_ts":%q,"channel":"C1","event_ts":%q}`, user, text, ts, thread, ts)
}

func directMessage(user, text, ts, extra string) string {
	return fmt.Sprintf(`{"type":"message","channel_type":"im","user":%q,"text":%q,"ts":%q,"channel":"D1","event_ts":%q%s}`, user, text, ts, ts, extra)
}

func signedJSON(body string, ts time.Time, retry int) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
	r.Header.Set("X-Slack-Signature", Sign(testSecret, ts.Unix(), []byte(body)))
	if retry > 0 {
		r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	return r
}

func newEventsAdapter(t *testing.T, api *fakeChatAPI, clock *fakeClock, claims Claimer) (*Adapter, *countingEngine) {
	eng := &countingEngine{next: shippedEngine(t)}
	opts := Options{BotToken: "xoxb-test", APIURL: api.srv.URL + "/api/"}
	if claims != nil {
		opts.Claims = claims
	}
	a := newTestAdapter(t, eng, clock, opts)
	t.Cleanup(func() { a.bg.Wait() })
	return a, eng
}

func TestEventsURLVerification(t *testing.T) {
	clock := newClock(time.Now())
	a, _ := newEventsAdapter(t, newFakeChatAPI(t), clock, nil)
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	w := serve(a, signedJSON(body, clock.Now(), 0))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"`) {
		t.Fatalf("URL verification: %d %s", w.Code, w.Body)
	}
	forged := signedJSON(body, clock.Now(), 0)
	forged.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64))
	if w := serve(a, forged); w.Code != http.StatusUnauthorized {
		t.Errorf("forged signature: %d, want 401", w.Code)
	}
	form := signedJSON(body, clock.Now(), 0)
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if w := serve(a, form); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong content type: %d, want 401", w.Code)
	}
}

// TestEventsMentionInChannel: a mention is answered once in a thread under
// the message, a retry of the same event is not answered again, and
// nothing the user typed can ping or link.
func TestEventsMentionInChannel(t *testing.T) {
	clock := newClock(time.Now())
	api := newFakeChatAPI(t)
	a, eng := newEventsAdapter(t, api, clock, nil)
	text := "<@UBOT> will poland send troops? <!channel> <https://evil.example|click>"
	body := eventBody("Ev1", mention("U1", text, "1700000000.000100", ""))
	for retry := range 3 {
		if w := serve(a, signedJSON(body, clock.Now(), retry)); w.Code != 200 {
			t.Fatalf("event (retry %d): %d %s", retry, w.Code, w.Body)
		}
	}
	waitFor(t, "the answer", func() bool { return len(api.sent()) > 0 })
	a.bg.Wait()
	posts := api.sent()
	if len(posts) != 1 || eng.calls.Load() != 1 {
		t.Fatalf("%d posts, %d answers; want the event answered once", len(posts), eng.calls.Load())
	}
	p := posts[0]
	if p.Get("channel") != "C1" || p.Get("thread_ts") != "1700000000.000100" || p.Get("unfurl_links") != "false" {
		t.Errorf("posted to %q thread %q unfurl %q", p.Get("channel"), p.Get("thread_ts"), p.Get("unfurl_links"))
	}
	if !strings.Contains(p.Get("blocks"), "Poland") || !strings.Contains(p.Get("blocks"), "See /stance poland") {
		t.Errorf("answer is not about Poland:\n%.500s", p.Get("blocks"))
	}
	for _, bad := range []string{"<!channel>", "<@U", "<https://", "evil.example"} {
		if strings.Contains(p.Get("blocks")+p.Get("text"), bad) {
			t.Errorf("the answer carries %q", bad)
		}
	}
	if req := eng.lastRequest(); req.Text != "/ask "+text || req.UserID != "U1" {
		t.Errorf("engine asked %+v", req)
	}
}

// TestEventsDirectMessage: a DM is answered in the DM (in its thread only
// if it was in one); bots, ourselves and edits are ignored; the same
// question sent twice in a row is answered once.
func TestEventsDirectMessage(t *testing.T) {
	clock := newClock(time.Now())
	api := newFakeChatAPI(t)
	a, eng := newEventsAdapter(t, api, clock, nil)
	send := func(id, inner string) {
		t.Helper()
		if w := serve(a, signedJSON(eventBody(id, inner), clock.Now(), 0)); w.Code != 200 {
			t.Fatalf("%s: %d", id, w.Code)
		}
	}
	send("Ev1", directMessage("U1", "who is witkoff", "1.1", ""))
	send("Ev2", directMessage("U1", "Who is  Witkoff", "1.2", "")) // sent twice by mistake
	send("Ev3", directMessage("UBOT", "an answer of ours", "1.3", ""))
	send("Ev4", directMessage("U2", "from another bot", "1.4", `,"bot_id":"B9"`))
	send("Ev5", directMessage("U1", "edited", "1.5", `,"subtype":"message_changed"`))
	send("Ev6", `{"type":"message","channel_type":"channel","user":"U1","text":"not for us","ts":"1.6","channel":"C1"}`)
	waitFor(t, "the answer", func() bool { return len(api.sent()) > 0 })
	a.bg.Wait()
	if n := len(api.sent()); n != 1 || eng.calls.Load() != 1 {
		t.Fatalf("%d posts, %d answers; want one", n, eng.calls.Load())
	}
	if p := api.sent()[0]; p.Get("channel") != "D1" || p.Get("thread_ts") != "" || !strings.Contains(p.Get("blocks"), "Witkoff") {
		t.Errorf("DM answer: channel %q thread %q\n%.300s", p.Get("channel"), p.Get("thread_ts"), p.Get("blocks"))
	}
	clock.Advance(6 * time.Second)
	send("Ev7", directMessage("U1", "who is witkoff", "1.7", `,"thread_ts":"1.1"`))
	waitFor(t, "the answer a while later", func() bool { return len(api.sent()) == 2 })
	if p := api.sent()[1]; p.Get("thread_ts") != "1.1" {
		t.Errorf("an answer to a message in a thread went to thread %q", p.Get("thread_ts"))
	}
}

// TestEventsTwoReplicas: the same event reaching two replicas that share
// the claims is answered by one of them.
func TestEventsTwoReplicas(t *testing.T) {
	clock := newClock(time.Now())
	api := newFakeChatAPI(t)
	claims := &memClaims{}
	a, e1 := newEventsAdapter(t, api, clock, claims)
	b, e2 := newEventsAdapter(t, api, clock, claims)
	body := eventBody("Ev1", mention("U1", "<@UBOT> what does putin want in exchange for peace", "1.1", ""))
	serve(a, signedJSON(body, clock.Now(), 0))
	serve(b, signedJSON(body, clock.Now(), 1))
	waitFor(t, "the answer", func() bool { return len(api.sent()) > 0 })
	a.bg.Wait()
	b.bg.Wait()
	if n := len(api.sent()); n != 1 || e1.calls.Load()+e2.calls.Load() != 1 {
		t.Fatalf("%d posts, %d answers from two replicas; want one", n, e1.calls.Load()+e2.calls.Load())
	}
}

// TestSocketModeMention: an Events API envelope over Socket Mode is
// acknowledged and answered in the thread through the Web API.
func TestSocketModeMention(t *testing.T) {
	fake := newFakeSocketMode(t)
	eng := &countingEngine{next: shippedEngine(t)}
	a, err := New(eng, Options{Mode: ModeSocket, BotToken: "xoxb-test", AppToken: "xapp-test",
		APIURL: fake.srv.URL + "/api/", Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	conn := fake.next(t)
	waitFor(t, "ready", func() bool { return a.Ready() == nil })
	payload := map[string]any{"token": "x", "team_id": "T1", "type": "event_callback", "event_id": "Ev1", "event_time": 1,
		"authorizations": []any{map[string]any{"team_id": "T1", "user_id": "UBOT", "is_bot": true}},
		"event":          map[string]any{"type": "app_mention", "user": "U1", "text": "<@UBOT> when did trump meet putin", "ts": "5.1", "channel": "C1", "event_ts": "5.1"}}
	conn.send(t, "env1", "events_api", payload)
	conn.send(t, "env2", "events_api", payload) // redelivered
	waitFor(t, "the answer", func() bool { return len(fake.posted("/api/chat.postMessage")) > 0 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := fake.posted("/api/chat.postMessage")
	if len(got) != 1 || !strings.Contains(got[0], "thread_ts=5.1") || !strings.Contains(got[0], "Anchorage") {
		t.Fatalf("%d posts: %.400s", len(got), got)
	}
}
