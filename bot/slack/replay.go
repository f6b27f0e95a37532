package slack

import (
	"errors"
	"sync"
	"time"
)

// errReplayed is a validly signed request seen before: a signature is
// valid for maxSkew either side of its timestamp, so each one is
// remembered until then.
var errReplayed = errors.New("request already received (replayed signature)")

// errReplayFull refuses a signed request when the memory of signatures is
// full of ones still valid: only genuine requests are remembered, so this
// takes more than maxReplay of them within the window.
var errReplayFull = errors.New("too many requests within the signature window")

// maxReplay bounds the signatures remembered (about 64 bytes each).
const maxReplay = 200_000

// replays remembers the signatures of accepted requests until they expire.
type replays struct {
	mu   sync.Mutex
	seen map[[32]byte]time.Time // signature → when it stops being valid
	max  int
}

func newReplays() *replays { return &replays{seen: map[[32]byte]time.Time{}, max: maxReplay} }

// first records sig, valid until expires, and reports whether it is new.
func (r *replays) first(sig [32]byte, expires, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until, ok := r.seen[sig]; ok && now.Before(until) {
		return errReplayed
	}
	if len(r.seen) >= r.max {
		for k, until := range r.seen {
			if !now.Before(until) {
				delete(r.seen, k)
			}
		}
		if len(r.seen) >= r.max {
			return errReplayFull
		}
	}
	r.seen[sig] = expires
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
