package digest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

var kyivMorning = config.Schedule{Name: "morning", Cron: "0 8 * * *", Zone: "Europe/Kyiv", Kind: "overview",
	Targets: []string{"slack:C1", "discord:42"}}

// 08:00 in Kyiv on 2 June 2025 is 05:00 UTC.
var slot = time.Date(2025, 6, 2, 5, 0, 0, 0, time.UTC)

func TestPostsOnTimeOnceAcrossRestarts(t *testing.T) {
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		start := slot.Add(-12 * time.Hour)
		clock := newClock(start)
		jobs := schedule(t, e, start, kyivMorning)
		r := newRig(t, open(), e, clock, "a", jobs, digest.Options{})
		r.tick(start)
		r.tick(slot.Add(-time.Minute))
		if r.slack.total()+r.disc.total() != 0 {
			t.Fatal("posted before the slot")
		}
		r.tick(slot.Add(300 * time.Millisecond))
		r.tick(slot.Add(time.Minute))
		if r.slack.count("C1") != 1 || r.disc.count("42") != 1 {
			t.Fatalf("posts: slack %v, discord %v; want one each", r.slack.posts, r.disc.posts)
		}
		if rec := latestRecord(t, r.store, "schedule:morning", "slack:C1"); rec.Status != digest.StatusPosted || rec.MessageID != "m1" || !rec.At.Equal(slot) {
			t.Fatalf("ledger: %+v", rec)
		}
		// A restart a few seconds later, same store: nothing is posted again.
		again := newRig(t, open(), e, clock, "a2", jobs, digest.Options{})
		again.tick(slot.Add(5 * time.Second))
		again.tick(slot.Add(2 * time.Minute))
		if again.slack.total()+again.disc.total() != 0 {
			t.Fatalf("restart re-posted: %v %v", again.slack.posts, again.disc.posts)
		}
		// The next day posts once more.
		again.tick(slot.Add(24*time.Hour + time.Second))
		if again.slack.count("C1") != 1 {
			t.Fatalf("next day: %d posts", again.slack.count("C1"))
		}
	})
}

func TestTwoReplicasRacing(t *testing.T) {
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		var targets []string
		for i := range 40 {
			targets = append(targets, fmt.Sprintf("slack:C%03d", i), fmt.Sprintf("discord:%d", 1000+i))
		}
		sch := config.Schedule{Name: "fleet", Cron: "@hourly", Zone: "UTC", Kind: "changes", Targets: targets}
		start := slot.Add(-30 * time.Minute)
		jobs := schedule(t, e, start, sch)
		shared := &fakePoster{}
		var rigs []*rig
		for i := range 3 {
			r := newRig(t, open(), e, newClock(start), fmt.Sprint("replica", i), jobs, digest.Options{})
			r.sched.AddPoster("slack", shared)
			r.sched.AddPoster("discord", shared)
			rigs = append(rigs, r)
		}
		for _, at := range []time.Time{start, slot.Add(time.Second), slot.Add(time.Minute)} {
			var wg sync.WaitGroup
			for _, r := range rigs {
				wg.Add(1)
				go func() { defer wg.Done(); r.tick(at) }()
			}
			wg.Wait()
		}
		if shared.total() != len(targets) {
			t.Fatalf("%d posts for %d targets", shared.total(), len(targets))
		}
		for _, tg := range targets {
			_, ch, _ := strings.Cut(tg, ":")
			if n := shared.count(ch); n != 1 {
				t.Errorf("%s got %d posts", tg, n)
			}
		}
	})
}

func TestCrashBetweenClaimAndPost(t *testing.T) {
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		st := open()
		// The crashed instance claimed both targets and never posted.
		for _, tg := range []string{"slack:C1", "discord:42"} {
			if won, err := st.Claim(context.Background(), digest.SlotKey{Job: "schedule:morning", Target: tg, At: slot}, "crashed", slot, 10*time.Minute); !won || err != nil {
				t.Fatal("setup claim:", won, err)
			}
		}
		clock := newClock(slot)
		r := newRig(t, open(), e, clock, "restarted", jobs, digest.Options{Lease: 10 * time.Minute})
		r.tick(slot.Add(time.Minute))
		if r.slack.total() != 0 {
			t.Fatal("posted while the crashed instance's lease held")
		}
		r.tick(slot.Add(11 * time.Minute))
		r.tick(slot.Add(12 * time.Minute))
		if r.slack.count("C1") != 1 || r.disc.count("42") != 1 {
			t.Fatalf("after lease expiry: slack %d, discord %d; want 1 each", r.slack.count("C1"), r.disc.count("42"))
		}
		rec := latestRecord(t, st, "schedule:morning", "slack:C1")
		if rec.Status != digest.StatusPosted || rec.Rounds != 2 || rec.Owner != "restarted" {
			t.Fatalf("ledger: %+v", rec)
		}
	})
}

