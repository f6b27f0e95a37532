package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/briefbot/briefbot/store/storetest"
)

const askSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// signSlack signs an Events API body as Slack does.
func signSlack(body string, retry int) map[string]string {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(askSecret))
	io.WriteString(mac, "v0:"+ts+":"+body)
	h := map[string]string{"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + hex.EncodeToString(mac.Sum(nil))}
	if retry > 0 {
		h["X-Slack-Retry-Num"] = strconv.Itoa(retry)
		h["X-Slack-Retry-Reason"] = "http_timeout"
	}
	return h
}

func slackMention(eventID, ts, text string) string {
	return `{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"` + eventID + `","event_time":1,` +
		`"authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],` +
		`"event":{"type":"app_mention","user":"U1","text":"` + text + `","ts":"` + ts + `","channel":"C1","event_ts":"` + ts + `"}}`
}

// waitPosts waits until the fake got want posts to path, then a little
// longer for any extra, wrong one, and returns them all.
func waitPosts(t *testing.T, fake *fakePlatform, path string, want int) []fakeRequest {
	t.Helper()
	eventually(t, fmt.Sprintf("%d post(s) to %s", want, path), func() bool { return len(fake.to(path)) >= want })
	time.Sleep(500 * time.Millisecond)
	return fake.to(path)
}

// TestSlackMentionsTwoReplicas runs two `briefbot serve` replicas on one
// PostgreSQL database against a fake Slack: URL verification works on
// either; a mention delivered to one replica and retried to the other is
// answered once, in its thread; the same question sent twice, each copy to
// a different replica, is answered once.
func TestSlackMentionsTwoReplicas(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	db := storetest.PostgresURL(t)
	fake := newFakePlatform(t, func(string) string { return `{"ok":true,"channel":"C1","ts":"1700000000.000900"}` })
	vars := map[string]string{"SLACK_SIGNING_SECRET": askSecret, "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_API_URL": fake.srv.URL + "/api/", "DATABASE_URL": db}
	a, _ := startServeEnv(t, vars)
	b, _ := startServeEnv(t, vars)
	const ctype = "application/json"

	challenge := `{"token":"x","challenge":"c0ffee","type":"url_verification"}`
	if status, body := post(t, b+"/slack/events", ctype, challenge, signSlack(challenge, 0)); status != 200 || !strings.Contains(body, `"challenge":"c0ffee"`) {
		t.Fatalf("URL verification: %d %s", status, body)
	}

	ev := slackMention("Ev1", "1700000000.000100", "<@UBOT> will poland send troops?")
	if status, _ := post(t, a+"/slack/events", ctype, ev, signSlack(ev, 0)); status != 200 {
		t.Fatalf("event: %d", status)
	}
	if status, _ := post(t, b+"/slack/events", ctype, ev, signSlack(ev, 1)); status != 200 {
		t.Fatalf("retried event: %d", status)
	}
	posts := waitPosts(t, fake, "/api/chat.postMessage", 1)
	if len(posts) != 1 || !strings.Contains(posts[0].Body, "thread_ts=1700000000.000100") || !strings.Contains(posts[0].Body, "Poland") {
		t.Fatalf("%d answers to one mention and its retry on another replica, want 1 in the thread:\n%.300v", len(posts), posts)
	}

	for i, url := range []string{a, b} { // sent twice by mistake, each copy to a replica
		ev := slackMention(fmt.Sprint("Ev", 10+i), fmt.Sprint("1700000001.00010", i), "<@UBOT> who is witkoff")
		post(t, url+"/slack/events", ctype, ev, signSlack(ev, 0))
	}
	if posts := waitPosts(t, fake, "/api/chat.postMessage", 2); len(posts) != 2 || !strings.Contains(posts[1].Body, "Witkoff") {
		t.Fatalf("%d answers in all, want 2 (the double send answered once)", len(posts))
	}
}

// fakeGateway is Discord's gateway on 127.0.0.1 for serve: it says Hello,
// answers Identify with READY, acknowledges heartbeats, and keeps every
// session so the test can send each the same events.
type fakeGateway struct {
	srv   *httptest.Server
	mu    sync.Mutex
	conns []*gatewaySession
}

