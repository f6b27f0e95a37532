package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// Opener returns a digest.Store with no data in it. The suite closes it.
type Opener func(t *testing.T) digest.Store

// Run runs the shared suite against the stores open makes.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s digest.Store)
	}{
		{"ClaimOnce", testClaimOnce},
		{"ClaimRace", testClaimRace},
		{"Reclaim", testReclaim},
		{"PostedAndFailed", testPostedAndFailed},
		{"Progress", testProgress},
		{"Lease", testLease},
		{"GiveUp", testGiveUp},
		{"Latest", testLatest},
		{"Prune", testPrune},
		{"Subscriptions", testSubscriptions},
		{"SubscriptionDays", testSubscriptionDays},
		{"Skipped", testSkipped},
		{"Snapshots", testSnapshots},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

var (
	base  = time.Date(2025, 3, 30, 7, 0, 0, 0, time.UTC)
	lease = 10 * time.Minute
	ctx   = context.Background()
)

func key(job, target string, at time.Time) digest.SlotKey {
	return digest.SlotKey{Job: job, Target: target, At: at}
}

func mustClaim(t *testing.T, s digest.Store, k digest.SlotKey, owner string, now time.Time) bool {
	t.Helper()
	won, err := s.Claim(ctx, k, owner, now, lease)
	if err != nil {
		t.Fatalf("Claim(%v, %s): %v", k, owner, err)
	}
	return won
}

func latest(t *testing.T, s digest.Store, k digest.SlotKey) digest.Record {
	t.Helper()
	recs, err := s.Latest(ctx)
	if err != nil {
		t.Fatalf("Latest: %v", err)
	}
	for _, r := range recs {
		if r.Job == k.Job && r.Target == k.Target {
			return r
		}
	}
	t.Fatalf("no record for %s %s", k.Job, k.Target)
	return digest.Record{}
}

func testClaimOnce(t *testing.T, s digest.Store) {
	k := key("schedule:daily", "slack:C1", base)
	if !mustClaim(t, s, k, "a", base) {
		t.Fatal("first claim lost")
	}
	if mustClaim(t, s, k, "b", base) {
		t.Fatal("second claim of the same slot won")
	}
	if mustClaim(t, s, k, "a", base.Add(time.Hour)) {
		t.Fatal("claim by the owner again (after a restart) won")
	}
	if !mustClaim(t, s, key(k.Job, "slack:C2", base), "b", base) {
		t.Fatal("claim of another target lost")
	}
	r := latest(t, s, k)
	if r.Status != digest.StatusPending || r.Rounds != 1 || r.Owner != "a" || !r.At.Equal(base) || !r.LeaseUntil.Equal(base.Add(lease)) {
		t.Fatalf("record after claim = %+v", r)
	}
	if !mustClaim(t, s, key(k.Job, k.Target, base.Add(24*time.Hour)), "b", base) {
		t.Fatal("claim of the next slot lost")
	}
}

func testClaimRace(t *testing.T, s digest.Store) {
	for slot := range 5 {
		k := key("schedule:race", "discord:1", base.Add(time.Duration(slot)*time.Minute))
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				won, err := s.Claim(ctx, k, fmt.Sprint("owner", i), base, lease)
				if err != nil {
					t.Errorf("Claim: %v", err)
				}
				if won {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("slot %d: %d winners, want 1", slot, n)
		}
	}
}

func testReclaim(t *testing.T, s digest.Store) {
	k := key("sub:abc", "slack:C1", base)
	mustClaim(t, s, k, "crashed", base)
	reclaim := func(owner string, now time.Time, max int) bool {
		won, err := s.Reclaim(ctx, k, owner, now, lease, max)
		if err != nil {
			t.Fatalf("Reclaim: %v", err)
		}
		return won
	}
	if reclaim("b", base.Add(lease-time.Second), 3) {
		t.Fatal("reclaimed before the lease expired")
	}
	stale, err := s.Stale(ctx, base.Add(lease+time.Second), 10)
	if err != nil || len(stale) != 1 || stale[0].Job != k.Job {
		t.Fatalf("Stale = %v, %v; want the crashed slot", stale, err)
	}
	after := base.Add(lease + time.Second)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			won, err := s.Reclaim(ctx, k, fmt.Sprint("r", i), after, lease, 3)
			if err != nil {
				t.Errorf("Reclaim: %v", err)
			}
			if won {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d reclaims won, want 1", wins.Load())
	}
	if r := latest(t, s, k); r.Rounds != 2 || r.Status != digest.StatusPending {
		t.Fatalf("after reclaim: %+v", r)
	}
	later := after.Add(lease + time.Second)
	if !reclaim("c", later, 3) {
		t.Fatal("third attempt refused")
	}
	if reclaim("d", later.Add(lease+time.Second), 3) {
		t.Fatal("reclaimed beyond maxAttempts")
	}
}

// testProgress: the messages of a split digest already posted are kept
// with the slot, by its owner only, across a failed round and a takeover.
func testProgress(t *testing.T, s digest.Store) {
	k := key("schedule:daily", "discord:42", base)
	mustClaim(t, s, k, "a", base)
	if err := s.Progress(ctx, k, "intruder", 1, "m0", base); err == nil {
		t.Fatal("Progress by a non-owner succeeded")
	}
	if err := s.Progress(ctx, k, "a", 2, "m1", base.Add(time.Second)); err != nil {
		t.Fatalf("Progress: %v", err)
	}
	if r := latest(t, s, k); r.Sent != 2 || r.MessageID != "m1" || r.Status != digest.StatusPending {
		t.Fatalf("after Progress: %+v", r)
	}
	retry := base.Add(time.Minute)
	if err := s.Failed(ctx, k, "a", "slack: 500", base.Add(2*time.Second), retry, false); err != nil {
		t.Fatalf("Failed: %v", err)
	}
	stale, err := s.Stale(ctx, retry.Add(time.Second), 10)
	if err != nil || len(stale) != 1 || stale[0].Sent != 2 || stale[0].MessageID != "m1" {
		t.Fatalf("Stale = %+v, %v; want the slot with 2 messages sent", stale, err)
	}
	if won, err := s.Reclaim(ctx, k, "b", retry.Add(time.Second), lease, 3); !won || err != nil {
		t.Fatalf("Reclaim: %v, %v", won, err)
	}
	if r := latest(t, s, k); r.Sent != 2 || r.Owner != "b" {
		t.Fatalf("after Reclaim: %+v", r)
	}
	if err := s.Progress(ctx, k, "a", 3, "m1", retry.Add(2*time.Second)); err == nil {
		t.Fatal("Progress by the instance that lost the slot succeeded")
	}
}

func testPostedAndFailed(t *testing.T, s digest.Store) {
	k := key("schedule:daily", "discord:42", base)
	mustClaim(t, s, k, "a", base)
	if err := s.Posted(ctx, k, "intruder", "m0", base); err == nil {
		t.Fatal("Posted by a non-owner succeeded")
	}
	if err := s.Posted(ctx, k, "a", "m1", base.Add(time.Second)); err != nil {
		t.Fatalf("Posted: %v", err)
	}
	r := latest(t, s, k)
	if r.Status != digest.StatusPosted || r.MessageID != "m1" {
		t.Fatalf("after Posted: %+v", r)
	}
	if won, _ := s.Reclaim(ctx, k, "b", base.Add(24*time.Hour), lease, 9); won {
		t.Fatal("a posted slot was reclaimed")
	}
	if stale, _ := s.Stale(ctx, base.Add(24*time.Hour), 10); len(stale) != 0 {
		t.Fatalf("posted slot listed as stale: %v", stale)
	}

	k2 := key("schedule:daily", "discord:43", base)
	mustClaim(t, s, k2, "a", base)
	retry := base.Add(5 * time.Minute)
	if err := s.Failed(ctx, k2, "a", "discord: 503", base, retry, false); err != nil {
		t.Fatalf("Failed: %v", err)
	}
	r = latest(t, s, k2)
	if r.Status != digest.StatusPending || r.Error != "discord: 503" || !r.LeaseUntil.Equal(retry) {
		t.Fatalf("after transient failure: %+v", r)
	}
	if stale, _ := s.Stale(ctx, retry.Add(-time.Second), 10); len(stale) != 0 {
		t.Fatal("retried before retryAt")
	}
	if won, _ := s.Reclaim(ctx, k2, "b", retry.Add(time.Second), lease, 3); !won {
		t.Fatal("retry after retryAt refused")
	}
	if err := s.Failed(ctx, k2, "b", "discord: unknown channel", retry, retry, true); err != nil {
		t.Fatalf("Failed final: %v", err)
	}
	if r = latest(t, s, k2); r.Status != digest.StatusFailed || r.Error != "discord: unknown channel" || r.Rounds != 2 {
		t.Fatalf("after final failure: %+v", r)
	}
}

func testGiveUp(t *testing.T, s digest.Store) {
	k := key("sub:gone", "slack:C9", base)
	mustClaim(t, s, k, "a", base)
	if err := s.GiveUp(ctx, k, "too early", base); err != nil {
		t.Fatal(err)
	}
	if r := latest(t, s, k); r.Status != digest.StatusPending {
		t.Fatal("gave up a slot whose lease holds")
	}
	if err := s.GiveUp(ctx, k, "gave up after 3 attempts", base.Add(lease+time.Second)); err != nil {
		t.Fatal(err)
	}
	if r := latest(t, s, k); r.Status != digest.StatusFailed || r.Error != "gave up after 3 attempts" {
		t.Fatalf("after GiveUp: %+v", r)
	}
}

func testLatest(t *testing.T, s digest.Store) {
	for d := range 3 {
		mustClaim(t, s, key("schedule:a", "slack:C1", base.Add(time.Duration(d)*24*time.Hour)), "a", base)
	}
	mustClaim(t, s, key("schedule:a", "slack:C2", base), "a", base)
	mustClaim(t, s, key("sub:x", "slack:C1", base.Add(time.Hour)), "a", base)
	recs, err := s.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"schedule:a slack:C1": base.Add(48 * time.Hour),
		"schedule:a slack:C2": base,
		"sub:x slack:C1":      base.Add(time.Hour),
	}
	if len(recs) != len(want) {
		t.Fatalf("Latest returned %d records, want %d: %v", len(recs), len(want), recs)
	}
	for _, r := range recs {
		if w := want[r.Job+" "+r.Target]; !r.At.Equal(w) {
			t.Errorf("latest %s %s at %v, want %v", r.Job, r.Target, r.At, w)
		}
	}
}