func TestCatchUp(t *testing.T) {
	e := testEngine(t)
	tests := []struct {
		name     string
		restart  time.Time
		wantPost bool
	}{
		{"within grace posts the latest missed slot once", slot.Add(48*time.Hour + 40*time.Minute), true},
		{"beyond grace skips", slot.Add(48*time.Hour + 61*time.Minute), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				st := sqliteStore(t)
				jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
				clock := newClock(slot)
				first := newRig(t, st, e, clock, "a", jobs, digest.Options{})
				first.tick(slot.Add(time.Second)) // posts day 1, then the bot is down two days
				r := newRig(t, st, e, clock, "b", jobs, digest.Options{Grace: time.Hour})
				r.tick(tt.restart)
				r.tick(tt.restart.Add(time.Minute))
				want := 0
				if tt.wantPost {
					want = 1
				}
				if got := r.slack.count("C1"); got != want {
					t.Fatalf("posts after downtime: %d, want %d", got, want)
				}
				rec := latestRecord(t, st, "schedule:morning", "slack:C1")
				if tt.wantPost && !rec.At.Equal(slot.Add(48*time.Hour)) {
					t.Fatalf("posted slot %v, want the latest missed one", rec.At)
				}
				if !tt.wantPost && !rec.At.Equal(slot) {
					t.Fatalf("a skipped slot reached the ledger: %+v", rec)
				}
			})
		})
	}
}

func TestTransientFailuresRetryThenGiveUpVisibly(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		clock := newClock(slot)
		r := newRig(t, st, e, clock, "a", jobs, digest.Options{Tries: 3, Rounds: 2, RetryDelay: 5 * time.Minute})
		// Slack: 429 twice, then fine. Discord: always 429.
		r.slack.fail = func(_ string, n int) error {
			if n <= 2 {
				return transientErr{wait: 3 * time.Second}
			}
			return nil
		}
		r.disc.fail = func(string, int) error { return transientErr{} }
		r.tick(slot.Add(time.Second))
		if r.slack.count("C1") != 1 {
			t.Fatal("slack not posted after two 429s")
		}
		if clock.slept < 6*time.Second {
			t.Fatalf("slept %v; Retry-After of 3s twice not honoured", clock.slept)
		}
		if rec := latestRecord(t, st, "schedule:morning", "discord:42"); rec.Status != digest.StatusPending || !strings.Contains(rec.Error, "429") {
			t.Fatalf("after round 1: %+v", rec)
		}
		r.tick(clock.Now().Add(6 * time.Minute)) // round 2, the last
		r.tick(clock.Now().Add(6 * time.Minute))
		rec := latestRecord(t, st, "schedule:morning", "discord:42")
		if rec.Status != digest.StatusFailed || rec.Rounds != 2 {
			t.Fatalf("after the last round: %+v", rec)
		}
		if calls := r.disc.requests("42"); calls != 6 {
			t.Fatalf("%d posts tried, want 2 rounds × 3", calls)
		}
		assertListed(t, r, "FAILED")
	})
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		r := newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{})
		r.disc.fail = func(string, int) error { return fmt.Errorf("discord: post: %w", permanentErr{}) }
		r.tick(slot.Add(time.Second))
		r.tick(slot.Add(time.Hour))
		if r.disc.requests("42") != 1 {
			t.Fatalf("%d tries of a permanent failure", r.disc.requests("42"))
		}
		rec := latestRecord(t, st, "schedule:morning", "discord:42")
		if rec.Status != digest.StatusFailed || !strings.Contains(rec.Error, "channel_not_found") {
			t.Fatalf("ledger: %+v", rec)
		}
		assertListed(t, r, "channel_not_found")
	})
}

func assertListed(t *testing.T, r *rig, want string) {
	t.Helper()
	jobs, err := r.sched.Status(context.Background(), r.clock.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, js := range jobs {
		for _, ts := range js.Targets {
			all = append(all, ts.Target.String()+": "+ts.Result(js.Job.Zone))
		}
	}
	if !strings.Contains(strings.Join(all, "\n"), want) {
		t.Fatalf("status does not show %q:\n%s", want, strings.Join(all, "\n"))
	}
}

func TestPanicInPosterIsRecovered(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		r := newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{})
		r.disc.fail = func(string, int) error { panic("poster bug") }
		r.tick(slot.Add(time.Second))
		if r.slack.count("C1") != 1 {
			t.Fatal("a panic for one target stopped another")
		}
	})
}

