package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Posting bounds. Discord allows 50 requests per second per bot in all;
// the poster asks for far less so that answers and other work have room.
const (
	defaultPostRate = 5.0
	maxPostRate     = 25.0
	channelGap      = time.Second // Discord allows 5 messages per 5 seconds per channel
	findPageSize    = 100         // GET channel messages' maximum
	findPages       = 10          // so a check reads at most 1,000 messages, as on Slack
	discordEpochMS  = 1420070400000
	opPost          = "post to"
	opRead          = "read the messages of"
	// renderedMax bounds the replies whose messages the poster keeps: a
	// digest fanned out to many channels is rendered (its tables drawn)
	// once, not once per channel and message.
	renderedMax = 64
)

// Poster posts digests to Discord channels as the bot, one request per
// call: pacing and retries are the caller's, guided by Spacing and by the
// errors' methods. Each message carries its PostMark as a nonce with
// enforce_nonce, so that Discord itself refuses a repeat within its nonce
// window, and in the custom id of its Sources button, which stays on the
// message for Find to read back later. It is safe for concurrent use.
type Poster struct {
	session  *discordgo.Session // nil: no bot token
	rate     float64
	rendered *renderCache

	mu sync.Mutex
	me string // the bot's user id, once known
}

// newPoster posts with s; names names commands in digests as registered
// on Discord.
func newPoster(s *discordgo.Session, rate float64, names bot.Naming) *Poster {
	if rate <= 0 {
		rate = defaultPostRate
	}
	rendered := wholeRenderCache(renderedMax)
	rendered.prepare = names.Reply
	return &Poster{session: s, rate: min(rate, maxPostRate), rendered: rendered}
}

// Spacing is the least time between two messages to one channel and
// between any two requests of the poster.
func (p *Poster) Spacing() (perChannel, overall time.Duration) {
	return channelGap, time.Duration(float64(time.Second) / p.rate)
}

// Parts is how many messages r takes within Discord's limits.
func (p *Poster) Parts(r *bot.Reply) int { return len(p.rendered.get(r, "")) }

// createMessage is the body of POST /channels/{id}/messages with the
// fields discordgo's MessageSend lacks.
type createMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
}

// digestMessage is the body that posts msg as message m.Part of the post
// marked m.
func digestMessage(msg message, m bot.PostMark) createMessage {
	return createMessage{MessageSend: withDigestButton(msg, m).messageSend(), Nonce: Nonce(m), EnforceNonce: true}
}

// Send posts message m.Part of r to channel and returns its id.
func (p *Poster) Send(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error) {
	if err := p.usable(opPost, channel); err != nil {
		return "", err
	}
	msgs := p.rendered.get(r, "")
	if m.Part < 0 || m.Part >= len(msgs) {
		return "", &PostError{Op: opPost, Channel: channel, permanent: true, Reason: fmt.Sprintf("no message %d in a post of %d", m.Part, len(msgs))}
	}
	raw, err := p.create(ctx, channel, digestMessage(msgs[m.Part], m))
	if err != nil {
		var pe *PostError
		if errors.As(err, &pe) {
			return "", pe
		}
		return "", classify(opPost, channel, err)
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil || msg.ID == "" {
		return "", &PostError{Op: opPost, Channel: channel, unknown: true, Reason: "unreadable answer to a post"}
	}
	return msg.ID, nil
}

// create sends POST /channels/{id}/messages: JSON, or multipart with
// the message as payload_json when it attaches files (a table's picture).
func (p *Poster) create(ctx context.Context, channel string, body createMessage) ([]byte, error) {
	endpoint := discordgo.EndpointChannelMessages(channel)
	opts := []discordgo.RequestOption{discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0)}
	if len(body.Files) == 0 {
		return p.session.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint, opts...)
	}
	contentType, data, err := discordgo.MultipartBodyWithJSON(body, body.Files)
	if err != nil { // nothing was sent
		return nil, &PostError{Op: opPost, Channel: channel, permanent: true, Reason: "the message could not be encoded", Err: err}
	}
	return p.session.RequestRaw(http.MethodPost, endpoint, contentType, data, endpoint, 0, opts...)
}

func (p *Poster) usable(op, channel string) error {
	if p.session == nil {
		return &PostError{Op: op, Channel: channel, permanent: true, Reason: "posting needs a bot token (DISCORD_BOT_TOKEN)"}
	}
	if !isSnowflake(channel) {
		return &PostError{Op: op, Channel: channel, permanent: true, Reason: "not a Discord channel id"}
	}
	return nil
}

