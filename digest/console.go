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

// Post keeps the digest, as one message, and logs its title (never its
// body).
func (c *ConsolePoster) Post(_ context.Context, channel string, r *bot.Reply, from int, sent func(index, of int, id string) error) error {
	if from > 0 {
		return nil
	}
	c.mu.Lock()
	c.seq++
	d := ConsoleDigest{ID: fmt.Sprintf("console-%d", c.seq), Channel: channel, Posted: c.clock.Now(), Reply: r}
	c.kept = append(c.kept, d)
	if len(c.kept) > c.max {
		c.kept = append(c.kept[:0:0], c.kept[len(c.kept)-c.max:]...)
	}
	c.mu.Unlock()
	c.log.Info("digest for the console", "channel", channel, "id", d.ID, "title", r.Title, "sections", len(r.Sections))
	if sent == nil {
		return nil
	}
	return sent(0, 1, d.ID)
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