type gatewaySession struct {
	ws  *websocket.Conn
	mu  sync.Mutex
	seq int
}

func (s *gatewaySession) send(event string, d any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.ws.WriteJSON(map[string]any{"op": 0, "t": event, "s": s.seq, "d": d})
}

func newFakeGateway(t *testing.T) *fakeGateway {
	g := &fakeGateway{}
	up := websocket.Upgrader{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		s := &gatewaySession{ws: ws}
		s.ws.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		for {
			var m struct {
				Op int `json:"op"`
			}
			if err := ws.ReadJSON(&m); err != nil {
				return
			}
			switch m.Op {
			case 1:
				s.mu.Lock()
				ws.WriteJSON(map[string]any{"op": 11})
				s.mu.Unlock()
			case 2:
				s.send("READY", map[string]any{"v": 10, "session_id": fmt.Sprint("session-", len(g.sessions())),
					"user": map[string]any{"id": "100000000000000001", "username": "briefbot", "bot": true}, "guilds": []any{}})
				g.mu.Lock()
				g.conns = append(g.conns, s)
				g.mu.Unlock()
			}
		}
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) sessions() []*gatewaySession {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*gatewaySession(nil), g.conns...)
}

// TestDiscordMentionsTwoReplicas runs two `briefbot serve` replicas in
// gateway mode on one PostgreSQL database: one of them holds the gateway
// (its one shard); a mention and a DM, each delivered twice, are each
// answered once, as replies that can ping nobody.
func TestDiscordMentionsTwoReplicas(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	db := storetest.PostgresURL(t)
	gw := newFakeGateway(t)
	wsURL := "ws" + strings.TrimPrefix(gw.srv.URL, "http")
	fake := newFakePlatform(t, func(path string) string {
		if strings.HasPrefix(path, "/api/v9/gateway") {
			return `{"url":"` + wsURL + `","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`
		}
		return `{"id":"900000000000000001","channel_id":"300000000000000001"}`
	})
	vars := map[string]string{"DISCORD_APP_ID": "100000000000000001", "DISCORD_BOT_TOKEN": "test-token",
		"DISCORD_MODE": "gateway", "DISCORD_API_URL": fake.srv.URL, "DATABASE_URL": db,
		"DISCORD_SHARD_ROUND": testShardRound.String()}
	startServeEnv(t, vars)
	startServeEnv(t, vars)
	eventually(t, "a gateway session", func() bool { return len(gw.sessions()) == 1 })
	time.Sleep(4 * testShardRound) // rounds of the other replica's shard retries
	if n := len(gw.sessions()); n != 1 {
		t.Fatalf("%d gateway sessions for one shard, want 1", n)
	}

	msg := func(id, guild, content string, mentions ...string) map[string]any {
		var ms []any
		for _, m := range mentions {
			ms = append(ms, map[string]any{"id": m, "username": "briefbot"})
		}
		ev := map[string]any{"id": id, "channel_id": "300000000000000001", "type": 0, "content": content,
			"author": map[string]any{"id": "200000000000000001", "username": "asker"}, "mentions": ms,
			"timestamp": "2025-08-22T10:00:00.000000+00:00"}
		if guild != "" {
			ev["guild_id"] = guild
		}
		return ev
	}
	s := gw.sessions()[0]
	for range 2 { // delivered again, as on a shard changing hands
		s.send("MESSAGE_CREATE", msg("700000000000000001", "400000000000000001", "<@100000000000000001> will poland send troops?", "100000000000000001"))
		s.send("MESSAGE_CREATE", msg("700000000000000002", "", "when did trump meet putin"))
	}
	posts := waitPosts(t, fake, "/api/v9/channels/300000000000000001/messages", 2)
	if len(posts) != 2 {
		t.Fatalf("%d answers from two replicas to a mention and a DM, want 2", len(posts))
	}
	for _, p := range posts {
		if !strings.Contains(p.Body, `"parse":[]`) || !strings.Contains(p.Body, `"message_reference"`) {
			t.Errorf("not a reply that pings nobody: %.300s", p.Body)
		}
	}
}
