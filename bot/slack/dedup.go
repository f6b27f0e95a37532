package slack

import (
	"sync"
	"time"
)

// dedup remembers keys for a short window, so that a command submitted
// twice, retried by Slack, or a button pressed twice, acts once.
type dedup struct {
	window time.Duration
	now    func() time.Time
	max    int

	mu      sync.Mutex
	seen    map[string]time.Time
	inserts int
}

func newDedup(window time.Duration, now func() time.Time) *dedup {
	return &dedup{window: window, now: now, max: 100_000, seen: map[string]time.Time{}}
}

// first reports whether key was not seen within the window, and remembers
// it.
func (d *dedup) first(key string) bool {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.seen[key]; ok && now.Sub(t) < d.window {
		return false
	}
	d.inserts++
	if d.inserts%1024 == 0 || len(d.seen) >= d.max {
		d.prune(now)
	}
	d.seen[key] = now
	return true
}

// forget drops key, so that a failed attempt can be tried again.
func (d *dedup) forget(key string) {
	d.mu.Lock()
	delete(d.seen, key)
	d.mu.Unlock()
}

// prune drops expired keys; if all are fresh (a flood), it starts over
// rather than grow without bound.
func (d *dedup) prune(now time.Time) {
	for k, t := range d.seen {
		if now.Sub(t) >= d.window {
			delete(d.seen, k)
		}
	}
	if len(d.seen) >= d.max {
		clear(d.seen)
	}
}
