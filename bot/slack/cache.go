package slack

import (
	"sync"

	"github.com/briefbot/briefbot/bot"
)

// renderCache keeps the rendering of replies the engine shares between
// requests (most answers are built once per brief set), so a repeated
// question costs no rendering or encoding. Replies are read-only, so a
// reply pointer with the share command is a sound key; holding the pointer
// keeps the reply alive, so a key is never reused for another reply. The
// cache is bounded and simply starts over when full.
type renderCache struct {
	max        int
	consoleURL string // where a cut answer's reader view is, if anywhere
	names      bot.Naming

	mu sync.Mutex
	m  map[renderKey]*rendered
}

type renderKey struct {
	reply *bot.Reply
	share string
}

// rendered is a reply ready to send: its messages, and the first as the
// JSON body of a command response.
type rendered struct {
	msgs  []Message
	first []byte
}

func newRenderCache(max int, consoleURL string, names bot.Naming) *renderCache {
	return &renderCache{max: max, consoleURL: consoleURL, names: names, m: map[renderKey]*rendered{}}
}

// get returns the rendering of r with a Share button for share (the
// command line), in at most bot.MaxMessages messages.
func (c *renderCache) get(r *bot.Reply, share string) *rendered {
	k := renderKey{r, share}
	c.mu.Lock()
	out, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return out
	}
	msgs := fitted(r, share, share, c.consoleURL, c.names)
	first, err := marshal(newPayload(msgs[0], ephemeral))
	if err != nil {
		first = nil
	}
	out = &rendered{msgs: msgs, first: first}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = out
	c.mu.Unlock()
	return out
}