// Find looks for the messages of the post marked m among the channel's
// messages since shortly before m.At (at most findPages pages of GET
// channel messages; Discord keeps no nonce on a message, so the custom id
// of its Sources button is what is matched). ids[i] is message i's id, or
// "" when it was not found.
func (p *Poster) Find(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) ([]string, error) {
	if err := p.usable(opRead, channel); err != nil {
		return nil, err
	}
	ids := make([]string, p.Parts(r))
	hash := keyHash(m.Key)
	after := snowflake(m.At.Add(-time.Minute))
	for n := range findPages {
		page, err := p.page(ctx, channel, after)
		if err != nil {
			return nil, err
		}
		for _, msg := range page {
			matchPart(ids, msg, hash)
			if id, _ := strconv.ParseUint(msg.ID, 10, 64); id > after {
				after = id
			}
		}
		if n == 0 && len(page) == 0 {
			return ids, p.historyReadable(ctx, channel)
		}
		if len(page) < findPageSize {
			return ids, nil
		}
	}
	return nil, &PostError{Op: opRead, Channel: channel, Reason: fmt.Sprintf("more than %d messages since the slot; the check could not tell", findPages*findPageSize)}
}

func (p *Poster) page(ctx context.Context, channel string, after uint64) ([]found, error) {
	url := discordgo.EndpointChannelMessages(channel) + "?limit=" + strconv.Itoa(findPageSize) + "&after=" + strconv.FormatUint(after, 10)
	raw, err := p.session.RequestWithBucketID(http.MethodGet, url, nil, discordgo.EndpointChannelMessages(channel),
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
	if err != nil {
		return nil, classify(opRead, channel, err)
	}
	var page []found
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, &PostError{Op: opRead, Channel: channel, Reason: "unreadable list of messages", Err: err}
	}
	return page, nil
}

// snowflake is the smallest Discord id of a moment.
func snowflake(t time.Time) uint64 {
	ms := max(t.UnixMilli()-discordEpochMS, 0)
	return uint64(ms) << 22
}

// PostError is a failed request to a channel. It answers the questions a
// caller's retry policy asks: Permanent, RetryAfter and OutcomeUnknown.
type PostError struct {
	Op      string // what was asked: "post to", "read the messages of"
	Channel string
	Status  int // HTTP status, 0 if none was received
	Code    int // Discord's JSON error code, 0 if none
	Reason  string
	Err     error
	// permanent: retrying will not help; unknown: the message may have
	// been posted; wait: how long Discord asked us to wait (HTTP 429).
	permanent, unknown bool
	wait               time.Duration
}

func (e *PostError) Error() string {
	s := fmt.Sprintf("discord: %s channel %s: %s", e.Op, e.Channel, e.Reason)
	switch {
	case e.Status != 0 && e.Code != 0:
		s += fmt.Sprintf(" (HTTP %d, code %d)", e.Status, e.Code)
	case e.Status != 0:
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *PostError) Unwrap() error { return e.Err }

// Permanent reports that retrying cannot help until someone changes
// something: unknown channel, no access or permission, a refused token or
// a refused message.
func (e *PostError) Permanent() bool { return e.permanent }

// RetryAfter is how long Discord asked to wait before the next request.
func (e *PostError) RetryAfter() time.Duration { return e.wait }

// OutcomeUnknown reports that the request may have been acted on: a
// timeout or a connection lost after it was sent, or a server error.
func (e *PostError) OutcomeUnknown() bool { return e.unknown }

// IsPermanent reports whether err is a failure that retrying cannot fix.
func IsPermanent(err error) bool {
	var pe *PostError
	return errors.As(err, &pe) && pe.permanent
}

// classify turns a discordgo error into a PostError.
func classify(op, channel string, err error) *PostError {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &PostError{Op: op, Channel: channel, Status: http.StatusTooManyRequests, Reason: "rate limited", wait: max(rl.RetryAfter, time.Millisecond)}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return &PostError{Op: op, Channel: channel, Reason: "request failed", Err: errors.New(truncate(err.Error(), 200)), unknown: !bot.NeverSent(err)}
	}
	pe := &PostError{Op: op, Channel: channel, Status: re.Response.StatusCode}
	if re.Message != nil {
		pe.Code = re.Message.Code
	}
	pe.Reason, pe.permanent = explain(pe.Status, pe.Code)
	pe.unknown = pe.Status >= 500
	return pe
}

// explain names a refusal and says whether it is permanent.
func explain(status, code int) (string, bool) {
	switch {
	case code == codeUnknownChannel:
		return "unknown channel: it was deleted or the id is wrong", true
	case code == codeMissingAccess:
		return "missing access: the bot cannot see this channel; add it to the channel or grant View Channel and Read Message History", true
	case code == codeMissingPermissions:
		return "missing permissions: grant the bot Send Messages, Embed Links and Read Message History in this channel", true
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

// ValidChannelID reports whether id has the form of a Discord channel id.
func ValidChannelID(id string) bool { return isSnowflake(id) }
