package discord

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Claimer records that a message was answered, so that of several
// replicas holding gateway sessions (each sees every message) only one
// answers. *store.DB is one.
type Claimer interface {
	ClaimEvent(ctx context.Context, key string, now time.Time, hold time.Duration) (bool, error)
}

// gatewayIntents are the gateway events the adapter asks for: guilds, and
// messages in guild channels and in DMs. None is privileged: without the
// Message Content intent Discord still sends the text of messages that
// mention the bot and of DMs, which are the only ones answered.
const gatewayIntents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// How long an answered message is remembered, and how long the same
// question from the same user counts as a repeat.
const (
	messageHold       = time.Hour
	questionHold      = 5 * time.Second
	questionsMax      = 10_000
	sendAttempts      = 3
	maxSendRetryAfter = 10 * time.Second
)

// messages answers questions asked in messages: a mention of the bot in a
// channel, or a direct message.
type messages struct {
	claims    Claimer // nil: this process only
	seen      *memo
	questions *memo
	self      atomic.Value // string: the bot's user id, from READY
}

func newMessages(claims Claimer) *messages {
	m := &messages{claims: claims, seen: newMemo(seenMax, messageHold), questions: newMemo(questionsMax, questionHold)}
	m.self.Store("")
	return m
}

// listen adds the gateway handlers for messages to the session.
func (a *Adapter) listen(s *discordgo.Session) {
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		if r.User != nil {
			a.msgs.self.Store(r.User.ID)
		}
	})
	s.AddHandler(a.onMessage)
}

// onMessage answers a message that asks the bot something.
func (a *Adapter) onMessage(_ *discordgo.Session, ev *discordgo.MessageCreate) {
	if ev == nil || ev.Message == nil {
		return
	}
	m := ev.Message
	if !a.asksUs(m) {
		return
	}
	a.background(func(ctx context.Context) { a.answerMessage(ctx, m) })
}

// asksUs says whether m is a question for the bot: written by a person
// (not a bot, a webhook or ourselves), in a DM or mentioning the bot.
func (a *Adapter) asksUs(m *discordgo.Message) bool {
	self := a.msgs.self.Load().(string)
	if m.Author == nil || m.Author.Bot || m.WebhookID != "" || m.Author.ID == self || self == "" ||
		strings.TrimSpace(m.Content) == "" || m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return false
	}
	if m.GuildID == "" {
		return true
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	return false
}

// answerMessage answers m once: the message is claimed (another replica's
// session sees it too), then the question (the same words from the same
// user moments apart), then the answer is sent as a reply to it.
func (a *Adapter) answerMessage(ctx context.Context, m *discordgo.Message) {
	if !a.claim(ctx, a.msgs.seen, "discord:message:"+m.ID, messageHold) ||
		!a.claim(ctx, a.msgs.questions, "discord:question:"+m.Author.ID+":"+m.ChannelID+":"+bot.SameQuestion(m.Content), questionHold) {
		a.log.Debug("discord message already answered", "message_id", m.ID)
		return
	}
	req := bot.Request{Platform: bot.PlatformDiscord, UserID: m.Author.ID, ChannelID: m.ChannelID,
		Text: "/ask " + m.Content, ManageHint: manageHint, Workspace: m.GuildID, DM: m.GuildID == "", Mention: true}
	reply := a.engine.Handle(ctx, req)
	if why := reply.Withheld(); why != "" {
		a.log.Debug("discord question not answered: "+why, "channel_id", m.ChannelID)
		return
	}
	for i, msg := range fitted(reply, req.Text, a.rendered.consoleURL, a.names) {
		send := msg.messageSend()
		if i == 0 {
			no := false
			send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
		}
		if err := a.sendReply(ctx, m.ChannelID, send); err != nil {
			a.log.Warn("discord answer not sent", "channel_id", m.ChannelID, "sent", i, "err", err)
			return
		}
	}
}

// claim records key in the store when there is one, else in memory.
func (a *Adapter) claim(ctx context.Context, local *memo, key string, hold time.Duration) bool {
	if a.msgs.claims == nil {
		return local.add(key, "", a.now())
	}
	won, err := a.msgs.claims.ClaimEvent(ctx, key, a.now(), hold)
	if err != nil {
		a.log.Warn("discord message claim failed; answering from this replica's memory", "err", err)
		return local.add(key, "", a.now())
	}
	return won
}

// sendReply posts one message, waiting out a short rate limit a few times.
func (a *Adapter) sendReply(ctx context.Context, channel string, send *discordgo.MessageSend) error {
	var err error
	for attempt := 1; attempt <= sendAttempts; attempt++ {
		_, err = a.session.ChannelMessageSendComplex(channel, send,
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false), discordgo.WithRestRetries(0))
		var rl *discordgo.RateLimitError
		if err == nil || !errors.As(err, &rl) || rl.RateLimit == nil || rl.TooManyRequests == nil ||
			rl.RetryAfter > maxSendRetryAfter {
			return err
		}
		if sleep(ctx, rl.RetryAfter) != nil {
			return err
		}
	}
	return err
}