func testPrune(t *testing.T, s digest.Store) {
	for d := range 4 {
		mustClaim(t, s, key("schedule:a", "slack:C1", base.Add(time.Duration(d)*24*time.Hour)), "a", base)
	}
	n, err := s.Prune(ctx, base.Add(48*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want 2", n, err)
	}
}

func testSubscriptions(t *testing.T, s digest.Store) {
	sub := digest.Subscription{ID: "s1", Platform: "slack", Channel: "C1", Kind: "overview", At: "08:30",
		Zone: "Europe/Paris", CreatedBy: "U1", Created: base}
	if err := s.AddSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	dup := sub
	dup.ID = "s2"
	if err := s.AddSubscription(ctx, dup); !errors.Is(err, digest.ErrDuplicate) {
		t.Fatalf("duplicate subscription: err = %v, want ErrDuplicate", err)
	}
	other := sub
	other.ID, other.At, other.Created = "s3", "18:00", base.Add(time.Minute)
	if err := s.AddSubscription(ctx, other); err != nil {
		t.Fatal(err)
	}
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 2 || subs[0] != sub || subs[1].ID != "s3" {
		t.Fatalf("Subscriptions = %+v, %v", subs, err)
	}
	if ok, err := s.RemoveSubscription(ctx, "s1", "slack", "C2"); ok || err != nil {
		t.Fatalf("removed another channel's subscription: %v, %v", ok, err)
	}
	if ok, err := s.RemoveSubscription(ctx, "s1", "slack", "C1"); !ok || err != nil {
		t.Fatalf("RemoveSubscription = %v, %v", ok, err)
	}
	if ok, _ := s.RemoveSubscription(ctx, "s1", "slack", "C1"); ok {
		t.Fatal("removed twice")
	}
	if subs, _ = s.Subscriptions(ctx); len(subs) != 1 || subs[0].ID != "s3" {
		t.Fatalf("after remove: %+v", subs)
	}
}

// testSubscriptionDays: the days and the skip option come back as stored,
// and a subscription differing only in them is the same subscription.
func testSubscriptionDays(t *testing.T, s digest.Store) {
	sub := digest.Subscription{ID: "w1", Platform: "discord", Channel: "42", Kind: "changes", At: "08:00",
		Zone: "UTC", CreatedBy: "9", Created: base, Days: "mon,thu", SkipUnchanged: true}
	if err := s.AddSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	daily := digest.Subscription{ID: "d1", Platform: "discord", Channel: "42", Kind: "overview", At: "08:00",
		Zone: "UTC", CreatedBy: "9", Created: base.Add(time.Second)}
	if err := s.AddSubscription(ctx, daily); err != nil {
		t.Fatal(err)
	}
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 2 || subs[0] != sub || subs[1] != daily {
		t.Fatalf("Subscriptions = %+v, %v; want %+v and %+v", subs, err, sub, daily)
	}
	again := sub
	again.ID, again.Days, again.SkipUnchanged = "w2", "weekdays", false
	if err := s.AddSubscription(ctx, again); !errors.Is(err, digest.ErrDuplicate) {
		t.Fatalf("same kind, time and zone on other days: err = %v, want ErrDuplicate", err)
	}
}

// testSkipped: only the owner marks a slot skipped; it is then resolved
// (neither stale nor reclaimable) and says why.
func testSkipped(t *testing.T, s digest.Store) {
	k := key("sub:w1", "discord:42", base)
	mustClaim(t, s, k, "a", base)
	if err := s.Skipped(ctx, k, "intruder", "nothing changed", base); err == nil {
		t.Fatal("Skipped by a non-owner succeeded")
	}
	if err := s.Skipped(ctx, k, "a", "nothing changed", base.Add(time.Second)); err != nil {
		t.Fatalf("Skipped: %v", err)
	}
	r := latest(t, s, k)
	if r.Status != digest.StatusSkipped || r.Error != "nothing changed" || r.MessageID != "" {
		t.Fatalf("after Skipped: %+v", r)
	}
	if won, _ := s.Reclaim(ctx, k, "b", base.Add(24*time.Hour), lease, 9); won {
		t.Fatal("a skipped slot was reclaimed")
	}
	if stale, _ := s.Stale(ctx, base.Add(24*time.Hour), 10); len(stale) != 0 {
		t.Fatalf("skipped slot listed as stale: %v", stale)
	}
}

func testSnapshots(t *testing.T, s digest.Store) {
	if _, ok, err := s.Snapshot(ctx, "slack:C1"); ok || err != nil {
		t.Fatalf("Snapshot of a new target = %v, %v", ok, err)
	}
	for _, data := range []string{`{"claims":{}}`, `{"claims":{"a":{"b":"x","h":"y"}}}`} {
		if err := s.SaveSnapshot(ctx, "slack:C1", []byte(data), base); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Snapshot(ctx, "slack:C1")
		if !ok || err != nil || string(got) != data {
			t.Fatalf("Snapshot = %q, %v, %v; want %q", got, ok, err, data)
		}
	}
}

// testLease: a round's heartbeat renews its owner's lease and nobody
// else's; an unknown outcome leaves the slot pending and unsure, and a
// check's findings are kept with it.
func testLease(t *testing.T, s digest.Store) {
	k := key("schedule:daily", "slack:C1", base)
	mustClaim(t, s, k, "a", base)
	if r := latest(t, s, k); !r.Unsure {
		t.Fatalf("a claimed slot is not unsure (its round may post): %+v", r)
	}
	if err := s.Renew(ctx, k, "intruder", base, lease); !errors.Is(err, digest.ErrNotOwner) {
		t.Fatalf("Renew by a non-owner: %v", err)
	}
	if err := s.Renew(ctx, k, "a", base.Add(time.Minute), lease); err != nil {
		t.Fatal(err)
	}
	if r := latest(t, s, k); !r.LeaseUntil.Equal(base.Add(time.Minute + lease)) {
		t.Fatalf("lease after Renew: %v", r.LeaseUntil)
	}
	retry := base.Add(2 * time.Minute)
	if err := s.Failed(ctx, k, "a", "slack: 429", base.Add(time.Minute), retry, false); err != nil {
		t.Fatal(err)
	}
	if r := latest(t, s, k); r.Unsure {
		t.Fatal("a refused round left the slot unsure")
	}
	if won, err := s.Reclaim(ctx, k, "b", retry.Add(time.Second), lease, 5); !won || err != nil {
		t.Fatalf("Reclaim: %v %v", won, err)
	}
	if err := s.Unknown(ctx, k, "b", "outcome unknown: timeout", retry.Add(2*time.Second), retry.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	stale, err := s.Stale(ctx, retry.Add(2*time.Minute), 10)
	if err != nil || len(stale) != 1 || !stale[0].Unsure || stale[0].Status != digest.StatusPending || stale[0].Error != "outcome unknown: timeout" {
		t.Fatalf("Stale = %+v, %v; want the unsure slot", stale, err)
	}
	if won, err := s.Reclaim(ctx, k, "c", retry.Add(2*time.Minute), lease, 5); !won || err != nil {
		t.Fatalf("Reclaim: %v %v", won, err)
	}
	if err := s.Checked(ctx, k, "b", "found 1", 1, "m0", retry); !errors.Is(err, digest.ErrNotOwner) {
		t.Fatalf("Checked by the old owner: %v", err)
	}
	if err := s.Checked(ctx, k, "c", "found message(s) 1 of 2", 1, "m0", retry.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if r := latest(t, s, k); r.Check != "found message(s) 1 of 2" || r.Sent != 1 || r.MessageID != "m0" || r.Rounds != 3 {
		t.Fatalf("after Checked: %+v", r)
	}
}
