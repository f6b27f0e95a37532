package slack

import (
	"strconv"
	"testing"
	"time"
)

// TestDedupFloodStaysBounded sends many more distinct keys than a dedup
// holds within one window: it keeps at most dedupMax keys, still refuses a
// repeat of the latest keys, and forgets keys once their window passes.
func TestDedupFloodStaysBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	d := newDedup(commandWindow, func() time.Time { return now })
	const n = 10 * dedupMax
	for i := range n {
		now = now.Add(time.Microsecond)
		if !d.first("k" + strconv.Itoa(i)) {
			t.Fatalf("distinct key %d refused as a repeat", i)
		}
	}
	if got := len(d.seen); got > dedupMax {
		t.Errorf("after %d distinct keys the dedup holds %d, want at most %d", n, got, dedupMax)
	}
	for i := n - 100; i < n; i++ {
		if d.first("k" + strconv.Itoa(i)) {
			t.Fatalf("repeat of recent key %d answered again", i)
		}
	}
	now = now.Add(commandWindow + time.Microsecond)
	if !d.first("k" + strconv.Itoa(n-1)) {
		t.Error("a key whose window has passed is still refused")
	}
}
