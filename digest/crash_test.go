package digest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
)

func config1(target string) config.Schedule {
	return config.Schedule{Name: "one", Cron: "0 8 * * *", Zone: "Europe/Kyiv", Kind: "overview", Targets: []string{target}}
}

// flakyStore fails the ledger writes a test names, like a database that
// went away after the post.
type flakyStore struct {
	digest.Store
	mu           sync.Mutex
	failPosted   bool
	failProgress int // how many Progress calls fail
	failClaims   int // how many Claim calls fail
}

var errDBGone = errors.New("fake: connection refused")

func (s *flakyStore) Posted(ctx context.Context, k digest.SlotKey, owner, id string, now time.Time) error {
	s.mu.Lock()
	fail := s.failPosted
	s.mu.Unlock()
	if fail {
		return errDBGone
	}
	return s.Store.Posted(ctx, k, owner, id, now)
}

func (s *flakyStore) Progress(ctx context.Context, k digest.SlotKey, owner string, n int, id string, now time.Time) error {
	s.mu.Lock()
	fail := s.failProgress > 0
	s.failProgress--
	s.mu.Unlock()
	if fail {
		return errDBGone
	}
	return s.Store.Progress(ctx, k, owner, n, id, now)
}

func (s *flakyStore) Claim(ctx context.Context, k digest.SlotKey, owner string, now time.Time, lease time.Duration) (bool, error) {
	s.mu.Lock()
	fail := s.failClaims > 0
	s.failClaims--
	s.mu.Unlock()
	if fail {
		return false, errDBGone
	}
	return s.Store.Claim(ctx, k, owner, now, lease)
}

var slotKey = digest.SlotKey{Job: "schedule:morning", Target: "slack:C1", At: slot}

