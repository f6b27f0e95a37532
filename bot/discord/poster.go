package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

// Posting bounds. Discord allows 50 requests per second per bot in all;
// the poster stays far below so that answers and other work have room.
const (
	defaultPostRate = 5.0
	maxPostRate     = 25.0
	postAttempts    = 4
	maxPostWait     = 30 * time.Second // longer rate limits are not waited out
	postBackoff     = 500 * time.Millisecond
)

// Poster posts replies to Discord channels as the bot. It paces its own
// requests, waits out 429s within bounds, retries server errors a few
// times, and reports permanent failures as *PostError. It is safe for
// concurrent use.
type Poster struct {
	session *discordgo.Session
	pace    *pacer
	log     *slog.Logger
	backoff time.Duration // first wait after a server error; doubles
}

var _ digest.Poster = (*Poster)(nil)

func newPoster(s *discordgo.Session, rate float64, log *slog.Logger) *Poster {
	if rate <= 0 {
		rate = defaultPostRate
	}
	rate = min(rate, maxPostRate)
	return &Poster{session: s, pace: newPacer(time.Duration(float64(time.Second) / rate)), log: log, backoff: postBackoff}
}

// Post sends r to the channel as one or more messages, in order, starting
// at message from (those before were posted on an earlier try). sent, if
// not nil, is told of each message as soon as it is posted (index, count,
// message id); an error from it stops the post.
func (p *Poster) Post(ctx context.Context, channel string, r *bot.Reply, from int, sent func(index, of int, id string) error) error {
	if p.session == nil {
		return &PostError{Channel: channel, Permanent: true, Reason: "posting needs a bot token (DISCORD_BOT_TOKEN)"}
	}
	if !isSnowflake(channel) {
		return &PostError{Channel: channel, Permanent: true, Reason: "not a Discord channel id"}
	}
	msgs := render(r)
	for i := max(from, 0); i < len(msgs); i++ {
		id, err := p.send(ctx, channel, msgs[i])
		if err != nil {
			if i > 0 {
				p.log.Warn("discord digest posted in part", "channel_id", channel, "sent", i, "messages", len(msgs))
			}
			return err
		}
		if sent != nil {
			if err := sent(i, len(msgs), id); err != nil {
				return err
			}
		}
	}
	return nil
}

// send posts one message with bounded retries.
func (p *Poster) send(ctx context.Context, channel string, m message) (string, error) {
	for attempt := 1; ; attempt++ {
		if err := p.pace.wait(ctx); err != nil {
			return "", &PostError{Channel: channel, Reason: "cancelled", Err: err}
		}
		msg, err := p.session.ChannelMessageSendComplex(channel, m.messageSend(),
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
		if err == nil {
			return msg.ID, nil
		}
		perr, wait := classify(channel, err)
		if perr.Permanent || attempt == postAttempts || wait > maxPostWait || ctx.Err() != nil {
			perr.Attempts = attempt
			return "", perr
		}
		if wait == 0 {
			wait = p.backoff << (attempt - 1)
		}
		p.log.Info("discord post retrying", "channel_id", channel, "attempt", attempt, "retry_in", wait.String(), "err", perr.Reason)
		if err := sleep(ctx, wait); err != nil {
			perr.Attempts = attempt
			return "", perr
		}
	}
}

// PostError is a failed post to a channel.
type PostError struct {
	Channel   string
	Status    int  // HTTP status, 0 if none was received
	Code      int  // Discord's JSON error code, 0 if none
	Permanent bool // retrying cannot help until someone changes something
	Attempts  int
	Reason    string
	Err       error
}

func (e *PostError) Error() string {
	s := fmt.Sprintf("discord: post to channel %s: %s", e.Channel, e.Reason)
	switch {
	case e.Status != 0 && e.Code != 0:
		s += fmt.Sprintf(" (HTTP %d, code %d)", e.Status, e.Code)
	case e.Status != 0:
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *PostError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a post failure that retrying cannot
// fix: unknown channel, no access or permission, a refused token or a
// refused message.
func IsPermanent(err error) bool {
	var pe *PostError
	return errors.As(err, &pe) && pe.Permanent
}

// classify turns a discordgo error into a PostError and the wait Discord
// asked for, if any.
func classify(channel string, err error) (*PostError, time.Duration) {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &PostError{Channel: channel, Status: http.StatusTooManyRequests, Reason: "rate limited"}, max(rl.RetryAfter, time.Millisecond)
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return &PostError{Channel: channel, Reason: "request failed", Err: errors.New(truncate(err.Error(), 200))}, 0
	}
	pe := &PostError{Channel: channel, Status: re.Response.StatusCode}
	if re.Message != nil {
		pe.Code = re.Message.Code
	}
	pe.Reason, pe.Permanent = explain(pe.Status, pe.Code)
	return pe, 0
}

// explain names a refusal and says whether it is permanent.
func explain(status, code int) (string, bool) {
	switch {
	case code == codeUnknownChannel:
		return "unknown channel: it was deleted or the id is wrong", true
	case code == codeMissingAccess:
		return "missing access: the bot cannot see this channel; add it to the channel or grant View Channel", true
	case code == codeMissingPermissions:
		return "missing permissions: grant the bot Send Messages and Embed Links in this channel", true
	case status == http.StatusUnauthorized:
		return "the bot token was refused; check DISCORD_BOT_TOKEN", true
	case status == http.StatusForbidden:
		return "forbidden", true
	case status == http.StatusNotFound:
		return "not found", true
	case status == http.StatusTooManyRequests:
		return "rate limited", false
	case status >= 500:
		return "Discord server error", false
	case status >= 400:
		return "Discord refused the message", true
	}
	return "unexpected response", false
}

// pacer spaces requests at least every apart, across goroutines. One
// caller at a time holds the turn, and the gap is measured from the moment
// the previous request actually started, so a stalled process can never
// release a burst of requests booked in advance.
type pacer struct {
	turn  chan struct{}
	every time.Duration
	last  time.Time
}

func newPacer(every time.Duration) *pacer {
	p := &pacer{turn: make(chan struct{}, 1), every: every}
	p.turn <- struct{}{}
	return p
}

// wait blocks until the caller's turn or until ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	select {
	case <-p.turn:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { p.turn <- struct{}{} }()
	if d := time.Until(p.last.Add(p.every)); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	p.last = time.Now()
	return nil
}
