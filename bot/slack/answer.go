package slack

import (
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// maxResponseUses is how many times Slack lets one response_url be used.
const maxResponseUses = 5

// answer runs a slash command once. dup is true when the same user asked
// the same thing in the same channel moments ago (a double submit or a
// retry); then nothing runs and nothing is sent.
func (a *Adapter) answer(ctx context.Context, c command) (out *rendered, dup bool) {
	line := c.line()
	key := c.TeamID + "\x00" + c.UserID + "\x00" + c.ChannelID + "\x00" + line
	if !a.commands.first(key) {
		a.log.Debug("duplicate command ignored", "command", c.Command, "channel_id", c.ChannelID)
		return nil, true
	}
	reply := a.engine.Handle(ctx, a.request(c.TeamID, c.UserID, c.ChannelID, line))
	return a.renders.get(reply, line), false
}

// followUps sends the messages after the first through the command's
// response_url, in order, after the response has gone.
func (a *Adapter) followUps(c command, msgs []Message) {
	if len(msgs) == 0 {
		return
	}
	if c.ResponseURL == "" {
		a.log.Warn("reply needs follow-up messages but the command has no response_url",
			"command", c.Command, "channel_id", c.ChannelID, "dropped", len(msgs))
		return
	}
	a.background(func(ctx context.Context) {
		for i, m := range msgs {
			if i >= maxResponseUses {
				a.log.Warn("reply longer than a response_url allows", "command", c.Command, "dropped", len(msgs)-i)
				return
			}
			if err := a.resp.send(ctx, c.ResponseURL, newPayload(m, ephemeral).followUp()); err != nil {
				a.log.Warn("follow-up failed", "command", c.Command, "channel_id", c.ChannelID, "err", err)
				return
			}
		}
	})
}

// share posts the answer to s.Command publicly in the channel through the
// interaction's response_url, then marks the private copy as shared. A
// second press of the same button is ignored.
func (a *Adapter) share(ctx context.Context, s shareAction) {
	key := s.UserID + "\x00" + s.ChannelID + "\x00" + s.MessageTs + "\x00" + s.Command
	if !a.shares.first(key) {
		a.log.Debug("duplicate share ignored", "channel_id", s.ChannelID)
		return
	}
	reply := a.engine.Handle(ctx, a.request(s.TeamID, s.UserID, s.ChannelID, s.Command))
	msgs := Render(reply, "")
	if len(msgs) > maxResponseUses-1 {
		msgs = msgs[:maxResponseUses-1]
		a.log.Warn("shared reply cut to what a response_url allows", "channel_id", s.ChannelID)
	}
	for i, m := range msgs {
		if err := a.resp.send(ctx, s.ResponseURL, newPayload(m, inChannel).followUp()); err != nil {
			a.log.Warn("share failed", "channel_id", s.ChannelID, "err", err, "sent", i)
			if i == 0 {
				a.shares.forget(key) // nothing went out: a new press may try again
			}
			return
		}
	}
	a.markShared(ctx, s, reply)
}

// markShared replaces the private message that carried the button with
// the same message, the button swapped for a note, so that it is not shared
// twice by accident.
func (a *Adapter) markShared(ctx context.Context, s shareAction, reply *bot.Reply) {
	orig := Render(reply, s.Command)
	last := orig[len(orig)-1]
	blocks := make([]slackapi.Block, len(last.Blocks))
	for i, b := range last.Blocks {
		if b.ID() == shareBlockID {
			b = sharedNote()
		}
		blocks[i] = b
	}
	p := newPayload(Message{Text: last.Text, Blocks: blocks}, ephemeral).replacing()
	if err := a.resp.send(ctx, s.ResponseURL, p); err != nil {
		a.log.Debug("could not mark the private copy as shared", "channel_id", s.ChannelID, "err", err)
	}
}

func sharedNote() slackapi.Block {
	return slackapi.NewContextBlock(shareBlockID,
		slackapi.NewTextBlockObject(slackapi.MarkdownType, "Shared in this channel.", false, false))
}

// usageNotice is a private reply for a request we could not read.
func usageNotice(msg string) payload {
	r := &bot.Reply{Outcome: bot.OutcomeUsage, Title: "Sorry", Intro: bot.Plain(msg)}
	return newPayload(Render(r, "")[0], ephemeral)
}