// TestCrashPoints: wherever an instance stops or loses its answers, the
// slot's messages reach the channel exactly once, and the ledger says what
// the check of the platform found.
func TestCrashPoints(t *testing.T) {
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		fresh := func() digest.Store {
			st := open()
			if _, err := st.Prune(context.Background(), slot.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			return st
		}
		exactlyOnce := func(t *testing.T, r *rig, parts []int, check string) {
			t.Helper()
			if got := r.slack.partsPosted("C1"); fmt.Sprint(got) != fmt.Sprint(parts) {
				t.Errorf("messages on the platform: %v, want %v", got, parts)
			}
			rec := latestRecord(t, r.store, slotKey.Job, slotKey.Target)
			if rec.Status != digest.StatusPosted {
				t.Errorf("ledger: %+v; want posted", rec)
			}
			if check != "" && !containsAll(rec.Check, check) {
				t.Errorf("ledger check %q, want it to say %q", rec.Check, check)
			}
		}

		// Before the post: claimed, then the owner died.
		st := fresh()
		crashedClaim(t, st)
		r := newRig(t, open(), e, newClock(slot), "b", jobs, digest.Options{})
		r.tick(slot.Add(time.Minute))
		r.sweep(slot.Add(time.Minute + 31*time.Second))
		exactlyOnce(t, r, []int{0}, "none of 1 message(s) found")
		if late := latestRecord(t, st, slotKey.Job, slotKey.Target).Updated.Sub(slot); late > 2*time.Minute {
			t.Errorf("taken over %v after the slot; want within about a minute", late)
		}

		// The same, when the platform answers the check with 429 twice:
		// the check is tried again in the round, like a post.
		st = fresh()
		crashedClaim(t, st)
		r = newRig(t, open(), e, newClock(slot), "b", jobs, digest.Options{})
		r.slack.findBusy = 2
		r.sweep(slot.Add(time.Minute))
		exactlyOnce(t, r, []int{0}, "none of 1 message(s) found")
		if r.slack.finds != 4 {
			t.Errorf("%d checks, want 4 (two refused with 429, one that found nothing, one more after the settle)", r.slack.finds)
		}

		// The dead owner's post reaches a platform that had stalled just
		// after the platform answered the check: the look again after the
		// settle finds it, and nothing is posted twice.
		st = fresh()
		crashedClaim(t, st)
		r = newRig(t, open(), e, newClock(slot), "b", jobs, digest.Options{})
		r.slack.afterFind = func(n int) {
			if n == 1 {
				r.slack.posts = append(r.slack.posts, post{channel: "C1", part: 0, id: "m-late", key: slotKey.String()})
			}
		}
		r.sweep(slot.Add(time.Minute))
		exactlyOnce(t, r, []int{0}, "found message(s) 1 of 1")

		// After the post, before the mark: the platform has it; the next
		// owner finds it and posts nothing.
		st = fresh()
		crashedClaim(t, st)
		r = newRig(t, open(), e, newClock(slot), "b", jobs, digest.Options{})
		r.slack.posts = append(r.slack.posts, post{channel: "C1", part: 0, id: "m-crashed", key: slotKey.String()})
		r.sweep(slot.Add(time.Minute))
		exactlyOnce(t, r, []int{0}, "found message(s) 1 of 1")
		if rec := latestRecord(t, st, slotKey.Job, slotKey.Target); rec.MessageID != "m-crashed" {
			t.Errorf("ledger keeps %q, want the id found on the platform", rec.MessageID)
		}

		// A timeout after the platform accepted: the check finds it.
		st = fresh()
		r = newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{})
		r.slack.lost = func(_ string, n int) error {
			if n == 1 {
				return timeoutErr{}
			}
			return nil
		}
		r.tick(slot.Add(time.Second))
		exactlyOnce(t, r, []int{0}, "")
		// A timeout, and the post reaches the platform, which had stalled,
		// only after it answered the first look: the look again finds it.
		st = fresh()
		r = newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{})
		r.slack.fail = func(_ string, n int) error {
			if n == 1 {
				return timeoutErr{}
			}
			return nil
		}
		r.slack.afterFind = func(n int) {
			if n == 1 {
				r.slack.posts = append(r.slack.posts, post{channel: "C1", part: 0, id: "m-late", key: slotKey.String()})
			}
		}
		r.tick(slot.Add(time.Second))
		exactlyOnce(t, r, []int{0}, "")
		// The same, and the check fails too: recorded unknown, not failed;
		// the next round checks first.
		st = fresh()
		r = newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{Tries: 1})
		r.slack.lost = func(_ string, n int) error { return timeoutErr{} }
		r.tick(slot.Add(time.Second))
		rec := latestRecord(t, st, slotKey.Job, slotKey.Target)
		if rec.Status != digest.StatusPending || !rec.Unsure || !containsAll(rec.Error, "outcome unknown") {
			t.Fatalf("after an unknown outcome: %+v", rec)
		}
		r.slack.lost = nil
		r.sweep(slot.Add(3 * time.Minute))
		exactlyOnce(t, r, []int{0}, "found message(s) 1 of 1")

		// A database error after the post: Posted is retried; when the
		// database stays away, the slot is left unsure and the next owner
		// finds the message instead of posting again.
		st = fresh()
		flaky := &flakyStore{Store: st, failPosted: true}
		r = newRig(t, flaky, e, newClock(slot), "a", jobs, digest.Options{})
		r.tick(slot.Add(time.Second))
		flaky.mu.Lock()
		flaky.failPosted = false
		flaky.mu.Unlock()
		r2 := newRig(t, open(), e, newClock(r.clock.Now()), "b", jobs, digest.Options{})
		r2.slack = r.slack
		r2.sched.AddPoster("slack", r.slack)
		r2.sweep(r.clock.Now().Add(time.Minute))
		exactlyOnce(t, r2, []int{0}, "found message(s) 1 of 1")

		// Between the messages of a split digest: message 1 went out, its
		// progress was not recorded, the owner stopped. The next owner
		// finds message 1 and posts the second and third.
		st = fresh()
		flaky = &flakyStore{Store: st, failProgress: 2}
		r = newRig(t, flaky, e, newClock(slot), "a", jobs, digest.Options{})
		r.slack.parts = 3
		r.tick(slot.Add(time.Second))
		r2 = newRig(t, open(), e, newClock(r.clock.Now()), "b", jobs, digest.Options{})
		r2.slack = r.slack
		r2.sched.AddPoster("slack", r.slack)
		r2.sweep(r.clock.Now().Add(time.Minute))
		exactlyOnce(t, r2, []int{0, 1, 2}, "found message(s) 1 of 3")
	})
}

func crashedClaim(t *testing.T, st digest.Store) {
	t.Helper()
	if won, err := st.Claim(context.Background(), slotKey, "crashed", slot, 30*time.Second); !won || err != nil {
		t.Fatal("setup claim:", won, err)
	}
}

