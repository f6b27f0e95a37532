package slack

import (
	"encoding/binary"
	"errors"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot/seen"
)

// errReplayed is a validly signed request seen before: a signature is
// valid for maxSkew either side of its timestamp, so each one is
// remembered until then.
var errReplayed = errors.New("request already received (replayed signature)")

// maxReplay bounds the signatures remembered: 16 bytes each at most, so
// 512 KiB however many requests arrive. Every signature is held until it
// expires up to 16,384 valid requests in replayTTL (27 a second); past it,
// in a flood, the oldest are forgotten first (the duplicate checks of
// commands and events still stand behind it); no valid request is refused
// for want of memory.
const maxReplay = 1 << 15

// replayTTL is how long a signature stays valid after we first see it at
// most: its timestamp may be up to maxSkew ahead of our clock and is
// accepted until maxSkew after it.
const replayTTL = 2 * maxSkew

// replays remembers the signatures of accepted requests until they expire.
type replays struct {
	seen *seen.Set
}

func newReplays() *replays { return &replays{seen: seen.New(maxReplay, replayTTL)} }

// first records sig and reports whether it is new. The first 8 bytes of an
// HMAC-SHA256 are as good a key as any: only our signing secret makes
// them, and two genuine requests share them with a chance of 2^-64.
func (r *replays) first(sig [32]byte, now time.Time) error {
	if !r.seen.Add(binary.LittleEndian.Uint64(sig[:8]), now) {
		return errReplayed
	}
	return nil
}

// logSampler lets through at most burst log lines per interval and counts
// the rest, so that a flood of refused requests cannot flood the log.
type logSampler struct {
	interval time.Duration
	burst    int

	mu         sync.Mutex
	start      time.Time
	n          int
	suppressed int
}

// allow reports whether to log now, and how many lines were suppressed
// since the last one logged.
func (s *logSampler) allow(now time.Time) (ok bool, suppressed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.start) >= s.interval {
		s.start, s.n = now, 0
	}
	if s.n >= s.burst {
		s.suppressed++
		return false, 0
	}
	s.n++
	suppressed, s.suppressed = s.suppressed, 0
	return true, suppressed
}
