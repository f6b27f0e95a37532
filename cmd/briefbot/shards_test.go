package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/briefbot/briefbot/store/storetest"
)

// testShardRound is how often the replicas of these tests look for free
// gateway shards: a round takes milliseconds here, and 5 s rounds would
// make the tests wait for them.
const testShardRound = 250 * time.Millisecond

// replicaEnv marks a test binary started as a replica by
// TestDiscordShardsAcrossReplicas.
const replicaEnv = "BRIEFBOT_TEST_REPLICA"

// TestReplicaProcess is `briefbot serve` in a process of its own, for
// TestDiscordShardsAcrossReplicas to kill.
func TestReplicaProcess(t *testing.T) {
	if os.Getenv(replicaEnv) != "1" {
		t.Skip("a replica started by TestDiscordShardsAcrossReplicas")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, []string{"serve"}, env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

// TestDiscordShardsAcrossReplicas runs two replicas of `briefbot serve`
// on one PostgreSQL database with four gateway shards against a fake
// Discord: every shard is connected exactly once, spread over both; after
// one replica is killed (SIGKILL) every shard is connected again within
// 30 s; and no interaction is answered twice.
func TestDiscordShardsAcrossReplicas(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	if testing.Short() {
		t.Skip("starts two processes; skipped with -short")
	}
	pg := storetest.PostgresURL(t)
	gw := newShardGateway(t)
	api := newInteractionAPI(t, gw.url())
	dir := t.TempDir()
	start := func(name string) (*exec.Cmd, string) {
		addr := freeAddr(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestReplicaProcess$")
		cmd.Env = append(os.Environ(), replicaEnv+"=1", "DATABASE_URL="+pg, "BRIEFBOT_ADDR="+addr,
			"BRIEFBOT_DATA_DIR="+filepath.Join(dir, name), "BRIEFBOT_LOG_FORMAT=json",
			"DISCORD_APP_ID=100000000000000001", "DISCORD_BOT_TOKEN=test-token", "DISCORD_MODE=gateway",
			"DISCORD_API_URL="+api.srv.URL, "DISCORD_SHARDS=4", "DISCORD_SHARD_ROUND="+testShardRound.String())
		logf, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			logf.Close()
			if t.Failed() {
				raw, _ := os.ReadFile(logf.Name())
				t.Logf("%s's log:\n%s", name, raw)
			}
		})
		return cmd, "http://" + addr
	}
	a, aURL := start("a")
	_, bURL := start("b")

	// Both replicas up: four shards, each on one connection, two each.
	waitFor(t, 60*time.Second, "four shards connected, two on each replica", func() bool {
		return gw.liveShards() == 4 && strings.Contains(readyz(aURL), "shards") && heldCount(readyz(aURL)) == 2 && heldCount(readyz(bURL)) == 2
	})
	gw.checkNoDoubles(t)
	ask := func(round string) {
		t.Helper()
		for shard := range 4 {
			id := fmt.Sprintf("6%02d%s%014d", shard, round, shard)
			if !gw.dispatch(shard, interactionEvent(id)) {
				t.Fatalf("shard %d has no live connection", shard)
			}
			waitFor(t, 10*time.Second, "an answer to "+id, func() bool { return api.answersOf(id) >= 1 })
		}
	}
	ask("1")

	// Kill a replica: its shards must be connected again by the other.
	killed := time.Now()
	if err := a.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	a.Wait()
	waitFor(t, 30*time.Second, "every shard connected again after the kill", func() bool {
		return gw.liveShards() == 4 && heldCount(readyz(bURL)) == 4
	})
	t.Logf("all 4 shards connected again %.1f s after the kill", time.Since(killed).Seconds())
	gw.checkNoDoubles(t)
	ask("2")
	time.Sleep(500 * time.Millisecond) // a second answer would come now
	if twice := api.answeredTwice(); len(twice) > 0 {
		t.Errorf("interactions answered more than once: %v", twice)
	}
	if n := api.total(); n != 8 {
		t.Errorf("%d answers for 8 interactions", n)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", limit, what)
		}
	}
}

func readyz(base string) string {
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

var heldRE = regexp.MustCompile(`shards ([0-9,]+) of 4 held here`)

// heldCount reads how many shards a replica's /readyz says it holds.
func heldCount(readyz string) int {
	m := heldRE.FindStringSubmatch(readyz)
	if m == nil {
		return 0
	}
	return len(strings.Split(m[1], ","))
}

func interactionEvent(id string) map[string]any {
	return map[string]any{"id": id, "application_id": "100000000000000001", "type": 2, "token": "tok-" + id,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001", "version": 1,
		"member": map[string]any{"permissions": "0", "user": map[string]any{"id": "200000000000000001", "username": "tester"}},
		"data":   map[string]any{"id": "500000000000000001", "name": "stance", "type": 1, "options": []any{map[string]any{"name": "actor", "type": 3, "value": "poland"}}}}
}

// interactionAPI is Discord's REST API as the replicas need it: where the
// gateway is, and interaction callbacks, counted by interaction id. It
// gives the bot a max_concurrency of 16, as Discord does to large bots, so
// that each replica opens a shard every 5s/16 rather than every 5 s.
type interactionAPI struct {
	srv     *httptest.Server
	mu      sync.Mutex
	answers map[string]int
}

func newInteractionAPI(t *testing.T, gateway string) *interactionAPI {
	api := &interactionAPI{answers: map[string]int{}}
	callback := regexp.MustCompile(`^/api/v9/interactions/([0-9]+)/[^/]+/callback$`)
	api.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m := callback.FindStringSubmatch(r.URL.Path); m != nil {
			api.mu.Lock()
			api.answers[m[1]]++
			api.mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, "/api/v9/gateway") {
			fmt.Fprintf(w, `{"url":%q,"shards":4,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":16}}`, gateway)
			return
		}
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(api.srv.Close)
	return api
}

func (api *interactionAPI) answersOf(id string) int {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.answers[id]
}

func (api *interactionAPI) answeredTwice() []string {
	api.mu.Lock()
	defer api.mu.Unlock()
	var out []string
	for id, n := range api.answers {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s×%d", id, n))
		}
	}
	return out
}

