package bot

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestLimiterBurstFromOneUser(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var limited []string
	l := NewLimiter(Limits{User: Rate{PerMinute: 20, Burst: 10}, Channel: Rate{PerMinute: 600, Burst: 100},
		OnLimited: func(p, scope string) { limited = append(limited, p+"/"+scope) }})
	e := New(shippedEngine(t).Set(), Options{Limiter: l, Now: func() time.Time { return now }})
	actors := []string{"poland", "uk", "france", "germany", "nato", "us", "russia", "ukraine"}
	answered := 0
	for i := 0; i < 40; i++ {
		r := e.Handle(context.Background(), Request{Platform: PlatformSlack, UserID: "U1", ChannelID: "C1", Text: "/stance " + actors[i%len(actors)]})
		switch r.Outcome {
		case OutcomeLimited:
			if !r.Private || !strings.Contains(r.Intro.String(), "try again in 3 seconds") || !strings.Contains(r.Intro.String(), "20 a minute") {
				t.Fatalf("limited reply %+v", r)
			}
		default:
			answered++
		}
	}
	if answered != 10 {
		t.Errorf("%d of 40 answered, want the burst of 10", answered)
	}
	if len(limited) != 30 || limited[0] != "slack/user" {
		t.Errorf("OnLimited called %d times (%v), want 30 for slack/user", len(limited), limited[:min(len(limited), 2)])
	}
	// Another user in the same channel is not held back by the first.
	if r := e.Handle(context.Background(), Request{Platform: PlatformSlack, UserID: "U2", ChannelID: "C1", Text: "/help"}); r.Outcome == OutcomeLimited {
		t.Error("a second user was limited by the first one's burst")
	}
	now = now.Add(3 * time.Second) // 20 a minute: one more token
	if r := e.Handle(context.Background(), Request{Platform: PlatformSlack, UserID: "U1", ChannelID: "C1", Text: "/help"}); r.Outcome == OutcomeLimited {
		t.Error("no token after 3 seconds at 20 a minute")
	}
	// The command line and the console are never limited.
	for range 20 {
		if r := e.Handle(context.Background(), Request{Platform: PlatformCLI, UserID: "U1", Text: "/help"}); r.Outcome == OutcomeLimited {
			t.Fatal("the command line was limited")
		}
	}
}

func TestLimiterChannelScope(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := NewLimiter(Limits{User: Rate{PerMinute: 60, Burst: 5}, Channel: Rate{PerMinute: 60, Burst: 8}})
	ok := 0
	for i := 0; i < 20; i++ {
		allowed, scope, wait := l.Allow("discord", fmt.Sprint("user", i%4), "chan", now)
		if allowed {
			ok++
		} else if scope != LimitChannel || wait != time.Second {
			t.Fatalf("refused by %q, wait %v; want the channel, 1s", scope, wait)
		}
	}
	if ok != 8 {
		t.Errorf("%d allowed, want the channel's burst of 8", ok)
	}
	// A refusal by the channel took nothing from the user's bucket.
	users, _ := l.sizes()
	if users != 4 {
		t.Errorf("%d users remembered, want 4", users)
	}
}

func TestLimiterOffAllowsAll(t *testing.T) {
	l := NewLimiter(Limits{})
	for i := 0; i < 1000; i++ {
		if ok, _, _ := l.Allow("slack", "U1", "C1", time.Unix(0, 0)); !ok {
			t.Fatal("a limiter with both rates off refused")
		}
	}
	if u, c := l.sizes(); u+c != 0 {
		t.Errorf("a limiter that is off remembers %d keys", u+c)
	}
}

// TestLimiterMemoryBound fills both scopes with far more distinct, long
// ids than they may hold, all active, and checks the bound and the memory
// per key (the worst case: every key active, every id at the 64-byte cut).
func TestLimiterMemoryBound(t *testing.T) {
	const maxKeys = 10_000
	l := NewLimiter(Limits{User: Rate{PerMinute: 1, Burst: 5}, Channel: Rate{PerMinute: 1, Burst: 5}, MaxKeys: maxKeys})
	now := time.Unix(1_800_000_000, 0)
	pad := strings.Repeat("x", 200)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 5*maxKeys; i++ {
		id := fmt.Sprintf("%08d", i) + pad // cut to 64 bytes
		l.Allow("slack", id, "C"+id, now)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	u, c := l.sizes()
	if u > maxKeys || c > maxKeys {
		t.Fatalf("remembers %d users and %d channels, bound %d each", u, c, maxKeys)
	}
	perKey := float64(after.HeapAlloc-before.HeapAlloc) / float64(u+c)
	t.Logf("worst case: %d users + %d channels held, %.0f bytes a key, %.1f MB in all", u, c, perKey, float64(after.HeapAlloc-before.HeapAlloc)/1e6)
	if perKey > 350 {
		t.Errorf("%.0f bytes a key; want at most 350", perKey)
	}
	runtime.KeepAlive(l)
}

func TestLimiterAllowsWithoutAllocating(t *testing.T) {
	l := NewLimiter(Limits{User: Rate{PerMinute: 6000, Burst: 1000}, Channel: Rate{PerMinute: 6000, Burst: 1000}})
	now := time.Unix(1_800_000_000, 0)
	user, channel := "U0123456789", "C0123456789"
	l.Allow("slack", user, channel, now)
	allocs := testing.AllocsPerRun(500, func() {
		now = now.Add(10 * time.Millisecond)
		l.Allow("slack", user, channel, now)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per allowed command, want 0", allocs)
	}
}

func BenchmarkLimiterAllow(b *testing.B) {
	l := NewLimiter(Limits{User: Rate{PerMinute: 6e9, Burst: 1000}, Channel: Rate{PerMinute: 6e9, Burst: 1000}})
	users := make([]string, 1000)
	for i := range users {
		users[i] = fmt.Sprintf("U%010d", i)
	}
	now := time.Unix(1_800_000_000, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Allow("slack", users[i%len(users)], "C0123456789", now.Add(time.Duration(i)))
	}
}
