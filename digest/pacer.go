package digest

import (
	"sync"
	"time"
)

// Limits paces posting to one platform: a minimum gap between posts to the
// same channel, and between any two posts.
type Limits struct {
	PerChannel time.Duration
	Global     time.Duration
}

// DefaultLimits are safely inside the platforms' published limits: Slack
// allows about one message per second per channel; Discord allows 50
// requests per second per bot, so posts are spaced for 45.
func DefaultLimits() map[string]Limits {
	return map[string]Limits{
		"slack":   {PerChannel: time.Second},
		"discord": {Global: time.Second / 45, PerChannel: time.Second},
	}
}

// pacer hands out posting times that respect Limits.
type pacer struct {
	limits Limits
	mu     sync.Mutex
	next   time.Time            // earliest time of the next post
	chans  map[string]time.Time // channel → earliest time of its next post
}

func newPacer(l Limits) *pacer { return &pacer{limits: l, chans: map[string]time.Time{}} }

// reserve books the earliest allowed posting time at or after now.
func (p *pacer) reserve(now time.Time, channel string) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := now
	if p.next.After(at) {
		at = p.next
	}
	if c, ok := p.chans[channel]; ok && c.After(at) {
		at = c
	}
	if p.limits.Global > 0 {
		p.next = at.Add(p.limits.Global)
	}
	if p.limits.PerChannel > 0 {
		p.chans[channel] = at.Add(p.limits.PerChannel)
		p.forget(now)
	}
	return at
}

// forget drops channels whose gap has passed, keeping the map small.
func (p *pacer) forget(now time.Time) {
	if len(p.chans) < 4096 {
		return
	}
	for ch, t := range p.chans {
		if t.Before(now) {
			delete(p.chans, ch)
		}
	}
}
