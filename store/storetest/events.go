package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// EventStore claims chat events once; *store.DB is one.
type EventStore interface {
	ClaimEvent(ctx context.Context, key string, now time.Time, hold time.Duration) (bool, error)
	PruneEvents(ctx context.Context, now time.Time) (int64, error)
	Close() error
}

// RunEvents runs the event-claim tests against the stores open makes.
func RunEvents(t *testing.T, open func(t *testing.T) EventStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s EventStore)
	}{
		{"ClaimEventOnce", testClaimEventOnce},
		{"ClaimEventRace", testClaimEventRace},
		{"ClaimEventExpires", testClaimEventExpires},
		{"PruneEvents", testPruneEvents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

func claimEvent(t *testing.T, s EventStore, key string, now time.Time, hold time.Duration) bool {
	t.Helper()
	won, err := s.ClaimEvent(ctx, key, now, hold)
	if err != nil {
		t.Fatalf("ClaimEvent(%q): %v", key, err)
	}
	return won
}

func testClaimEventOnce(t *testing.T, s EventStore) {
	if !claimEvent(t, s, "slack:event:Ev1", base, time.Hour) {
		t.Fatal("first claim lost")
	}
	if claimEvent(t, s, "slack:event:Ev1", base.Add(time.Minute), time.Hour) {
		t.Fatal("a retry within the hold won again")
	}
	if !claimEvent(t, s, "slack:event:Ev2", base, time.Hour) {
		t.Fatal("another event lost")
	}
	long := "discord:message:" + strings.Repeat("9", 2000)
	if !claimEvent(t, s, long, base, time.Hour) || claimEvent(t, s, long, base, time.Hour) {
		t.Fatal("a very long key is not claimed exactly once")
	}
}

func testClaimEventRace(t *testing.T, s EventStore) {
	for ev := range 5 {
		key := fmt.Sprint("discord:message:", 1000+ev)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				won, err := s.ClaimEvent(ctx, key, base, time.Hour)
				if err != nil {
					t.Errorf("ClaimEvent: %v", err)
				}
				if won {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("%s: %d replicas won, want exactly 1", key, n)
		}
	}
}

func testClaimEventExpires(t *testing.T, s EventStore) {
	key := "slack:ask:T1:U1:will the actor agree"
	if !claimEvent(t, s, key, base, 5*time.Second) {
		t.Fatal("first claim lost")
	}
	if claimEvent(t, s, key, base.Add(4*time.Second), 5*time.Second) {
		t.Fatal("the same question 4s later won within a 5s hold")
	}
	if !claimEvent(t, s, key, base.Add(5*time.Second), 5*time.Second) {
		t.Fatal("the same question after the hold lost")
	}
	if claimEvent(t, s, key, base.Add(6*time.Second), 5*time.Second) {
		t.Fatal("the renewed claim did not hold")
	}
}

func testPruneEvents(t *testing.T, s EventStore) {
	claimEvent(t, s, "old", base, time.Minute)
	claimEvent(t, s, "new", base, time.Hour)
	n, err := s.PruneEvents(ctx, base.Add(2*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("PruneEvents = %d, %v; want 1 expired record deleted", n, err)
	}
	if claimEvent(t, s, "new", base.Add(2*time.Minute), time.Hour) {
		t.Fatal("pruning dropped a live record")
	}
}
