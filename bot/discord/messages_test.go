package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

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

const botID = "100000000000000001" // the fake gateway's READY user

// messageEvent is a MESSAGE_CREATE payload.
func messageEvent(id, guild, author, content string, bot bool, mentions ...string) map[string]any {
	var ms []any
	for _, m := range mentions {
		ms = append(ms, map[string]any{"id": m, "username": "someone"})
	}
	ev := map[string]any{"id": id, "channel_id": "300000000000000001", "type": 0, "content": content,
		"author": map[string]any{"id": author, "username": "asker", "bot": bot}, "mentions": ms,
		"timestamp": "2025-08-22T10:00:00.000000+00:00"}
	if guild != "" {
		ev["guild_id"] = guild
	}
	return ev
}

// replicas starts n gateway adapters sharing claims against one fake
// gateway and one fake REST API, and returns their connections.
func replicas(t *testing.T, n int, claims Claimer) (*fakeDiscord, []*gatewayConn, *counter) {
	gw := newFakeGateway(t)
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		if strings.HasPrefix(c.Path, "/api/v9/gateway") {
			return http.StatusOK, nil, `{"url":"` + gw.url() + `","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`
		}
		return http.StatusOK, nil, `{"id":"900000000000000001","channel_id":"300000000000000001"}`
	}
	var c counter
	engine := shippedEngine(t, &c)
	var conns []*gatewayConn
	for range n {
		a, err := New(engine, Options{Mode: ModeGateway, AppID: botID, BotToken: "test-token", APIURL: fake.srv.URL, Claims: claims})
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		t.Cleanup(func() { stop(); <-done })
		conns = append(conns, gw.next(t))
		waitReady(t, a, true)
	}
	return fake, conns, &c
}

// posts returns the messages sent to channels.
func posts(fake *fakeDiscord) []call {
	var out []call
	for _, c := range fake.all() {
		if c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/messages") {
			out = append(out, c)
		}
	}
	return out
}

// TestMentionsTwoReplicas: two replicas' gateway sessions both see every
// message; a mention and a DM are each answered once, as a reply that can
// ping nobody; messages not for the bot, from bots and from the bot itself
// are not answered.
func TestMentionsTwoReplicas(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	fake, conns, c := replicas(t, 2, &memClaims{})
	everywhere := func(ev map[string]any) {
		for _, conn := range conns {
			if err := conn.dispatch("MESSAGE_CREATE", ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	everywhere(messageEvent("700000000000000001", "400000000000000001", "200000000000000001",
		"<@"+botID+"> @everyone will poland send troops? <@&500000000000000001>", false, botID))
	everywhere(messageEvent("700000000000000002", "", "200000000000000002", "what does putin want in exchange for peace", false))
	everywhere(messageEvent("700000000000000003", "400000000000000001", "200000000000000001", "will poland send troops, no mention", false))
	everywhere(messageEvent("700000000000000004", "400000000000000001", "200000000000000003", "<@"+botID+"> from a bot", true, botID))
	everywhere(messageEvent("700000000000000005", "", botID, "our own answer", false))

	deadline := time.Now().Add(5 * time.Second)
	for len(posts(fake)) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // room for a wrong, second answer
	got := posts(fake)
	if len(got) != 2 || c.n.Load() != 2 {
		t.Fatalf("%d messages sent, %d answers; want the mention and the DM answered once each", len(got), c.n.Load())
	}
	var poland, demands bool
	for _, p := range got {
		var m struct {
			AllowedMentions struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
			Reference struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if err := json.Unmarshal(p.Body, &m); err != nil || m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
			t.Errorf("allowed_mentions is not empty: %.300s", p.Body)
		}
		switch m.Reference.MessageID {
		case "700000000000000001":
			poland = contains(p.Body, "Poland") && contains(p.Body, "See /stance poland")
		case "700000000000000002":
			demands = contains(p.Body, "Donetsk")
		}
		for _, bad := range []string{"<@&", "<@2"} {
			if contains(p.Body, bad) {
				t.Errorf("the answer carries %q", bad)
			}
		}
	}
	if !poland || !demands {
		t.Errorf("answers are not replies about Poland and the demands:\n%s\n%s", got[0].Body, got[1].Body)
	}
}

// TestMentionAskedTwice: the same question sent twice in a row is answered
// once.
func TestMentionAskedTwice(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	fake, conns, _ := replicas(t, 1, nil)
	for _, id := range []string{"700000000000000011", "700000000000000012"} {
		conns[0].dispatch("MESSAGE_CREATE", messageEvent(id, "", "200000000000000001", "who is witkoff", false))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(posts(fake)) < 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(posts(fake)); n != 1 {
		t.Fatalf("%d answers to a question sent twice, want 1", n)
	}
}
