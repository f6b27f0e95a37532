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
// interaction's response_url, saying who shared it, in at most
// bot.MaxMessages messages (a longer answer ends with where to read the
// rest), then marks the private copy as shared and records the share in
// the audit log. A second press of the same button is ignored; an answer
// that is not a plain answer (a refusal, a limit) goes to the presser alone.
func (a *Adapter) share(ctx context.Context, s shareAction) {
	key := s.UserID + "\x00" + s.ChannelID + "\x00" + s.MessageTs + "\x00" + s.Command
	if !a.shares.first(key) {
		a.log.Debug("duplicate share ignored", "channel_id", s.ChannelID)
		return
	}
	reply := a.engine.Handle(ctx, a.request(s.TeamID, s.UserID, s.ChannelID, s.Command))
	if reply.Outcome != bot.OutcomeOK {
		a.shares.forget(key)
		for _, m := range fitted(reply, "", s.Command, a.renders.consoleURL, a.names) {
			if err := a.resp.send(ctx, s.ResponseURL, newPayload(m, ephemeral).followUp()); err != nil {
				a.log.Warn("share refusal not sent", "channel_id", s.ChannelID, "err", err)
				return
			}
		}
		return
	}
	msgs := sharedBy(fitted(reply, "", s.Command, a.renders.consoleURL, a.names), s.UserID)
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
	a.audit(ctx, bot.AuditEntry{Action: bot.AuditShare, Channel: s.ChannelID, User: s.UserID, Command: s.Command})
}

// sharedBy marks the first message of a share with who shared it, as a
// context line under the title (Slack shows a mention of the sharer by
// name and does not notify them of their own mention).
func sharedBy(msgs []Message, user string) []Message {
	if len(msgs) == 0 || !slackID(user) {
		return msgs
	}
	note := slackapi.NewTextBlockObject(slackapi.MarkdownType, "Shared by <@"+user+">", false, false)
	first := msgs[0]
	blocks := make([]slackapi.Block, 0, len(first.Blocks)+1)
	placed := false
	for _, b := range first.Blocks {
		if c, ok := b.(*slackapi.ContextBlock); ok && !placed && len(c.ContextElements.Elements) < maxContextElements {
			elems := append(append([]slackapi.MixedElement(nil), c.ContextElements.Elements...), note)
			b, placed = slackapi.NewContextBlock(c.BlockID, elems...), true
		}
		blocks = append(blocks, b)
	}
	if !placed && len(blocks) < maxBlocks {
		blocks = append([]slackapi.Block{slackapi.NewContextBlock("", note)}, blocks...)
	}
	out := append([]Message(nil), msgs...)
	out[0] = Message{Text: "Shared by <@" + user + ">: " + first.Text, Blocks: blocks}
	return out
}

// slackID reports whether s looks like a Slack user id (U…, W…).
func slackID(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// audit records e, stamped with the platform and the time; a failure is
// logged, never shown to the user.
func (a *Adapter) audit(ctx context.Context, e bot.AuditEntry) {
	if a.auditor == nil {
		return
	}
	e.Platform, e.At = bot.PlatformSlack, a.now().UTC()
	if err := a.auditor.Audit(context.WithoutCancel(ctx), e); err != nil {
		a.log.Warn("audit log: could not record", "action", e.Action, "channel_id", e.Channel, "err", err)
	}
}

// markShared replaces the private message that carried the button with
// the same message, the button swapped for a note, so that it is not shared
// twice by accident.
func (a *Adapter) markShared(ctx context.Context, s shareAction, reply *bot.Reply) {
	orig := a.renders.get(reply, s.Command).msgs
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
