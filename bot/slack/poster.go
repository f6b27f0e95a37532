package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

// DefaultPostRate is the poster's messages per second across a workspace
// unless configured: 300 a minute, the low end of the "several hundred per
// minute" Slack documents for chat.postMessage.
const DefaultPostRate = 5.0

// Pacing and retry bounds of the poster.
const (
	postInterval   = time.Second // Slack allows about one message per second per channel
	maxAttempts    = 5
	firstBackoff   = 500 * time.Millisecond
	maxBackoff     = 8 * time.Second
	maxRetryAfter  = 5 * time.Minute
	defaultRetryIn = 5 * time.Second // a 429 without Retry-After
)

// permanentCodes are Web API errors that retrying cannot fix.
var permanentCodes = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true,
	"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "no_permission": true,
	"missing_scope": true, "restricted_action": true, "ekm_access_denied": true,
	"org_login_required": true, "team_access_not_granted": true,
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true,
	"msg_blocks_too_long": true, "no_text": true, "too_many_attachments": true,
	"invalid_arguments": true, "invalid_arg_name": true, "not_allowed_token_type": true,
	"channel_is_archived": true, "access_denied": true,
}

// transientCodes are Web API errors worth retrying.
var transientCodes = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true,
	"request_timeout": true, "ratelimited": true, "rate_limited": true,
}

// PostError is a failed post to a channel.
type PostError struct {
	Channel   string
	Code      string // Slack's error code, e.g. channel_not_found, when it gave one
	Permanent bool   // retrying will not help
	Err       error
}

func (e *PostError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("slack: post to %s: %v (%s)", e.Channel, e.Err, kind)
}

func (e *PostError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a post failure that retrying cannot
// fix: unknown channel, no access, bad auth, a rejected message.
func IsPermanent(err error) bool {
	var pe *PostError
	return errors.As(err, &pe) && pe.Permanent
}

// Poster posts replies to channels with chat.postMessage. It paces itself
// to one message per second per channel and to its rate across the
// workspace, honours 429 Retry-After, and retries transient failures a
// bounded number of times with backoff. It is safe for concurrent use.
type Poster struct {
	api   *slackapi.Client // nil: no bot token
	log   *slog.Logger
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	every time.Duration // least gap between any two messages in the workspace

	mu      sync.Mutex
	last    map[string]time.Time // channel → when its last message started
	lastAny time.Time            // when the last message to any channel started
}

var _ digest.Poster = (*Poster)(nil)

func newPoster(api *slackapi.Client, log *slog.Logger, now func() time.Time, rate float64) *Poster {
	if rate <= 0 {
		rate = DefaultPostRate
	}
	return &Poster{api: api, log: log, now: now, sleep: digest.SystemClock{}.Sleep, last: map[string]time.Time{},
		every: time.Duration(float64(time.Second) / rate)}
}

// Post sends r to channel, split into as many messages as Slack's limits
// need, starting at message from (those before were posted on an earlier
// try). sent, if not nil, is told of each message as soon as it is posted
// (index, count, timestamp); an error from it stops the post.
func (p *Poster) Post(ctx context.Context, channel string, r *bot.Reply, from int, sent func(index, of int, id string) error) error {
	if p.api == nil {
		return &PostError{Channel: channel, Permanent: true, Err: errors.New("no bot token configured (SLACK_BOT_TOKEN)")}
	}
	msgs := Render(r, "")
	for i := max(from, 0); i < len(msgs); i++ {
		ts, err := p.postOne(ctx, channel, msgs[i])
		if err != nil {
			if len(msgs) > 1 {
				err = fmt.Errorf("message %d of %d: %w", i+1, len(msgs), err)
			}
			return err
		}
		if sent != nil {
			if err := sent(i, len(msgs), ts); err != nil {
				return err
			}
		}
	}
	return nil
}

// postOne sends one message, waiting its turn and retrying what is worth
// retrying.
func (p *Poster) postOne(ctx context.Context, channel string, m Message) (string, error) {
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		if err := p.turn(ctx, channel); err != nil {
			return "", &PostError{Channel: channel, Err: err}
		}
		_, ts, err := p.api.PostMessageContext(ctx, channel,
			slackapi.MsgOptionText(m.Text, false),
			slackapi.MsgOptionBlocks(m.Blocks...),
			slackapi.MsgOptionDisableLinkUnfurl(),
			slackapi.MsgOptionDisableMediaUnfurl())
		if err == nil {
			return ts, nil
		}
		pe, wait := classify(channel, err, backoff)
		if pe.Permanent || attempt == maxAttempts || ctx.Err() != nil {
			p.log.Warn("post failed", "channel", channel, "attempt", attempt, "code", pe.Code, "permanent", pe.Permanent, "err", err)
			return "", pe
		}
		p.log.Info("post will be retried", "channel", channel, "attempt", attempt, "wait", wait, "err", err)
		if err := p.sleep(ctx, wait); err != nil {
			return "", &PostError{Channel: channel, Err: err}
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// turn waits until channel may receive the next message and claims it.
// The gap is measured from the moment the previous message to the channel
// actually started, under the lock, so a stalled process can never release
// messages booked in advance in one burst.
func (p *Poster) turn(ctx context.Context, channel string) error {
	for {
		wait := p.claim(channel)
		if wait <= 0 {
			return nil
		}
		if err := p.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// claim takes the channel's turn if both its gap and the workspace's have
// passed, or says how long is left.
func (p *Poster) claim(channel string) time.Duration {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if left := p.lastAny.Add(p.every).Sub(now); left > 0 {
		return left
	}
	if last, ok := p.last[channel]; ok {
		if left := last.Add(postInterval).Sub(now); left > 0 {
			return left
		}
	}
	p.last[channel] = now
	p.lastAny = now
	if len(p.last) > 10_000 {
		for ch, t := range p.last {
			if now.Sub(t) >= postInterval {
				delete(p.last, ch)
			}
		}
	}
	return 0
}

// classify turns a Web API error into a PostError and how long to wait
// before trying again.
func classify(channel string, err error, backoff time.Duration) (*PostError, time.Duration) {
	pe := &PostError{Channel: channel, Err: err}
	var rl *slackapi.RateLimitedError
	var se slackapi.SlackErrorResponse
	var sc slackapi.StatusCodeError
	var ne net.Error
	switch {
	case errors.As(err, &rl):
		pe.Code = "ratelimited"
		wait := rl.RetryAfter
		if wait <= 0 {
			wait = defaultRetryIn
		}
		return pe, min(wait, maxRetryAfter)
	case errors.As(err, &se):
		pe.Code = se.Err
		pe.Permanent = permanentCodes[se.Err] || !transientCodes[se.Err]
	case errors.As(err, &sc):
		pe.Permanent = sc.Code < 500
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
	case errors.As(err, &ne):
	}
	return pe, backoff
}
