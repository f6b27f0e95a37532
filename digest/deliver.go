package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// delivery is the one retry policy and the one pacer of digest posting.
// Within a round it tries each message, and each check of the platform,
// up to tries times, waiting the backoff (doubled each time), and waits
// out the platform's rate limits as long as it says (see retry). Before
// trying again after a request whose outcome is unknown, it looks on the
// platform for the message. Rounds are the scheduler's.
type delivery struct {
	clock   Clock
	log     *slog.Logger
	tries   int           // failures of a message, or of a check, in a round
	backoff time.Duration // first wait after a failure; doubled each time
	maxWait time.Duration // most waiting for one request inside a round
	timeout time.Duration // per request
	settle  time.Duration // before looking again for a missing message

	mu      sync.Mutex
	posters map[string]Poster
	pacers  map[string]*pacer
}

func (d *delivery) addPoster(platform string, p Poster) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.posters[platform] = p
	d.pacers[platform] = newPacer(p)
}

func (d *delivery) poster(platform string) (Poster, *pacer, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.posters[platform]
	return p, d.pacers[platform], ok
}

// post is one slot's digest on its way to one target.
type post struct {
	target Target
	reply  *bot.Reply
	mark   bot.PostMark // Part is set per message
	ids    []string     // ids of the messages known to be posted
	// alive is nil while this instance may still post the slot (it holds
	// the lease); sent records message i as posted and fails when that
	// cannot be recorded.
	alive func() error
	sent  func(i int, id string) error
}

// next is the message after the last one known to be posted: a digest
// resumes there, never repeating one.
func (p *post) next() int {
	for i := len(p.ids) - 1; i >= 0; i-- {
		if p.ids[i] != "" {
			return i + 1
		}
	}
	return 0
}

func (p *post) firstID() string {
	for _, id := range p.ids {
		if id != "" {
			return id
		}
	}
	return ""
}

// parts renders nothing itself: it asks the poster how many messages r takes.
func (d *delivery) parts(t Target, r *bot.Reply) (int, error) {
	p, _, ok := d.poster(t.Platform)
	if !ok {
		return 0, permanentError{fmt.Errorf("digest: no poster for %s (is %s configured?)", t, t.Platform)}
	}
	return p.Parts(r), nil
}

// check looks on the platform for the messages of p, trying like a post
// (see retry), and adds those found to p.ids. It says what it found.
func (d *delivery) check(ctx context.Context, p *post) (string, error) {
	ids, err := d.settled(ctx, p, func() (ids []string, err error) {
		err = d.retry(ctx, p, func() (err error) {
			ids, err = d.find(ctx, p)
			return err
		}, "check")
		return ids, err
	})
	if err != nil {
		return "", err
	}
	var found []string
	for i, id := range ids {
		if id != "" && i < len(p.ids) {
			p.ids[i] = id
			found = append(found, fmt.Sprint(i+1))
		}
	}
	if len(found) == 0 {
		return fmt.Sprintf("none of %d message(s) found on the platform", len(p.ids)), nil
	}
	return fmt.Sprintf("found message(s) %s of %d on the platform", strings.Join(found, ", "), len(p.ids)), nil
}

// settled runs find and, when it says a message of p is missing, runs it
// again after d.settle before that is believed. A platform that stalled
// answers what it had queued in no particular order: the check may be
// answered just before a post sent earlier, by this instance or one that
// stopped, is applied.
func (d *delivery) settled(ctx context.Context, p *post, find func() ([]string, error)) ([]string, error) {
	ids, err := find()
	if err != nil || !slices.Contains(ids, "") || d.settle <= 0 {
		return ids, err
	}
	if err := d.clock.Sleep(ctx, d.settle); err != nil {
		return nil, err
	}
	again, err := find()
	if err != nil {
		return nil, err
	}
	for i := range min(len(ids), len(again)) {
		if ids[i] == "" {
			ids[i] = again[i]
		}
	}
	return ids, nil
}

