package slack

import (
	"hash/maphash"
	"sync"
	"time"
)

// dedupMax bounds the keys a dedup holds. A key is kept as a 64-bit hash
// with its time, so a full dedup takes about half a MiB of map however
// many distinct keys arrive (measured: 540 KiB). That holds every key for
// its whole window up to 16,384 keys a window (3,276 commands a second for
// the 5 s of commands); past it, in a flood, expired keys go first and then
// the oldest, so a repeat may then be answered twice, never refused.
const dedupMax = 1 << 14

// dedup remembers keys for a short window, so that a command submitted
// twice, retried by Slack, or a button pressed twice, acts once. Keys are
// hashed (two distinct keys collide with a chance of about n/2^64 among n).
type dedup struct {
	window time.Duration
	now    func() time.Time
	max    int
	seed   maphash.Seed

	mu      sync.Mutex
	seen    map[uint64]int64 // key hash → when seen (Unix ns)
	inserts int
}

func newDedup(window time.Duration, now func() time.Time) *dedup {
	return &dedup{window: window, now: now, max: dedupMax, seed: maphash.MakeSeed(), seen: map[uint64]int64{}}
}

// first reports whether key was not seen within the window, and remembers
// it.
func (d *dedup) first(key string) bool {
	h := maphash.String(d.seed, key)
	now := d.now().UnixNano()
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.seen[h]; ok && now-t < int64(d.window) {
		return false
	}
	d.inserts++
	if d.inserts%16384 == 0 || len(d.seen) >= d.max {
		d.prune(now)
	}
	d.seen[h] = now
	return true
}

// forget drops key, so that a failed attempt can be tried again.
func (d *dedup) forget(key string) {
	h := maphash.String(d.seed, key)
	d.mu.Lock()
	delete(d.seen, h)
	d.mu.Unlock()
}

// prune drops expired keys; if most are fresh (a flood), it forgets the
// oldest until a quarter of the room is free, rather than grow without
// bound: each pass drops the older half of the time span left.
func (d *dedup) prune(now int64) {
	oldest := now
	for k, t := range d.seen {
		if now-t >= int64(d.window) {
			delete(d.seen, k)
			continue
		}
		oldest = min(oldest, t)
	}
	for len(d.seen) > d.max*3/4 {
		cut, next := oldest+(now-oldest)/2, now
		for k, t := range d.seen {
			if t <= cut {
				delete(d.seen, k)
			} else {
				next = min(next, t)
			}
		}
		oldest = next
	}
}