func (api *interactionAPI) total() int {
	api.mu.Lock()
	defer api.mu.Unlock()
	n := 0
	for _, c := range api.answers {
		n += c
	}
	return n
}

// shardGateway is a Discord gateway on 127.0.0.1 that notes which shard
// each session identified for, and whether two sessions of one shard were
// ever open at once.
type shardGateway struct {
	srv     *httptest.Server
	mu      sync.Mutex
	conns   []*shardConn
	doubles []string
}

type shardConn struct {
	ws    *websocket.Conn
	shard int
	wmu   sync.Mutex
	seq   int
	alive bool // under shardGateway.mu
}

func newShardGateway(t *testing.T) *shardGateway {
	g := &shardGateway{}
	up := websocket.Upgrader{}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &shardConn{ws: ws, shard: -1}
		if err := g.handshake(c); err != nil {
			ws.Close()
			return
		}
		for {
			var m struct {
				Op int `json:"op"`
			}
			if err := ws.ReadJSON(&m); err != nil {
				break
			}
			if m.Op == 1 {
				c.send(map[string]any{"op": 11})
			}
		}
		g.mu.Lock()
		c.alive = false
		g.mu.Unlock()
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *shardGateway) url() string { return "ws" + strings.TrimPrefix(g.srv.URL, "http") }

func (c *shardConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteJSON(v)
}

func (c *shardConn) dispatch(event string, d any) error {
	c.wmu.Lock()
	c.seq++
	s := c.seq
	c.wmu.Unlock()
	return c.send(map[string]any{"op": 0, "t": event, "s": s, "d": d})
}

// handshake says Hello, reads Identify, notes the shard and answers READY.
func (g *shardGateway) handshake(c *shardConn) error {
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return err
	}
	for {
		var m struct {
			Op int `json:"op"`
			D  struct {
				Shard []int `json:"shard"`
			} `json:"d"`
		}
		if err := c.ws.ReadJSON(&m); err != nil {
			return err
		}
		if m.Op == 1 {
			c.send(map[string]any{"op": 11})
			continue
		}
		if m.Op != 2 || len(m.D.Shard) != 2 || m.D.Shard[1] != 4 {
			return fmt.Errorf("op %d shard %v: want Identify for one of 4 shards", m.Op, m.D.Shard)
		}
		c.shard = m.D.Shard[0]
		break
	}
	g.register(c)
	return c.dispatch("READY", map[string]any{"v": 10, "session_id": fmt.Sprintf("session-%p", c),
		"user": map[string]any{"id": "100000000000000001", "username": "briefbot", "bot": true}, "guilds": []any{}})
}

// register adds a session; another live session of the same shard that
// does not close within a second (a handover's close may be read just
// after the new Identify) is a double.
func (g *shardGateway) register(c *shardConn) {
	for deadline := time.Now().Add(time.Second); ; time.Sleep(20 * time.Millisecond) {
		g.mu.Lock()
		other := false
		for _, o := range g.conns {
			other = other || o.alive && o.shard == c.shard
		}
		if !other || time.Now().After(deadline) {
			if other {
				g.doubles = append(g.doubles, fmt.Sprintf("shard %d", c.shard))
			}
			c.alive = true
			g.conns = append(g.conns, c)
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
	}
}

// liveShards counts the shards with exactly one live session.
func (g *shardGateway) liveShards() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	per := map[int]int{}
	for _, c := range g.conns {
		if c.alive {
			per[c.shard]++
		}
	}
	n := 0
	for _, k := range per {
		if k == 1 {
			n++
		}
	}
	return n
}

func (g *shardGateway) checkNoDoubles(t *testing.T) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.doubles) > 0 {
		t.Errorf("shards connected twice at once: %v", g.doubles)
	}
}

// dispatch sends an interaction over the live session of shard.
func (g *shardGateway) dispatch(shard int, d any) bool {
	g.mu.Lock()
	var c *shardConn
	for _, o := range g.conns {
		if o.alive && o.shard == shard {
			c = o
		}
	}
	g.mu.Unlock()
	return c != nil && c.dispatch("INTERACTION_CREATE", d) == nil
}
