package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSocketMode is Slack's Socket Mode on 127.0.0.1: apps.connections.open
// hands out a websocket URL; each connection says hello and is handed to
// the test, which sends envelopes and reads the acknowledgements. It also
// takes posts to response_urls under /response/.
type fakeSocketMode struct {
	srv       *httptest.Server
	conns     chan *socketConn
	mu        sync.Mutex
	opens     int
	responses map[string][]string // response_url path → bodies
}

// socketConn is one websocket connection to the fake.
type socketConn struct {
	ws   *websocket.Conn
	acks chan map[string]any
}

func newFakeSocketMode(t *testing.T) *fakeSocketMode {
	f := &fakeSocketMode{conns: make(chan *socketConn, 4), responses: map[string][]string{}}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // the client sends Slack's origin
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/apps.connections.open":
			f.mu.Lock()
			f.opens++
			f.mu.Unlock()
			if r.Header.Get("Authorization") != "Bearer xapp-test" {
				io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			io.WriteString(w, `{"ok":true,"url":"ws`+strings.TrimPrefix(f.srv.URL, "http")+`/link"}`)
		case r.URL.Path == "/link":
			ws, err := up.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			c := &socketConn{ws: ws, acks: make(chan map[string]any, 8)}
			ws.WriteJSON(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A1"}})
			f.conns <- c
			for {
				var ack map[string]any
				if err := ws.ReadJSON(&ack); err != nil {
					close(c.acks)
					return
				}
				c.acks <- ack
			}
		case strings.HasPrefix(r.URL.Path, "/response/") || r.URL.Path == "/api/chat.postMessage":
			body, _ := io.ReadAll(r.Body)
			f.mu.Lock()
			f.responses[r.URL.Path] = append(f.responses[r.URL.Path], string(body))
			f.mu.Unlock()
			io.WriteString(w, `{"ok":true}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSocketMode) next(t *testing.T) *socketConn {
	t.Helper()
	select {
	case c := <-f.conns:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no Socket Mode connection within 10s")
		return nil
	}
}

func (f *fakeSocketMode) posted(path string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.responses[path]...)
}

// send delivers an envelope and returns its acknowledgement.
func (c *socketConn) send(t *testing.T, id, typ string, payload any) map[string]any {
	t.Helper()
	if err := c.ws.WriteJSON(map[string]any{"envelope_id": id, "type": typ, "payload": payload, "accepts_response_payload": true}); err != nil {
		t.Fatal(err)
	}
	select {
	case ack := <-c.acks:
		if ack["envelope_id"] != id {
			t.Fatalf("acknowledged %v, want %s", ack["envelope_id"], id)
		}
		return ack
	case <-time.After(5 * time.Second):
		t.Fatalf("envelope %s not acknowledged", id)
		return nil
	}
}

// TestSocketModeSession runs the adapter in Socket Mode against the fake
// the way `briefbot serve` does: it connects with the app token, answers a
// slash command in the acknowledgement, shares an answer through the
// response_url when the button is pressed, reconnects by itself when the
// connection drops, and stops when told to.
func TestSocketModeSession(t *testing.T) {
	fake := newFakeSocketMode(t)
	eng := &countingEngine{next: fixtureEngine(t)}
	a, err := New(eng, Options{Mode: ModeSocket, BotToken: "xoxb-test", AppToken: "xapp-test",
		APIURL: fake.srv.URL + "/api/", Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	command := func(text string) map[string]any {
		return map[string]any{"command": "/stance", "text": text, "user_id": "U1", "channel_id": "C1", "team_id": "T1",
			"response_url": fake.srv.URL + "/response/1", "is_enterprise_install": false}
	}
	answered := func(ack map[string]any, want string) {
		t.Helper()
		raw, _ := json.Marshal(ack["payload"])
		if !strings.Contains(string(raw), `"response_type":"ephemeral"`) || !strings.Contains(string(raw), want) ||
			!strings.Contains(string(raw), shareActionID) {
			t.Fatalf("acknowledgement is not a private answer about %s with a Share button: %.400s", want, raw)
		}
	}

	first := fake.next(t)
	waitFor(t, "ready", func() bool { return a.Ready() == nil })
	answered(first.send(t, "e1", "slash_commands", command("poland")), "Poland")

	press := map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1"}, "team": map[string]any{"id": "T1"},
		"channel": map[string]any{"id": "C1"}, "container": map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "C1"},
		"response_url": fake.srv.URL + "/response/2",
		"actions":      []any{map[string]any{"type": "button", "action_id": shareActionID, "block_id": shareBlockID, "value": "/stance poland"}}}
	first.send(t, "e2", "interactive", press)
	waitFor(t, "the shared answer", func() bool {
		got := fake.posted("/response/2")
		return len(got) > 0 && strings.Contains(got[0], `"response_type":"in_channel"`) && strings.Contains(got[0], "Poland")
	})

	first.ws.Close() // the connection drops
	second := fake.next(t)
	answered(second.send(t, "e3", "slash_commands", command("germany")), "Germany")
	fake.mu.Lock()
	opens := fake.opens
	fake.mu.Unlock()
	if opens < 2 {
		t.Errorf("apps.connections.open called %d times, want a new URL for the reconnect", opens)
	}
	if n := eng.calls.Load(); n != 3 {
		t.Errorf("engine ran %d times, want 3", n)
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
