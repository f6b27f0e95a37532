package digest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// A digest too long for one message goes out as several. Whatever fails
// in between, each message is posted once and in order: a retry, in the
// same round, in a later one or on another instance, resumes after the
// last message posted.
func TestSplitDigestResumesWithoutRepeats(t *testing.T) {
	const job, target = "schedule:morning", "slack:C1"
	once := func(fail ...int) func(string, int) error {
		return func(ch string, n int) error {
			for _, f := range fail {
				if ch == "C1" && n == f {
					return transientErr{}
				}
			}
			return nil
		}
	}
	stores(t, func(t *testing.T, open func() digest.Store) {
		e := testEngine(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		check := func(t *testing.T, r *rig, want []int, firstID string, attempts int) {
			t.Helper()
			if got := r.slack.partsPosted("C1"); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("messages posted to C1: %v, want %v", got, want)
			}
			rec := latestRecord(t, r.store, job, target)
			if rec.Status != digest.StatusPosted || rec.MessageID != firstID || rec.Rounds != attempts {
				t.Errorf("ledger: %+v; want posted after %d rounds with the first message's id %q", rec, attempts, firstID)
			}
		}

		func() { // retry in the round
			r := newRig(t, open(), e, newClock(slot), "a", jobs, digest.Options{})
			r.slack.parts, r.slack.fail = 3, once(2)
			r.tick(slot.Add(time.Second))
			check(t, r, []int{0, 1, 2}, r.slack.firstID("C1"), 1)
		}()

		func() { // retry in a later round
			st := open()
			if _, err := st.Prune(context.Background(), slot.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			clock := newClock(slot)
			r := newRig(t, st, e, clock, "a", jobs, digest.Options{Tries: 2, Rounds: 3, RetryDelay: 5 * time.Minute})
			r.slack.parts, r.slack.fail = 3, once(2, 3)
			r.tick(slot.Add(time.Second))
			if rec := latestRecord(t, st, job, target); rec.Status != digest.StatusPending || rec.Sent != 1 {
				t.Fatalf("after a failed round: %+v; want pending with 1 message sent", rec)
			}
			assertListed(t, r, "retrying Mon 2 Jun 2025 08:00 EEST (round 1, first message posted)")
			r.tick(clock.Now().Add(6 * time.Minute))
			check(t, r, []int{0, 1, 2}, r.slack.firstID("C1"), 2)
		}()

		func() { // another instance resumes
			st := open()
			if _, err := st.Prune(context.Background(), slot.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			k := digest.SlotKey{Job: job, Target: target, At: slot}
			if won, err := st.Claim(context.Background(), k, "crashed", slot, 10*time.Minute); !won || err != nil {
				t.Fatal("setup claim:", won, err)
			}
			if err := st.Progress(context.Background(), k, "crashed", 1, "crashed-first", slot.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			r := newRig(t, open(), e, newClock(slot), "restarted", jobs, digest.Options{Lease: 10 * time.Minute})
			r.slack.parts = 3
			r.tick(slot.Add(time.Minute))
			r.tick(slot.Add(11 * time.Minute))
			check(t, r, []int{1, 2}, "crashed-first", 2)
		}()
	})
}

// An instance whose slot was taken over while it posted (its lease ran
// out) stops at the next message instead of racing the new owner.
func TestSplitDigestStopsWhenSlotLost(t *testing.T) {
	bubble(t, func(t *testing.T) {
		e := testEngine(t)
		st := sqliteStore(t)
		jobs := schedule(t, e, slot.Add(-time.Hour), kyivMorning)
		clock := newClock(slot)
		r := newRig(t, st, e, clock, "slow", jobs, digest.Options{Lease: 10 * time.Minute})
		r.slack.parts = 4
		r.slack.fail = func(ch string, n int) error {
			if ch == "C1" && n == 2 { // the lease runs out before message 2, and another instance takes the slot
				clock.Set(slot.Add(20 * time.Minute))
				k := digest.SlotKey{Job: "schedule:morning", Target: "slack:C1", At: slot}
				if won, err := st.Reclaim(context.Background(), k, "thief", clock.Now(), 10*time.Minute, 5); !won || err != nil {
					t.Errorf("takeover: %v, %v", won, err)
				}
			}
			return nil
		}
		r.tick(slot.Add(time.Second))
		if got := r.slack.partsPosted("C1"); fmt.Sprint(got) != "[0 1]" {
			t.Fatalf("messages posted to C1: %v; want the post to stop after message 2", got)
		}
		if rec := latestRecord(t, st, "schedule:morning", "slack:C1"); rec.Owner != "thief" || rec.Status != digest.StatusPending || rec.Sent != 1 {
			t.Fatalf("ledger: %+v; want the new owner's pending record, with the 1 message recorded before the takeover", rec)
		}
	})
}
