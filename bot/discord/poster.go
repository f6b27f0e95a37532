package discord

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"strconv"
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
	findPages       = 5
	discordEpochMS  = 1420070400000
)

// Poster posts digests to Discord channels as the bot, one request per
// call: pacing and retries are the caller's, guided by Spacing and by the
// errors' methods. Each message carries a nonce derived from its PostMark
// with enforce_nonce, so that Discord itself refuses a repeat within its
// nonce window, and its first embed's timestamp is the slot's time (with
// the mark in the milliseconds), which Find reads back later. It is safe
// for concurrent use.
type Poster struct {
	session *discordgo.Session // nil: no bot token
	rate    float64
}

func newPoster(s *discordgo.Session, rate float64) *Poster {
	if rate <= 0 {
		rate = defaultPostRate
	}
	return &Poster{session: s, rate: min(rate, maxPostRate)}
}

// Spacing is the least time between two messages to one channel and
// between any two requests of the poster.
func (p *Poster) Spacing() (perChannel, overall time.Duration) {
	return channelGap, time.Duration(float64(time.Second) / p.rate)
}

// Parts is how many messages r takes within Discord's limits.
func (p *Poster) Parts(r *bot.Reply) int { return len(render(r)) }

// createMessage is the body of POST /channels/{id}/messages with the
// fields discordgo's MessageSend lacks.
type createMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce"`
	EnforceNonce bool   `json:"enforce_nonce"`
}

// Send posts message m.Part of r to channel and returns its id.
func (p *Poster) Send(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error) {
	if err := p.usable(channel); err != nil {
		return "", err
	}
	msgs := render(r)
	if m.Part < 0 || m.Part >= len(msgs) {
		return "", &PostError{Channel: channel, permanent: true, Reason: fmt.Sprintf("no message %d in a post of %d", m.Part, len(msgs))}
	}
	body := createMessage{MessageSend: marked(msgs[m.Part], m).messageSend(), Nonce: Nonce(m), EnforceNonce: true}
	raw, err := p.session.RequestWithBucketID(http.MethodPost, discordgo.EndpointChannelMessages(channel), body,
		discordgo.EndpointChannelMessages(channel), discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
	if err != nil {
		return "", classify(channel, err)
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil || msg.ID == "" {
		return "", &PostError{Channel: channel, unknown: true, Reason: "unreadable answer to a post"}
	}
	return msg.ID, nil
}

func (p *Poster) usable(channel string) error {
	if p.session == nil {
		return &PostError{Channel: channel, permanent: true, Reason: "posting needs a bot token (DISCORD_BOT_TOKEN)"}
	}
	if !isSnowflake(channel) {
		return &PostError{Channel: channel, permanent: true, Reason: "not a Discord channel id"}
	}
	return nil
}

// Nonce is the nonce of a marked message: at most 25 characters, the same
// for every try of the same message of the same slot.
func Nonce(m bot.PostMark) string {
	sum := sha256.Sum256([]byte(m.Key + "#" + strconv.Itoa(m.Part)))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:25]
}

// markTime is the timestamp a marked message's first embed carries: the
// slot's time, with the milliseconds telling the part (the last two
// digits) and, by a hash, the slot key (the first) apart. Discord shows it
// to the minute.
func markTime(m bot.PostMark, part int) time.Time {
	h := fnv.New32a()
	h.Write([]byte(m.Key))
	ms := int(h.Sum32()%10)*100 + part%100
	return m.At.UTC().Truncate(time.Second).Add(time.Duration(ms) * time.Millisecond)
}

// marked returns msg with its first embed stamped; the rendered message
// itself is shared and left alone.
func marked(msg message, m bot.PostMark) message {
	if len(msg.Embeds) == 0 {
		return msg
	}
	embeds := append([]*discordgo.MessageEmbed(nil), msg.Embeds...)
	first := *embeds[0]
	first.Timestamp = markTime(m, m.Part).Format(time.RFC3339Nano)
	embeds[0] = &first
	msg.Embeds = embeds
	return msg
}

// found is the part of a channel message Find reads.
type found struct {
	ID     string `json:"id"`
	Author struct {
		Bot bool `json:"bot"`
	} `json:"author"`
	Embeds []struct {
		Timestamp string `json:"timestamp"`
	} `json:"embeds"`
}

// Find looks for the messages of the post marked m among the channel's
// messages since shortly before m.At (at most findPages pages of GET
// channel messages; Discord keeps no nonce on a message, so the embed's
// timestamp is what is matched). ids[i] is message i's id, or "" when it
// was not found.
func (p *Poster) Find(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) ([]string, error) {
	if err := p.usable(channel); err != nil {
		return nil, err
	}
	ids := make([]string, p.Parts(r))
	after := snowflake(m.At.Add(-time.Minute))
	for range findPages {
		page, err := p.page(ctx, channel, after)
		if err != nil {
			return nil, err
		}
		for _, msg := range page {
			matchPart(ids, msg, m)
			if id, _ := strconv.ParseUint(msg.ID, 10, 64); id > after {
				after = id
			}
		}
		if len(page) < findPageSize {
			return ids, nil
		}
	}
	return nil, &PostError{Channel: channel, Reason: fmt.Sprintf("more than %d messages since the slot; the check could not tell", findPages*findPageSize)}
}

func (p *Poster) page(ctx context.Context, channel string, after uint64) ([]found, error) {
	url := discordgo.EndpointChannelMessages(channel) + "?limit=" + strconv.Itoa(findPageSize) + "&after=" + strconv.FormatUint(after, 10)
	raw, err := p.session.RequestWithBucketID(http.MethodGet, url, nil, discordgo.EndpointChannelMessages(channel),
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
	if err != nil {
		return nil, classify(channel, err)
	}
	var page []found
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, &PostError{Channel: channel, Reason: "unreadable list of messages", Err: err}
	}
	return page, nil
}

func matchPart(ids []string, msg found, m bot.PostMark) {
	if !msg.Author.Bot || len(msg.Embeds) == 0 {
		return
	}
	at, err := time.Parse(time.RFC3339Nano, msg.Embeds[0].Timestamp)
	if err != nil {
		return
	}
	for i := range ids {
		if at.Equal(markTime(m, i)) {
			ids[i] = msg.ID
		}
	}
}

// snowflake is the smallest Discord id of a moment.
func snowflake(t time.Time) uint64 {
	ms := max(t.UnixMilli()-discordEpochMS, 0)
	return uint64(ms) << 22
}

// PostError is a failed request to a channel. It answers the questions a
// caller's retry policy asks: Permanent, RetryAfter and OutcomeUnknown.
type PostError struct {
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
	s := fmt.Sprintf("discord: channel %s: %s", e.Channel, e.Reason)
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
func classify(channel string, err error) *PostError {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &PostError{Channel: channel, Status: http.StatusTooManyRequests, Reason: "rate limited", wait: max(rl.RetryAfter, time.Millisecond)}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return &PostError{Channel: channel, Reason: "request failed", Err: errors.New(truncate(err.Error(), 200)), unknown: !refusedBeforeSending(err)}
	}
	pe := &PostError{Channel: channel, Status: re.Response.StatusCode}
	if re.Message != nil {
		pe.Code = re.Message.Code
	}
	pe.Reason, pe.permanent = explain(pe.Status, pe.Code)
	pe.unknown = pe.Status >= 500
	return pe
}

// refusedBeforeSending reports a network error that happened before the
// request could reach Discord (no connection was made).
func refusedBeforeSending(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
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