// find asks the platform once (paced) for the messages of p.
func (d *delivery) find(ctx context.Context, p *post) ([]string, error) {
	poster, pace, ok := d.poster(p.target.Platform)
	if !ok {
		return nil, permanentError{fmt.Errorf("digest: no poster for %s", p.target)}
	}
	if err := d.wait(ctx, pace, p.target.Channel); err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	return poster.Find(rctx, p.target.Channel, p.reply, p.mark)
}

// send posts the messages of p after the last one known to be posted.
func (d *delivery) send(ctx context.Context, p *post) error {
	for i := p.next(); i < len(p.ids); i++ {
		id, err := d.sendOne(ctx, p, i)
		if err != nil {
			if len(p.ids) > 1 {
				err = fmt.Errorf("message %d of %d: %w", i+1, len(p.ids), err)
			}
			return err
		}
		p.ids[i] = id
		if err := p.sent(i, id); err != nil {
			return err
		}
	}
	return nil
}

// sendOne posts message i, trying as retry says. After a request whose
// outcome was unknown, the next try first looks for the message on the
// platform, and posts only if it is not there.
func (d *delivery) sendOne(ctx context.Context, p *post, i int) (string, error) {
	poster, pace, _ := d.poster(p.target.Platform)
	var id string
	var unclear error // the last post's error while its outcome is unknown
	err := d.retry(ctx, p, func() (err error) {
		if unclear != nil {
			if id, err = d.lookFor(ctx, p, i); err != nil {
				return unknownError{fmt.Errorf("%w; then the check failed: %w", unclear, err)}
			}
			if id != "" {
				return nil
			}
			unclear = nil // not there: post it now
		}
		if err := d.wait(ctx, pace, p.target.Channel); err != nil {
			return err
		}
		if id, err = d.request(ctx, poster, p, i); outcomeUnknown(err) {
			unclear = err
		}
		return err
	}, "post", "message", i+1)
	return id, err
}

// retry runs a request until it succeeds, while p may still be posted. A
// failure is tried again after the backoff (doubled each time), up to
// d.tries failures; a refusal with Retry-After (a rate limit) is tried
// again when the platform said, without counting as a failure. A
// permanent error, or waits adding up to more than maxWait, ends it: the
// round fails and a later one goes on.
func (d *delivery) retry(ctx context.Context, p *post, request func() error, what string, attrs ...any) error {
	backoff, waited := d.backoff, time.Duration(0)
	for failures := 0; ; {
		if err := p.alive(); err != nil {
			return err
		}
		err := request()
		if err == nil || IsPermanent(err) {
			return err
		}
		w := retryAfter(err)
		if w == 0 {
			if failures++; failures >= d.tries {
				return err
			}
			w, backoff = backoff, 2*backoff
		}
		if waited+w > d.maxWait {
			return fmt.Errorf("%w (waited %s in this round; retrying in a later round)", err, waited.Round(time.Second))
		}
		d.log.Warn("digest: "+what+" failed, retrying", append([]any{"target", p.target.String(), "wait", w.String(), "err", err}, attrs...)...)
		if serr := d.clock.Sleep(ctx, w); serr != nil {
			return errors.Join(err, serr)
		}
		waited += w
	}
}

// lookFor checks the platform for message i after a request whose
// outcome was unknown (see settled): its id if it was posted after all,
// "" if not.
func (d *delivery) lookFor(ctx context.Context, p *post, i int) (string, error) {
	ids, err := d.settled(ctx, p, func() ([]string, error) { return d.find(ctx, p) })
	if err != nil || i >= len(ids) || ids[i] == "" {
		return "", err
	}
	d.log.Info("digest: message found on the platform after an unclear answer", "target", p.target.String(), "message", i+1)
	return ids[i], nil
}

// request makes one request. A request already sent is let finish even
// when ctx ends, so that its outcome is known. The poster's errors name
// the platform and the channel.
func (d *delivery) request(ctx context.Context, poster Poster, p *post, i int) (string, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.timeout)
	defer cancel()
	m := p.mark
	m.Part = i
	return poster.Send(rctx, p.target.Channel, p.reply, m)
}

// wait sleeps until the pacer's turn for channel.
func (d *delivery) wait(ctx context.Context, pace *pacer, channel string) error {
	now := d.clock.Now()
	return d.clock.Sleep(ctx, pace.reserve(now, channel).Sub(now))
}
