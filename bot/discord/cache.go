package discord

import (
	"slices"
	"sync"

	"github.com/briefbot/briefbot/bot"
)

// renderCache keeps the rendering of replies the engine shares between
// requests (most answers are built once per brief set), so a repeated
// question is not rendered again. Replies are read-only, so the reply
// pointer is a sound key; holding it keeps the reply alive, so a key is
// never reused for another reply. The cache is bounded and starts over
// when full.
type renderCache struct {
	max int
	// prepare, when set, turns a reply into what is rendered (the poster
	// names commands as registered here); the key stays the reply given.
	prepare func(*bot.Reply) *bot.Reply

	mu sync.Mutex
	m  map[*bot.Reply][]message
}

func newRenderCache(max int) *renderCache {
	return &renderCache{max: max, m: map[*bot.Reply][]message{}}
}

// get returns the messages for r. The slice is the caller's to change
// (set content or components); the embeds inside are shared and must not
// be modified.
func (c *renderCache) get(r *bot.Reply) []message {
	c.mu.Lock()
	msgs, ok := c.m[r]
	c.mu.Unlock()
	if !ok {
		in := r
		if c.prepare != nil {
			in = c.prepare(r)
		}
		msgs = render(in)
		c.mu.Lock()
		if len(c.m) >= c.max {
			clear(c.m)
		}
		c.m[r] = msgs
		c.mu.Unlock()
	}
	return slices.Clone(msgs)
}
