package discord

import (
	"crypto/rand"
	"encoding/base32"
	"sync"
	"time"
)

// memo is a bounded map with expiry: at most max entries, each kept for
// ttl. When full, the oldest entry goes first. It is safe for concurrent use.
type memo struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration
	items map[string]memoItem
	queue []string // keys, oldest first from head; each key once
	head  int
}

type memoItem struct {
	value string
	at    time.Time
}

func newMemo(max int, ttl time.Duration) *memo {
	return &memo{max: max, ttl: ttl, items: make(map[string]memoItem)}
}

// add stores key unless it is already there, and reports whether it was new.
func (m *memo) add(key, value string, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(now)
	if _, ok := m.items[key]; ok {
		return false
	}
	if len(m.items) >= m.max {
		m.pop()
	}
	m.items[key] = memoItem{value: value, at: now}
	m.queue = append(m.queue, key)
	return true
}

// get returns the value stored under key, if it has not expired.
func (m *memo) get(key string, now time.Time) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[key]
	if !ok || now.Sub(it.at) > m.ttl {
		return "", false
	}
	return it.value, true
}

// len returns the number of entries held.
func (m *memo) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

// expire drops entries older than ttl, oldest first.
func (m *memo) expire(now time.Time) {
	for m.head < len(m.queue) && now.Sub(m.items[m.queue[m.head]].at) > m.ttl {
		m.pop()
	}
}

// pop drops the oldest entry, compacting the queue now and then so that it
// stays within twice the bound.
func (m *memo) pop() {
	delete(m.items, m.queue[m.head])
	m.queue[m.head] = ""
	m.head++
	if m.head >= m.max || m.head == len(m.queue) {
		m.queue = append(m.queue[:0:0], m.queue[m.head:]...)
		m.head = 0
	}
}

// Custom ids of the Share in channel and Show sources buttons. The
// command text travels in the id when it fits Discord's 100 characters;
// otherwise it is kept here under a short random key.
const (
	maxCustomID    = 100
	sharePrefix    = "share:"
	shareKeyMark   = "sharekey:"
	sourcesPrefix  = "sources:"
	sourcesKeyMark = "sourceskey:"
	shareKeyBytes  = 10
)

// shareID returns the custom id that re-runs text, storing text when it is
// too long to travel in the id.
func shareID(shares *memo, text string, now time.Time) string {
	return buttonID(shares, sharePrefix, shareKeyMark, text, now)
}

// shareText returns the command text a Share button carries, and false
// when the id is not ours or its stored text has expired.
func shareText(shares *memo, customID string, now time.Time) (text string, ok bool) {
	return buttonText(shares, sharePrefix, shareKeyMark, customID, now)
}

// sourcesID is the custom id of Show sources for the answer to text.
func sourcesID(shares *memo, text string, now time.Time) string {
	return buttonID(shares, sourcesPrefix, sourcesKeyMark, text, now)
}

// sourcesText returns the command text a Show sources button carries.
func sourcesText(shares *memo, customID string, now time.Time) (text string, ok bool) {
	return buttonText(shares, sourcesPrefix, sourcesKeyMark, customID, now)
}

func buttonID(shares *memo, prefix, keyMark, text string, now time.Time) string {
	if id := prefix + text; len(id) <= maxCustomID {
		return id
	}
	var raw [shareKeyBytes]byte
	rand.Read(raw[:])
	key := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw[:])
	shares.add(key, text, now)
	return keyMark + key
}

func buttonText(shares *memo, prefix, keyMark, customID string, now time.Time) (text string, ok bool) {
	switch {
	case len(customID) > maxCustomID:
		return "", false
	case len(customID) > len(prefix) && customID[:len(prefix)] == prefix:
		return customID[len(prefix):], true
	case len(customID) > len(keyMark) && customID[:len(keyMark)] == keyMark:
		return shares.get(customID[len(keyMark):], now)
	}
	return "", false
}
