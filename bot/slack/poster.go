package slack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// DefaultPostRate is the poster's messages per second across a workspace
// unless configured: 300 a minute, the low end of the "several hundred per
// minute" Slack documents for chat.postMessage.
const DefaultPostRate = 5.0

// What Slack allows and how far the poster looks back.
const (
	channelGap     = time.Second     // Slack allows about one message per second per channel
	defaultRetryIn = 5 * time.Second // a 429 without Retry-After
	markEventType  = "briefbot_digest"
	opPost         = "post to"
	opHistory      = "read the history of"
	findPageSize   = 200 // conversations.history's documented maximum is 999; 200 is its advice
	findPages      = 5   // so a check reads at most 1,000 messages
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
	"channel_is_archived": true, "access_denied": true, "invalid_metadata_format": true,
	"invalid_metadata_schema": true, "metadata_too_large": true,
}

// unknownCodes are Web API errors after which the message may or may not
// have been posted: Slack says part of the operation may have succeeded.
var unknownCodes = map[string]bool{
	"internal_error": true, "fatal_error": true, "request_timeout": true,
}

// PostError is a failed request to a channel. It answers the questions a
// caller's retry policy asks: Permanent, RetryAfter and OutcomeUnknown.
type PostError struct {
	Op      string // what was asked: "post to", "read the history of"
	Channel string
	Code    string // Slack's error code, e.g. channel_not_found, when it gave one
	// permanent: retrying will not help; unknown: the message may have
	// been posted; wait: how long Slack asked us to wait (HTTP 429).
	permanent, unknown bool
	wait               time.Duration
	Err                error
}

func (e *PostError) Error() string {
	kind := "transient"
	switch {
	case e.permanent:
		kind = "permanent"
	case e.unknown:
		kind = "outcome unknown"
	}
	return fmt.Sprintf("slack: %s %s: %v (%s)", e.Op, e.Channel, e.Err, kind)
}

func (e *PostError) Unwrap() error { return e.Err }

// Permanent reports that retrying cannot fix the failure: unknown channel,
// no access, bad auth, a rejected message.
func (e *PostError) Permanent() bool { return e.permanent }

// RetryAfter is how long Slack asked to wait before the next request.
func (e *PostError) RetryAfter() time.Duration { return e.wait }

// OutcomeUnknown reports that the request may have been acted on: a
// timeout or a connection lost after it was sent, or an internal error.
func (e *PostError) OutcomeUnknown() bool { return e.unknown }

// IsPermanent reports whether err is a failure that retrying cannot fix.
func IsPermanent(err error) bool {
	var pe *PostError
	return errors.As(err, &pe) && pe.permanent
}

// Poster posts digests to channels with chat.postMessage, one request per
// call: pacing and retries are the caller's, guided by Spacing and by the
// errors' methods. Each message carries its PostMark as message metadata,
// and Find reads it back with conversations.history. It is safe for
// concurrent use.
type Poster struct {
	api   *slackapi.Client // nil: no bot token
	rate  float64
	names bot.Naming // names commands in digests as registered on Slack
}

func newPoster(api *slackapi.Client, rate float64, names bot.Naming) *Poster {
	if rate <= 0 {
		rate = DefaultPostRate
	}
	return &Poster{api: api, rate: rate, names: names}
}

// Spacing is the least time between two messages to one channel and
// between any two messages to the workspace.
func (p *Poster) Spacing() (perChannel, overall time.Duration) {
	return channelGap, time.Duration(float64(time.Second) / p.rate)
}

// Parts is how many messages r takes within Slack's limits.
func (p *Poster) Parts(r *bot.Reply) int { return len(Render(p.names.Reply(r), "")) }