func containsAll(s, sub string) bool { return strings.Contains(s, sub) }

// TestDatabaseErrorAtTheTick: a claim that fails on a database error does
// not lose the slot: the cursor stays, and the slot is posted once the
// database answers.
func TestDatabaseErrorAtTheTick(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		flaky := &flakyStore{Store: sqliteStore(t), failClaims: 100}
		r := newRig(t, flaky, e, newClock(slot), "a", jobs, digest.Options{})
		r.tick(slot.Add(time.Second))
		if r.slack.total() != 0 {
			t.Fatal("posted without a claim")
		}
		flaky.mu.Lock()
		flaky.failClaims = 0
		flaky.mu.Unlock()
		r.tick(slot.Add(time.Minute))
		if r.slack.count("C1") != 1 || r.disc.count("42") != 1 {
			t.Fatalf("after the database came back: slack %d, discord %d; want 1 each", r.slack.count("C1"), r.disc.count("42"))
		}
	})
}

// TestOneFailingDelivery counts what one failing delivery does: tries
// per round, rounds, and the waits between them, with nothing retried
// twice over.
func TestOneFailingDelivery(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), config1("discord:42"))
		clock := newClock(slot)
		r := newRig(t, st, e, clock, "a", jobs, digest.Options{Tries: 3, Rounds: 2, Backoff: 2 * time.Second, RetryDelay: time.Minute})
		var at []time.Time
		r.disc.fail = func(string, int) error {
			at = append(at, clock.Now())
			return transientErr{}
		}
		r.tick(slot.Add(time.Second))
		// Round 1: 3 requests, with waits of 2s and 4s between them, and
		// none after the last.
		if n := r.disc.requests("42"); n != 3 {
			t.Fatalf("round 1: %d requests, want 3", n)
		}
		if gaps := []time.Duration{at[1].Sub(at[0]), at[2].Sub(at[1])}; gaps[0] != 2*time.Second || gaps[1] != 4*time.Second {
			t.Fatalf("round 1 waited %v between requests, want 2s and 4s", gaps)
		}
		r.tick(slot.Add(2 * time.Minute)) // after the retry delay: round 2, the last
		if n := r.disc.requests("42"); n != 6 {
			t.Fatalf("after round 2: %d requests, want 6 (2 rounds × 3 tries)", n)
		}
		r.tick(slot.Add(10 * time.Minute))
		if n := r.disc.requests("42"); n != 6 {
			t.Fatalf("tried again after giving up: %d requests", n)
		}
		rec := latestRecord(t, st, "schedule:one", "discord:42")
		if rec.Status != digest.StatusFailed || rec.Rounds != 2 {
			t.Fatalf("ledger: %+v", rec)
		}
	})
}

// TestRateLimitedDelivery: a platform that keeps answering 429 is asked
// again exactly when its Retry-After says, without that counting as a
// failed try, until a minute of waiting in the round; then a later round
// goes on.
func TestRateLimitedDelivery(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), config1("discord:42"))
		clock := newClock(slot)
		r := newRig(t, st, e, clock, "a", jobs, digest.Options{Tries: 3, Rounds: 2, RetryDelay: time.Minute})
		var at []time.Time
		r.disc.fail = func(_ string, n int) error {
			at = append(at, clock.Now())
			if n <= 15 {
				return transientErr{wait: 5 * time.Second}
			}
			return nil
		}
		r.tick(slot.Add(time.Second))
		if n := r.disc.requests("42"); n != 13 {
			t.Fatalf("round 1: %d requests, want 13 (one, then one every 5s for a minute)", n)
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap != 5*time.Second {
				t.Fatalf("request %d came %v after the one before, want the 5s asked", i+1, gap)
			}
		}
		if rec := latestRecord(t, st, "schedule:one", "discord:42"); rec.Status != digest.StatusPending || !containsAll(rec.Error, "waited 1m0s in this round") {
			t.Fatalf("after round 1: %s %q", rec.Status, rec.Error)
		}
		r.tick(clock.Now().Add(2 * time.Minute))
		if n := r.disc.count("42"); n != 1 || r.disc.requests("42") != 16 {
			t.Fatalf("round 2: %d posted after %d requests, want 1 after 16", n, r.disc.requests("42"))
		}
	})
}

