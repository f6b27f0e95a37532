package digest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// ConsoleDigest is one digest kept for the web console.
type ConsoleDigest struct {
	ID      string
	Channel string
	Posted  time.Time
	Reply   *bot.Reply
	key     string
}

// ConsolePoster is the Poster for the "console" target, used when no chat
// platform is configured: it logs a line and keeps the last digests in
// memory for the web console to show.
type ConsolePoster struct {
	log   *slog.Logger
	clock Clock
	max   int

	mu   sync.Mutex
	seq  int
	kept []ConsoleDigest // oldest first, at most max
}

var _ Poster = (*ConsolePoster)(nil)

// NewConsolePoster keeps the last max digests.
func NewConsolePoster(max int, clock Clock, log *slog.Logger) *ConsolePoster {
	return &ConsolePoster{log: log, clock: clock, max: max}
}

// Parts is 1: the console shows a digest whole.
func (c *ConsolePoster) Parts(*bot.Reply) int { return 1 }

// Spacing is none: the console has no rate limits.
func (c *ConsolePoster) Spacing() (perChannel, overall time.Duration) { return 0, 0 }

// Send keeps the digest, as one message, and logs its title (never its
// body). A digest already kept under the same mark is not kept twice.
func (c *ConsolePoster) Send(_ context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error) {
	c.mu.Lock()
	if id := c.find(m.Key); id != "" {
		c.mu.Unlock()
		return id, nil
	}
	c.seq++
	d := ConsoleDigest{ID: fmt.Sprintf("console-%d", c.seq), Channel: channel, Posted: c.clock.Now(), Reply: r, key: m.Key}
	c.kept = append(c.kept, d)
	if len(c.kept) > c.max {
		c.kept = append(c.kept[:0:0], c.kept[len(c.kept)-c.max:]...)
	}
	c.mu.Unlock()
	c.log.Info("digest for the console", "channel_id", channel, "message_id", d.ID, "title", r.Title, "sections", len(r.Sections))
	return d.ID, nil
}

// Find looks for a kept digest with the mark's key.
func (c *ConsolePoster) Find(_ context.Context, _ string, _ *bot.Reply, m bot.PostMark) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return []string{c.find(m.Key)}, nil
}

func (c *ConsolePoster) find(key string) string {
	for _, d := range c.kept {
		if d.key == key && key != "" {
			return d.ID
		}
	}
	return ""
}

// Recent returns the kept digests, newest first.
func (c *ConsolePoster) Recent() []ConsoleDigest {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]ConsoleDigest, len(c.kept))
	for i, d := range c.kept {
		out[len(out)-1-i] = d
	}
	return out
}
