package digest

import (
	"sync"
	"time"
)

// pacer hands out request times that keep a poster's Spacing: a least gap
// between requests to one channel, and between any two requests. It is the
// one pacer of digest posting; the posters do not pace themselves.
type pacer struct {
	perChannel, overall time.Duration

	mu    sync.Mutex
	next  time.Time            // earliest time of the next request
	chans map[string]time.Time // channel → earliest time of its next request
}

func newPacer(p Poster) *pacer {
	perChannel, overall := p.Spacing()
	return &pacer{perChannel: perChannel, overall: overall, chans: map[string]time.Time{}}
}

// reserve books the earliest allowed time at or after now.
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
	if p.overall > 0 {
		p.next = at.Add(p.overall)
	}
	if p.perChannel > 0 {
		p.chans[channel] = at.Add(p.perChannel)
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
