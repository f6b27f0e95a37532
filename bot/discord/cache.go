package discord

import (
	"encoding/json"
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
	max        int
	consoleURL string // where a cut answer's reader view is, if anywhere
	// names names the commands of a cut answer's notice as registered.
	names bot.Naming
	// whole keeps every message: digests are short by construction and
	// their ledger counts their parts, so the poster does not cut them.
	whole bool
	// prepare, when set, turns a reply into what is rendered (the poster
	// names commands as registered here); the key stays the reply given.
	prepare func(*bot.Reply) *bot.Reply

	mu sync.Mutex
	m  map[renderKey][]message
}

// renderKey is a reply and the command line it answers, which a cut
// answer's last message names.
type renderKey struct {
	reply *bot.Reply
	line  string
}

func newRenderCache(max int, consoleURL string, names bot.Naming) *renderCache {
	return &renderCache{max: max, consoleURL: consoleURL, names: names, m: map[renderKey][]message{}}
}

// wholeRenderCache is a cache that never cuts a reply: the poster's.
func wholeRenderCache(max int) *renderCache {
	c := newRenderCache(max, "", bot.Naming{})
	c.whole = true
	return c
}

// get returns the messages for r, the answer to line, in at most
// bot.MaxMessages messages (see fitted). The slice is the caller's to change
// (set content or components); the embeds inside are shared and must not
// be modified.
func (c *renderCache) get(r *bot.Reply, line string) []message {
	k := renderKey{r, line}
	c.mu.Lock()
	msgs, ok := c.m[k]
	c.mu.Unlock()
	if !ok {
		in := r
		if c.prepare != nil {
			in = c.prepare(r)
		}
		if c.whole {
			msgs = render(in)
		} else {
			msgs = fitted(in, line, c.consoleURL, c.names)
		}
		c.mu.Lock()
		if len(c.m) >= c.max {
			clear(c.m)
		}
		c.m[k] = msgs
		c.mu.Unlock()
	}
	return slices.Clone(msgs)
}

// responseCache keeps encoded immediate responses to commands, so that the
// same answer to the same command line is encoded once. The key is the
// reply and the command text, which decide the whole response, buttons
// included, as long as their custom ids carry the text itself (see
// responseKey). Bounded like renderCache, and smaller: each entry is a few
// kilobytes.
type responseCache struct {
	max int

	mu sync.Mutex
	m  map[responseSlot]json.RawMessage
}

type responseSlot struct {
	reply *bot.Reply
	text  string
}

func newResponseCache(max int) *responseCache {
	return &responseCache{max: max, m: map[responseSlot]json.RawMessage{}}
}

// get returns the encoded response for r and key; an empty key never hits.
func (c *responseCache) get(r *bot.Reply, key string) (json.RawMessage, bool) {
	if key == "" {
		return nil, false
	}
	c.mu.Lock()
	raw, ok := c.m[responseSlot{r, key}]
	c.mu.Unlock()
	return raw, ok
}

// put encodes body, keeps it for r and key, and returns what to send: the
// encoding, or body itself if it does not encode.
func (c *responseCache) put(r *bot.Reply, key string, body any) any {
	raw, err := json.Marshal(body)
	if err != nil {
		return body
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[responseSlot{r, key}] = raw
	c.mu.Unlock()
	return json.RawMessage(raw)
}

// responseKey is the cache key of the response to a command typed as text,
// or "" when it may not be cached: when a button's custom id would not hold
// the text, the button gets a fresh random key on every answer.
func responseKey(text string) string {
	if len(sharePrefix+text) > maxCustomID || len(sourcesPrefix+text) > maxCustomID {
		return ""
	}
	return text
}

// fitted renders r in at most bot.MaxMessages messages: a longer answer
// keeps its first items and its last message says how many are not shown
// and where to read them (the console's reader view of line when
// consoleURL is set, else narrower commands, named as names registers them).
func fitted(r *bot.Reply, line, consoleURL string, names bot.Naming) []message {
	msgs := render(r)
	if len(msgs) <= bot.MaxMessages {
		return msgs
	}
	count := func(x *bot.Reply) int { return len(render(x)) }
	return render(names.Reply(bot.Fit(r, bot.MaxMessages, count, bot.ReadMore(consoleURL, line))))
}