// TestOutcomesCounted: every slot's outcome reaches the Counted hook (the
// metrics), per platform: posted, failed for good, and skipped after downtime.
func TestOutcomesCounted(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		clock := newClock(slot)
		var mu sync.Mutex
		counts := map[string]int{}
		counted := func(platform, result string) {
			mu.Lock()
			defer mu.Unlock()
			counts[platform+" "+result]++
		}
		r := newRig(t, st, e, clock, "a", jobs, digest.Options{Counted: counted})
		r.disc.fail = func(string, int) error { return fmt.Errorf("discord: post: %w", permanentErr{}) }
		r.tick(slot.Add(time.Second))
		r2 := newRig(t, st, e, clock, "b", jobs, digest.Options{Counted: counted})
		r2.tick(slot.Add(72*time.Hour + 2*time.Hour)) // down three days: two slots passed, the latest too old
		want := map[string]int{"slack posted": 1, "discord failed": 1, "slack skipped": 3, "discord skipped": 3}
		mu.Lock()
		defer mu.Unlock()
		for k, n := range want {
			if counts[k] != n {
				t.Errorf("%s counted %d times, want %d (all: %v)", k, counts[k], n, counts)
			}
		}
	})
}

// TestGraceIsExact: a slot found during its own minute is on time and
// posted whatever the grace; one found later is posted only if it is at
// most the grace period old, to the second. A grace of 0 turns catch-up off.
func TestGraceIsExact(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name  string
		grace time.Duration // negative: 0
		found time.Duration // how long after the slot the first tick runs
		post  bool
	}{
		{"grace 0, found at its own tick", -1, 300 * time.Millisecond, true},
		{"grace 0, found 59 s late, still its own minute", -1, 59 * time.Second, true},
		{"grace 0, found at the next tick", -1, 61 * time.Second, false},
		{"grace 0, after an hour down", -1, time.Hour, false},
		{"grace 1m, found 60 s late", time.Minute, 60 * time.Second, true},
		{"grace 1m, found 80 s late", time.Minute, 80 * time.Second, false},
		{"grace 2m, found 80 s late", 2 * time.Minute, 80 * time.Second, true},
		{"grace 1h, found 59 min late", time.Hour, 59 * time.Minute, true},
		{"grace 1h, found 61 min late", time.Hour, 61 * time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				st := sqliteStore(t)
				jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
				clock := newClock(slot.Add(-time.Hour))
				r := newRig(t, st, e, clock, "a", jobs, digest.Options{Grace: tc.grace})
				r.tick(slot.Add(-time.Minute)) // up before the slot, then down until found
				r.tick(slot.Add(tc.found))
				r.tick(slot.Add(tc.found).Truncate(time.Minute).Add(time.Minute))
				want := 0
				if tc.post {
					want = 1
				}
				if got := r.slack.count("C1"); got != want {
					t.Fatalf("posts: %d, want %d", got, want)
				}
			})
		})
	}
}

// TestGraceAfterARestart: a slot that passed while the bot was down is
// missed, even if the bot comes back within the slot's minute: with grace 0
// it is not posted; with a grace it is, if it is at most that old.
func TestGraceAfterARestart(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name  string
		grace time.Duration // negative: 0
		back  time.Duration // how long after the slot the bot is back
		post  bool
	}{
		{"grace 0, back 16 s after the slot", -1, 16 * time.Second, false},
		{"grace 0, back just before the slot", -1, -time.Second, true},
		{"grace 30s, back 16 s after the slot", 30 * time.Second, 16 * time.Second, true},
		{"grace 10s, back 16 s after the slot", 10 * time.Second, 16 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bubble(t, func(t *testing.T) {
				st := sqliteStore(t)
				jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
				clock := newClock(slot.Add(-time.Hour))
				first := newRig(t, st, e, clock, "a", jobs, digest.Options{Grace: tc.grace})
				first.tick(slot.Add(-2 * time.Minute)) // up, then killed before the slot
				r := newRig(t, st, e, clock, "b", jobs, digest.Options{Grace: tc.grace})
				r.tick(slot.Add(tc.back)) // the restarted scheduler's first tick
				r.tick(slot.Add(tc.back).Truncate(time.Minute).Add(time.Minute))
				want := 0
				if tc.post {
					want = 1
				}
				if got := r.slack.count("C1"); got != want {
					t.Fatalf("posts: %d, want %d", got, want)
				}
			})
		})
	}
}