// Send posts message m.Part of r to channel, with m as its metadata, and
// returns the message's timestamp (its id).
func (p *Poster) Send(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error) {
	if p.api == nil {
		return "", noToken(opPost, channel)
	}
	msgs := Render(p.names.Reply(r), "")
	if m.Part < 0 || m.Part >= len(msgs) {
		return "", &PostError{Op: opPost, Channel: channel, permanent: true, Err: fmt.Errorf("no message %d in a post of %d", m.Part, len(msgs))}
	}
	msg := msgs[m.Part]
	_, ts, err := p.api.PostMessageContext(ctx, channel,
		slackapi.MsgOptionText(msg.Text, false),
		slackapi.MsgOptionBlocks(msg.Blocks...),
		slackapi.MsgOptionMetadata(metadata(m)),
		slackapi.MsgOptionDisableLinkUnfurl(),
		slackapi.MsgOptionDisableMediaUnfurl())
	if err != nil {
		return "", classify(opPost, channel, err)
	}
	return ts, nil
}

func noToken(op, channel string) error {
	return &PostError{Op: op, Channel: channel, permanent: true, Err: errors.New("no bot token configured (SLACK_BOT_TOKEN)")}
}

func metadata(m bot.PostMark) slackapi.SlackMetadata {
	return slackapi.SlackMetadata{EventType: markEventType, EventPayload: map[string]any{
		"key": m.Key, "part": m.Part, "at": m.At.UTC().Format(time.RFC3339),
	}}
}

// Find looks for the messages of the post marked m.Key among the channel's
// messages since shortly before m.At, reading at most findPages pages of
// conversations.history (it needs the channels:history scope, and
// groups:history for private channels). ids[i] is message i's timestamp,
// or "" when it was not found. A channel with more messages than a check
// reads since the slot is an error: the check could not tell.
func (p *Poster) Find(ctx context.Context, channel string, r *bot.Reply, m bot.PostMark) ([]string, error) {
	if p.api == nil {
		return nil, noToken(opHistory, channel)
	}
	ids := make([]string, p.Parts(r))
	params := &slackapi.GetConversationHistoryParameters{ChannelID: channel, Limit: findPageSize,
		Oldest: fmt.Sprintf("%d.000000", m.At.Add(-time.Minute).Unix()), IncludeAllMetadata: true}
	for range findPages {
		resp, err := p.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return nil, classify(opHistory, channel, err)
		}
		for _, msg := range resp.Messages {
			if i, ok := markedPart(msg.Metadata, m.Key); ok && i < len(ids) {
				ids[i] = msg.Timestamp
			}
		}
		if !resp.HasMore || resp.ResponseMetaData.NextCursor == "" {
			return ids, nil
		}
		params.Cursor = resp.ResponseMetaData.NextCursor
	}
	return nil, &PostError{Op: opHistory, Channel: channel, Err: fmt.Errorf("more than %d messages since the slot; the check could not tell", findPages*findPageSize)}
}

// markedPart returns the part of a message whose metadata carries key.
func markedPart(md slackapi.SlackMetadata, key string) (int, bool) {
	if md.EventType != markEventType || md.EventPayload["key"] != key {
		return 0, false
	}
	part, ok := md.EventPayload["part"].(float64) // JSON numbers
	return int(part), ok && part >= 0
}

// classify turns a Web API error into a PostError.
func classify(op, channel string, err error) *PostError {
	pe := &PostError{Op: op, Channel: channel, Err: err}
	var rl *slackapi.RateLimitedError
	var se slackapi.SlackErrorResponse
	var sc slackapi.StatusCodeError
	switch {
	case errors.As(err, &rl):
		pe.Code = "ratelimited"
		pe.wait = rl.RetryAfter
		if pe.wait <= 0 {
			pe.wait = defaultRetryIn
		}
	case errors.As(err, &se):
		pe.Code = se.Err
		pe.permanent = permanentCodes[se.Err]
		pe.unknown = unknownCodes[se.Err]
	case errors.As(err, &sc):
		pe.permanent = sc.Code < 500
		pe.unknown = sc.Code >= 500
	default:
		pe.unknown = !bot.NeverSent(err)
	}
	return pe
}

var channelIDRE = regexp.MustCompile(`^[A-Z0-9]{2,40}$`)

// ValidChannelID reports whether id has the form of a Slack conversation
// id, such as C0123ABCD.
func ValidChannelID(id string) bool { return channelIDRE.MatchString(id) }
