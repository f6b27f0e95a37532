package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// delivery posts digests through the platform posters, paced, retrying
// transient failures with exponential backoff a bounded number of times.
type delivery struct {
	clock    Clock
	log      *slog.Logger
	attempts int           // tries per round
	backoff  time.Duration // first wait; doubled each try
	maxWait  time.Duration // longest wait inside a round
	timeout  time.Duration // per post

	mu      sync.Mutex
	posters map[string]Poster
	pacers  map[string]*pacer
	limits  map[string]Limits
}

func (d *delivery) addPoster(platform string, p Poster) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.posters[platform] = p
	d.pacers[platform] = newPacer(d.limits[platform])
}

func (d *delivery) poster(platform string) (Poster, *pacer, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.posters[platform]
	return p, d.pacers[platform], ok
}

// deliver posts r to t, from message from on, and returns how many posts
// it tried. sent is told of each message as it is posted; a retry resumes
// after the last one told. The error is permanent (see IsPermanent) when
// retrying cannot help.
func (d *delivery) deliver(ctx context.Context, t Target, r *bot.Reply, from int, sent func(index, of int, id string) error) (int, error) {
	p, pace, ok := d.poster(t.Platform)
	if !ok {
		return 0, permanentError{fmt.Errorf("digest: no poster for %s (is %s configured?)", t, t.Platform)}
	}
	next := from
	track := func(i, of int, id string) error {
		next = i + 1
		if sent == nil {
			return nil
		}
		return sent(i, of, id)
	}
	wait := d.backoff
	var err error
	for try := 1; try <= d.attempts; try++ {
		if err = d.clock.Sleep(ctx, pace.reserve(d.clock.Now(), t.Channel).Sub(d.clock.Now())); err != nil {
			return try - 1, err
		}
		if err = d.post(ctx, p, t, r, next, track); err == nil {
			return try, nil
		}
		if IsPermanent(err) || try == d.attempts {
			return try, err
		}
		w := max(wait, retryAfter(err))
		if w > d.maxWait {
			return try, fmt.Errorf("%w (platform asked to wait %s; retrying in a later round)", err, w.Round(time.Second))
		}
		d.log.Warn("digest post failed, retrying", "target", t.String(), "try", try, "wait", w.String(), "err", err)
		if serr := d.clock.Sleep(ctx, w); serr != nil {
			return try, errors.Join(err, serr)
		}
		wait *= 2
	}
	return d.attempts, err
}

// post makes one attempt. A post already sent is let finish even when ctx
// ends, so its outcome is known and recorded.
func (d *delivery) post(ctx context.Context, p Poster, t Target, r *bot.Reply, from int, sent func(index, of int, id string) error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.timeout)
	defer cancel()
	if err := p.Post(ctx, t.Channel, r, from, sent); err != nil {
		return fmt.Errorf("post to %s: %w", t, err)
	}
	return nil
}
