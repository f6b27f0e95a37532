// Package seen remembers, in bounded memory, which keys were seen lately:
// the adapters' duplicate and replay checks. A key is a 64-bit number (a
// Discord snowflake, or a string's hash from Set.Key); memory is about
// 10–20 bytes a key, at most Capacity keys, however many distinct keys
// arrive.
package seen

import (
	"hash/maphash"
	"sync"
	"time"
)

// Set is a bounded set of recently seen keys, in two generations: new keys
// go into the current one; when it holds half the capacity it becomes the
// old one and the old one is emptied. A key is remembered for at least the
// ttl, unless more than half the capacity of newer keys arrived since; then
// the oldest are forgotten first. Safe for concurrent use.
type Set struct {
	ttl  time.Duration
	per  int
	seed maphash.Seed

	mu       sync.Mutex
	cur, old generation
}

type generation struct {
	keys   table
	newest time.Time
}

// New returns a set of at most capacity keys (at least 2), each kept for
// at least ttl within that bound.
func New(capacity int, ttl time.Duration) *Set {
	per := max(capacity/2, 1)
	return &Set{ttl: ttl, per: per, seed: maphash.MakeSeed()}
}

// Key hashes s to a key for this set (the seed is the set's own, random).
// Two strings share a key with a chance of about n/2^64 among n keys.
func (s *Set) Key(str string) uint64 { return maphash.String(s.seed, str) }

// Add records key and reports whether it was new.
func (s *Set) Add(key uint64, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(now)
	if s.cur.keys.has(key) || s.old.keys.has(key) {
		return false
	}
	if s.cur.keys.n >= s.per {
		s.cur, s.old = s.old, s.cur
		s.cur.keys.reset()
	}
	s.cur.keys.add(key)
	s.cur.newest = now
	return true
}

// Forget drops key, so that a failed attempt may be tried again.
func (s *Set) Forget(key uint64) {
	s.mu.Lock()
	s.cur.keys.remove(key)
	s.old.keys.remove(key)
	s.mu.Unlock()
}

// Len is the number of keys held.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur.keys.n + s.old.keys.n
}

// expire empties a generation whose newest key is older than the ttl.
func (s *Set) expire(now time.Time) {
	if s.old.keys.n > 0 && now.Sub(s.old.newest) > s.ttl {
		s.old.keys.reset()
	}
	if s.cur.keys.n > 0 && now.Sub(s.cur.newest) > s.ttl {
		s.cur.keys.reset()
	}
}

// table is a set of uint64 with linear probing. A zero slot is empty; the
// key 0 is stored as zeroKey. It doubles when more than three quarters
// full and keeps its slots when reset, so a flood costs no more memory
// than its bound.
type table struct {
	slots []uint64
	n     int
}

const zeroKey = 0x9E3779B97F4A7C15

// slot is where key's probe starts: the high bits of a multiplicative hash,
// since snowflakes and counters differ mostly in their low bits.
func (t *table) slot(key uint64) int {
	return int((key * 0x9E3779B97F4A7C15) >> 32 & uint64(len(t.slots)-1))
}

func (t *table) has(key uint64) bool {
	if key == 0 {
		key = zeroKey
	}
	if t.n == 0 {
		return false
	}
	for i := t.slot(key); ; i = (i + 1) & (len(t.slots) - 1) {
		switch t.slots[i] {
		case key:
			return true
		case 0:
			return false
		}
	}
}

// add inserts key, which must not be there.
func (t *table) add(key uint64) {
	if key == 0 {
		key = zeroKey
	}
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	i := t.slot(key)
	for t.slots[i] != 0 {
		i = (i + 1) & (len(t.slots) - 1)
	}
	t.slots[i] = key
	t.n++
}

// grow doubles the slots (from 1,024). The set never puts more than its
// per-generation bound in a table, so growth stops at the smallest power
// of two that holds that many at most three quarters full.
func (t *table) grow() {
	size := max(1024, 2*len(t.slots))
	old := t.slots
	t.slots, t.n = make([]uint64, size), 0
	for _, k := range old {
		if k != 0 {
			t.add(k)
		}
	}
}

// remove deletes key, moving later keys of its probe run back so that
// lookups never stop early.
func (t *table) remove(key uint64) {
	if key == 0 {
		key = zeroKey
	}
	if t.n == 0 {
		return
	}
	mask := len(t.slots) - 1
	i := t.slot(key)
	for t.slots[i] != key {
		if t.slots[i] == 0 {
			return
		}
		i = (i + 1) & mask
	}
	t.slots[i] = 0
	t.n--
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		k := t.slots[j]
		t.slots[j] = 0
		t.n--
		t.add(k)
	}
}

func (t *table) reset() {
	clear(t.slots)
	t.n = 0
}
