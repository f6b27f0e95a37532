package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// fakeGateway is a Discord gateway on 127.0.0.1: it says Hello, answers
// Identify with READY and Resume with RESUMED, acknowledges heartbeats, and
// hands each session to the test, which sends events and drops connections.
type fakeGateway struct {
	srv      *httptest.Server
	sessions chan *gatewayConn
}

// gatewayConn is one websocket connection to the fake gateway.
type gatewayConn struct {
	ws     *websocket.Conn
	hello  map[string]any // the Identify or Resume payload
	op     int            // 2 Identify, 6 Resume
	at     time.Time      // when the gateway read the Identify or Resume
	wmu    sync.Mutex
	seq    int
	closed chan int // the close code the client sent, if it sent one
}

func newFakeGateway(t *testing.T) *fakeGateway {
	g := &fakeGateway{sessions: make(chan *gatewayConn, 8)}
	up := websocket.Upgrader{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &gatewayConn{ws: ws, closed: make(chan int, 1)}
		if err := c.handshake(); err != nil {
			t.Errorf("gateway handshake: %v", err)
			ws.Close()
			return
		}
		g.sessions <- c
		c.read()
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) url() string { return "ws" + strings.TrimPrefix(g.srv.URL, "http") }

// next waits for the next session to be established.
func (g *fakeGateway) next(t *testing.T) *gatewayConn {
	t.Helper()
	select {
	case c := <-g.sessions:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no gateway session within 10s")
		return nil
	}
}

func (c *gatewayConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

// handshake says Hello, reads Identify or Resume, and answers it.
func (c *gatewayConn) handshake() error {
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return err
	}
	for {
		var m struct {
			Op int            `json:"op"`
			D  map[string]any `json:"d"`
		}
		if err := c.ws.ReadJSON(&m); err != nil {
			return err
		}
		switch m.Op {
		case 1: // a heartbeat may come first
			c.send(map[string]any{"op": 11})
			continue
		case 2:
			c.op, c.hello, c.at = 2, m.D, time.Now()
			return c.dispatch("READY", map[string]any{"v": 10, "session_id": "session-1",
				"user":   map[string]any{"id": "100000000000000001", "username": "briefbot", "bot": true},
				"guilds": []any{map[string]any{"id": "200000000000000001", "unavailable": true}}})
		case 6:
			c.op, c.hello, c.at = 6, m.D, time.Now()
			return c.dispatch("RESUMED", map[string]any{})
		}
	}
}

func (c *gatewayConn) dispatch(event string, d any) error {
	c.wmu.Lock()
	c.seq++
	s := c.seq
	c.wmu.Unlock()
	return c.send(map[string]any{"op": 0, "t": event, "s": s, "d": d})
}

// read acknowledges heartbeats until the connection ends, noting the
// client's close code.
func (c *gatewayConn) read() {
	for {
		var m struct {
			Op int `json:"op"`
		}
		if err := c.ws.ReadJSON(&m); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				c.closed <- ce.Code
			}
			close(c.closed)
			return
		}
		if m.Op == 1 {
			c.send(map[string]any{"op": 11})
		}
	}
}

// TestGatewaySession runs the adapter against the fake gateway the way
// `briefbot serve` does: it connects with the guilds intent only, answers
// an interaction that arrives over the socket, reconnects and resumes on
// its own when the connection drops, and closes cleanly when told to stop.
func TestGatewaySession(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	gw := newFakeGateway(t)
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		if strings.HasPrefix(c.Path, "/api/v9/gateway") {
			return http.StatusOK, nil, `{"url":"` + gw.url() + `","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`
		}
		return http.StatusOK, nil, `{}`
	}
	var c counter
	a := newGatewayAdapter(t, shippedEngine(t, &c), fake.srv.URL)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	first := gw.next(t)
	if first.op != 2 || first.hello["token"] != "Bot test-token" {
		t.Fatalf("first message was op %d with token %v; want Identify with the bot token", first.op, first.hello["token"])
	}
	want := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if intents, _ := first.hello["intents"].(float64); int(intents) != int(want) || want&(discordgo.IntentsGuildMembers|discordgo.IntentsGuildPresences|discordgo.IntentsMessageContent) != 0 {
		t.Errorf("identified with intents %v, want guilds, guild messages and DMs (%d), none privileged", first.hello["intents"], want)
	}
	waitReady(t, a, true)

	ask := func(conn *gatewayConn, id string, wantCalls int) {
		t.Helper()
		var payload map[string]any
		json.Unmarshal(commandJSON(id, 2, "stance", 1<<4, opt{Name: "actor", Type: 3, Value: "poland"}), &payload)
		if err := conn.dispatch("INTERACTION_CREATE", payload); err != nil {
			t.Fatal(err)
		}
		calls := fake.waitCalls(t, wantCalls)
		got := calls[len(calls)-1]
		if got.Path != "/api/v9/interactions/"+id+"/tok-"+id+"/callback" || !contains(got.Body, "Poland") {
			t.Fatalf("answer to %s: %s %s %.200s", id, got.Method, got.Path, got.Body)
		}
	}
	before := len(fake.all())
	ask(first, "ws1", before+1)

	// The connection drops: the adapter resumes on a new one by itself.
	first.ws.Close()
	second := gw.next(t)
	if second.op != 6 || second.hello["session_id"] != "session-1" {
		t.Fatalf("after the drop: op %d %v; want Resume of session-1", second.op, second.hello)
	}
	waitReady(t, a, true)
	ask(second, "ws2", before+2)
	if c.n.Load() != 2 {
		t.Errorf("engine ran %d times, want 2", c.n.Load())
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
	if code := <-second.closed; code != websocket.CloseNormalClosure {
		t.Errorf("closed with code %d, want a normal closure", code)
	}
	if a.Ready() == nil {
		t.Error("still ready after closing")
	}
}

// waitReady waits until the adapter's readiness is want.
func waitReady(t *testing.T, a *Adapter, want bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for (a.Ready() == nil) != want {
		if time.Now().After(deadline) {
			t.Fatalf("adapter ready = %v, want %v", a.Ready() == nil, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
