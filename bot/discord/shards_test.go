package discord

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLocks grant the shards in free, once each at a time, and aim for
// share shards.
type fakeLocks struct {
	mu    sync.Mutex
	free  map[int]bool
	share int
	holds map[int]*fakeHold
}

type fakeHold struct {
	locks *fakeLocks
	shard int
	lost  chan struct{}
}

func (l *fakeLocks) TryLock(_ context.Context, shard int) (ShardHold, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.free[shard] || l.holds[shard] != nil {
		return nil, false, nil
	}
	h := &fakeHold{locks: l, shard: shard, lost: make(chan struct{})}
	l.holds[shard] = h
	return h, true, nil
}

func (l *fakeLocks) Share(context.Context, int) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.share, nil
}

func (l *fakeLocks) set(share int) {
	l.mu.Lock()
	l.share = share
	l.mu.Unlock()
}

// lose ends a hold as a dead database session would.
func (l *fakeLocks) lose(shard int) {
	l.mu.Lock()
	h := l.holds[shard]
	delete(l.holds, shard)
	l.mu.Unlock()
	close(h.lost)
}

func (l *fakeLocks) held(shard int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.holds[shard] != nil
}

func (h *fakeHold) Lost() <-chan struct{} { return h.lost }
func (h *fakeHold) Release() {
	h.locks.mu.Lock()
	defer h.locks.mu.Unlock()
	if h.locks.holds[h.shard] == h {
		delete(h.locks.holds, h.shard)
	}
}

var _ ShardLocks = (*fakeLocks)(nil)

// TestShardsFollowTheirLocks: a replica connects only the shards it
// locks, up to its share; closes a shard whose lock is lost and takes it
// again once free; hands a shard over when its share shrinks; and says
// all this in /readyz.
func TestShardsFollowTheirLocks(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	gw := newFakeGateway(t)
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		return http.StatusOK, nil, `{"url":"` + gw.url() + `","shards":3}`
	}
	locks := &fakeLocks{free: map[int]bool{0: true, 2: true}, share: 2, holds: map[int]*fakeHold{}}
	a, err := New(shippedEngine(t, nil), Options{Mode: ModeGateway, AppID: "100000000000000001", BotToken: "test-token",
		APIURL: fake.srv.URL, Shards: 3, ShardLocks: locks, ShardRetry: 20 * time.Millisecond, IdentifyEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	conns := map[int]*gatewayConn{}
	for range 2 {
		c := gw.next(t)
		conns[shardOf(t, c)] = c
	}
	if conns[0] == nil || conns[2] == nil {
		t.Fatalf("connected shards %v, want 0 and 2 (1 is held elsewhere)", keys(conns))
	}
	waitReadiness(t, a, "shards 0,2 of 3 held here")

	locks.lose(2) // the database session behind shard 2's lock died
	waitClosed(t, conns[2], "shard 2 after its lock was lost")
	again := gw.next(t)
	if shardOf(t, again) != 2 || again.op != 2 {
		t.Fatalf("after the loss: op %d for shard %d; want shard 2 identified again", again.op, shardOf(t, again))
	}

	locks.set(1) // another replica came up
	waitClosed(t, again, "shard 2 when the share fell to 1")
	waitReadiness(t, a, "shards 0 of 3 held here")
	for deadline := time.Now().Add(5 * time.Second); locks.held(2); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("shard 2 handed over but its lock still held")
		}
	}
	time.Sleep(100 * time.Millisecond) // five retry rounds: shard 2 stays free
	if locks.held(2) {
		t.Error("shard 2 taken again beyond the share")
	}

	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitClosed(t, conns[0], "shard 0 at shutdown")
	if locks.held(0) {
		t.Error("lock of shard 0 kept after shutdown")
	}
}

func shardOf(t *testing.T, c *gatewayConn) int {
	t.Helper()
	s, ok := c.hello["shard"].([]any)
	if !ok || len(s) != 2 || s[1] != float64(3) {
		t.Fatalf("identified with shard %v, want [id, 3]", c.hello["shard"])
	}
	return int(s[0].(float64))
}

func keys(m map[int]*gatewayConn) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

func waitClosed(t *testing.T, c *gatewayConn, what string) {
	t.Helper()
	select {
	case <-c.closed:
	case <-time.After(10 * time.Second):
		t.Fatalf("not closed: %s", what)
	}
}

func waitReadiness(t *testing.T, a *Adapter, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := a.Readiness()
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("readiness %q, %v; want %q", got, err, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestShardsIdentifyPaced: shard sessions open no faster than Discord's
// identify rate allows.
func TestShardsIdentifyPaced(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	gw := newFakeGateway(t)
	fake := newFakeDiscord(t)
	fake.respond = func(c call, _ int) (int, http.Header, string) {
		return http.StatusOK, nil, `{"url":"` + gw.url() + `","shards":3}`
	}
	// Each open starts at least every after the one before returned,
	// which was after the gateway read its identify: the gaps the gateway
	// sees are never shorter, however slow the machine.
	const every = time.Second
	a, err := New(shippedEngine(t, nil), Options{Mode: ModeGateway, AppID: "100000000000000001", BotToken: "test-token",
		APIURL: fake.srv.URL, Shards: 3, IdentifyEvery: every})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var at []time.Time
	for range 3 {
		at = append(at, gw.next(t).at) // as the gateway read it
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < every {
			t.Errorf("identify %d came %v after the one before; want at least %v", i+1, gap, every)
		}
	}
	waitReadiness(t, a, "connected, all 3 shards")
	stop()
	<-done
}
