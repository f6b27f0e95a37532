package slack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/webhook"
)

// Claimer records that an event was handled, so that of several replicas,
// or a retry, only one answers. *store.DB is one.
type Claimer interface {
	ClaimEvent(ctx context.Context, key string, now time.Time, hold time.Duration) (bool, error)
}

// How long a handled message is remembered (Slack retries within minutes),
// and how long the same question from the same user counts as a repeat.
const (
	messageHold    = time.Hour
	questionHold   = 5 * time.Second
	maxEventBody   = 1 << 20
	postAttempts   = 3
	maxPostBackoff = 10 * time.Second
)

var errJSONType = errors.New("content type is not application/json")

// chatEvents answers questions asked by mentioning the app in a channel
// or writing to it directly.
type chatEvents struct {
	api       *slackapi.Client // nil without a bot token: nothing can be answered
	claims    Claimer          // nil: this process only
	messages  *dedup
	questions *dedup
	now       func() time.Time

	mu   sync.Mutex
	self string // the bot's user id
}

func newChatEvents(api *slackapi.Client, claims Claimer, now func() time.Time) *chatEvents {
	return &chatEvents{api: api, claims: claims, now: now,
		messages: newDedup(messageHold, now), questions: newDedup(questionHold, now)}
}

// question is a message that asks the app something.
type question struct {
	team, user, channel string
	text                string
	ts, threadTS        string // where to reply: the thread, if any
	inChannel           bool   // a mention in a channel, not a direct message
}

// handleEvents answers POST /slack/events: URL verification, and event
// callbacks acknowledged at once and answered in the background.
func (a *Adapter) serveEvents(_ context.Context, r *webhook.Request) webhook.Response {
	body, err := a.verifier.checkSigned(r, "application/json", errJSONType)
	if err != nil {
		return a.reject(r, err)
	}
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		a.log.Warn("unreadable event", "path", r.Path, "err", err)
		return webhook.Response{Status: http.StatusOK}
	}
	if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
		return webhook.Response{Status: http.StatusOK, ContentType: jsonType,
			Body: mustJSON(map[string]string{"challenge": v.Challenge})}
	}
	if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
		a.log.Info("slack event retried", "retry_num", n, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	a.event(ev)
	return webhook.Response{Status: http.StatusOK}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// socketEvent acknowledges an Events API envelope from Socket Mode and
// answers it in the background.
func (a *Adapter) socketEvent(ack acker, evt socketmode.Event) {
	a.ackOnly(ack, evt)
	if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
		a.event(ev)
	}
}

// event answers an event callback if it is a question for us.
func (a *Adapter) event(ev slackevents.EventsAPIEvent) {
	q, ok := questionOf(ev, a.chat.botUser(ev))
	if !ok {
		return
	}
	a.background(func(ctx context.Context) { a.answerQuestion(ctx, q) })
}

// questionOf picks a question out of an event: a mention of the app in a
// channel, or a new message in the app's direct messages, written by a
// person (never a bot, never ourselves).
func questionOf(ev slackevents.EventsAPIEvent, self string) (question, bool) {
	var q question
	var bot string
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		q = question{user: e.User, channel: e.Channel, text: e.Text, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp, inChannel: true}
		bot = e.BotID
	case *slackevents.MessageEvent:
		if e.ChannelType != "im" || e.SubType != "" {
			return question{}, false
		}
		q = question{user: e.User, channel: e.Channel, text: e.Text, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp}
		bot = e.BotID
	default:
		return question{}, false
	}
	q.team = ev.TeamID
	if bot != "" || q.user == "" || q.user == self || q.channel == "" || q.ts == "" {
		return question{}, false
	}
	return q, true
}

// botUser is the app's bot user id: from the event's authorizations, or
// remembered from an earlier event.
func (c *chatEvents) botUser(ev slackevents.EventsAPIEvent) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok {
		for _, au := range cb.Authorizations {
			if au.IsBot && au.UserID != "" {
				c.self = au.UserID
			}
		}
	}
	return c.self
}

// answerQuestion answers q once: the message is claimed (a retry, or the
// same event on another replica, loses), then the question (the same
// words from the same user moments apart lose), then the answer is posted
// in the thread.
func (a *Adapter) answerQuestion(ctx context.Context, q question) {
	if !a.chat.first(ctx, a.chat.messages, "slack:message:"+q.team+":"+q.channel+":"+q.ts, messageHold, a) ||
		!a.chat.first(ctx, a.chat.questions, "slack:question:"+q.team+":"+q.user+":"+q.channel+":"+bot.SameQuestion(q.text), questionHold, a) {
		a.log.Debug("question already answered", "channel_id", q.channel)
		return
	}
	if a.chat.api == nil {
		a.log.Warn("a question arrived but answers need a bot token (SLACK_BOT_TOKEN)", "channel_id", q.channel)
		return
	}
	line := "/ask " + q.text
	req := a.request(q.team, q.user, q.channel, line)
	req.Mention = true
	reply := a.engine.Handle(ctx, req)
	if why := reply.Withheld(); why != "" {
		a.log.Debug("question not answered: "+why, "channel_id", q.channel)
		return
	}
	for i, m := range fitted(reply, "", line, a.renders.consoleURL, a.names) {
		if err := a.chat.post(ctx, q, m); err != nil {
			a.log.Warn("answer not posted", "channel_id", q.channel, "sent", i, "err", err)
			return
		}
	}
}

// first claims key in the store when there is one, else in memory.
func (c *chatEvents) first(ctx context.Context, local *dedup, key string, hold time.Duration, a *Adapter) bool {
	if c.claims == nil {
		return local.first(key)
	}
	won, err := c.claims.ClaimEvent(ctx, key, c.now(), hold)
	if err != nil {
		a.log.Warn("event claim failed; answering from this replica's memory", "err", err)
		return local.first(key)
	}
	return won
}

// post sends one message of the answer in the question's thread: the
// thread it was asked in, or a new one under a channel mention. Links and
// media are not unfurled. A rate limit is waited out a few times.
func (c *chatEvents) post(ctx context.Context, q question, m Message) error {
	opts := []slackapi.MsgOption{slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...),
		slackapi.MsgOptionDisableLinkUnfurl(), slackapi.MsgOptionDisableMediaUnfurl()}
	switch {
	case q.threadTS != "":
		opts = append(opts, slackapi.MsgOptionTS(q.threadTS))
	case q.inChannel:
		opts = append(opts, slackapi.MsgOptionTS(q.ts))
	}
	var err error
	for attempt := 1; attempt <= postAttempts; attempt++ {
		_, _, err = c.api.PostMessageContext(ctx, q.channel, opts...)
		var rl *slackapi.RateLimitedError
		if err == nil || !errors.As(err, &rl) || rl.RetryAfter > maxPostBackoff {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(rl.RetryAfter):
		}
	}
	return err
}