// TestCheckRefusedForGood: when the check after an unclear answer fails
// for good (the platform will not show the bot the channel), the slot is
// failed at once with the reason: neither posted blind nor retried round
// after round.
func TestCheckRefusedForGood(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), config1("slack:C1"))
		r := newRig(t, st, e, newClock(slot), "a", jobs, digest.Options{})
		r.slack.lost = func(string, int) error { return platformErr{unknown: true} }
		r.slack.findErr = platformErr{permanent: true}
		r.tick(slot.Add(time.Second))
		r.sweep(slot.Add(30 * time.Minute))
		r.tick(slot.Add(31 * time.Minute))
		if n := r.slack.requests("C1"); n != 1 {
			t.Errorf("%d requests, want 1: nothing after the check was refused", n)
		}
		rec := latestRecord(t, st, "schedule:one", "slack:C1")
		if rec.Status != digest.StatusFailed || !containsAll(rec.Error, "fake: permanent false, unknown true; then the check failed: fake: permanent true, unknown false") {
			t.Errorf("ledger: %s %q; want failed, saying why", rec.Status, rec.Error)
		}
	})
}

// TestDefaultRetrySchedule: with the default options a failing delivery
// is tried in 8 rounds, the first retries soon (a platform back after a
// minute or two gets its digest then), the waits doubling from 15s up to
// 5 minutes, and then given up.
func TestDefaultRetrySchedule(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), config1("discord:42"))
		clock := newClock(slot)
		r := newRig(t, st, e, clock, "a", jobs, digest.Options{})
		var at []time.Time
		r.disc.fail = func(string, int) error {
			at = append(at, clock.Now())
			return transientErr{}
		}
		r.tick(slot)
		for now := slot; now.Before(slot.Add(40 * time.Minute)); now = now.Add(5 * time.Second) {
			r.sweep(now)
		}
		if len(at) != 8*3 {
			t.Fatalf("%d requests, want 8 rounds of 3", len(at))
		}
		for i, want := range []time.Duration{15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute} {
			end, next := at[3*i+2], at[3*i+3]
			if gap := next.Sub(end); gap < want || gap > want+5*time.Second {
				t.Errorf("between rounds %d and %d: %v, want %v (and at most one sweep more)", i+1, i+2, gap, want)
			}
		}
		if rec := latestRecord(t, st, "schedule:one", "discord:42"); rec.Status != digest.StatusFailed || rec.Rounds != 8 {
			t.Errorf("ledger: %s after %d rounds; want failed after 8", rec.Status, rec.Rounds)
		}
	})
}

// TestShutdownLeavesTheSlot: an instance stopped (SIGTERM) in the middle
// of a split digest records how far it got and leaves the slot due at
// once; another instance's next sweep posts the rest, nothing twice.
func TestShutdownLeavesTheSlot(t *testing.T) {
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), config1("slack:C1"))
		a := newRig(t, open(), e, newClock(slot), "a", jobs, digest.Options{})
		a.slack.parts = 3
		ctx, stop := context.WithCancel(context.Background())
		a.slack.fail = func(_ string, n int) error {
			if n == 1 {
				stop() // SIGTERM while the first message is on its way
			}
			return nil
		}
		a.clock.Set(slot)
		a.sched.Tick(ctx, slot)
		rec := latestRecord(t, a.store, "schedule:one", "slack:C1")
		if rec.Status != digest.StatusPending || rec.Sent != 1 || rec.LeaseUntil.After(a.clock.Now()) {
			t.Fatalf("after the stop: %s, %d sent, lease until %v (now %v)", rec.Status, rec.Sent, rec.LeaseUntil, a.clock.Now())
		}
		b := newRig(t, open(), e, newClock(a.clock.Now()), "b", jobs, digest.Options{})
		b.slack = a.slack
		b.slack.fail = nil
		b.sched.AddPoster("slack", b.slack)
		b.sweep(a.clock.Now().Add(5 * time.Second))
		if got := b.slack.partsPosted("C1"); fmt.Sprint(got) != "[0 1 2]" {
			t.Errorf("messages posted: %v, want [0 1 2]", got)
		}
		if rec := latestRecord(t, b.store, "schedule:one", "slack:C1"); rec.Status != digest.StatusPosted {
			t.Errorf("ledger: %s", rec.Status)
		}
	})
}
