package slack

import (
	"context"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// act answers a press of one of our buttons.
func (a *Adapter) act(ctx context.Context, s shareAction) {
	if s.Sources {
		a.showSources(ctx, s)
		return
	}
	a.share(ctx, s)
}

// showSources answers a press of Show sources: the paragraphs the answer
// to s.Command cites, word for word, privately through the interaction's
// response_url. A second press within moments is ignored.
func (a *Adapter) showSources(ctx context.Context, s shareAction) {
	key := "sources\x00" + s.UserID + "\x00" + s.ChannelID + "\x00" + s.MessageTs + "\x00" + s.Command
	if !a.shares.first(key) {
		a.log.Debug("duplicate show sources ignored", "channel_id", s.ChannelID)
		return
	}
	req := a.request(s.TeamID, s.UserID, s.ChannelID, s.Command)
	req.Sources = true
	msgs := fitMessages(a.engine.Handle(ctx, req), bot.MaxMessages, a.names)
	for i, m := range msgs {
		if err := a.resp.send(ctx, s.ResponseURL, newPayload(m, ephemeral).followUp()); err != nil {
			a.log.Warn("show sources failed", "channel_id", s.ChannelID, "err", err, "sent", i)
			if i == 0 {
				a.shares.forget(key) // nothing went out: a new press may try again
			}
			return
		}
	}
}

// fitMessages renders r in at most limit messages. When the whole reply
// needs more, it keeps as many sections as fit and ends with a section
// that names the paragraphs left out and the /sources commands that show
// them (named as names gives them on Slack): nothing is cut without
// saying so.
func fitMessages(r *bot.Reply, limit int, names bot.Naming) []Message {
	msgs := Render(r, "")
	if len(msgs) <= limit {
		return msgs
	}
	for k := len(r.Sections) - 1; k >= 0; k-- {
		short := *r
		short.Sections = append(append([]bot.Section(nil), r.Sections[:k]...), leftOut(r, r.Sections[k:], limit))
		if msgs := Render(names.Reply(&short), ""); len(msgs) <= limit {
			return msgs
		}
	}
	return Render(names.Reply(&bot.Reply{Outcome: bot.OutcomeUsage, Title: r.Title, Private: true,
		Intro: bot.Plain("The cited paragraphs do not fit in the messages Slack allows one button; ask /sources with a document and paragraph, e.g. /sources d004:p21.")}), "")
}

// leftOut is the section naming the paragraphs of secs, as /sources
// commands of at most 20 paragraphs each.
func leftOut(r *bot.Reply, secs []bot.Section, limit int) bot.Section {
	var refs []string
	for _, s := range secs {
		for _, b := range s.Bullets {
			for _, c := range b.Cites {
				if c.Source < 1 || c.Source > len(r.Sources) {
					continue
				}
				for _, p := range c.Paras {
					refs = append(refs, r.Sources[c.Source-1].Doc+":"+p)
				}
			}
		}
	}
	var bullets []bot.Bullet
	for len(refs) > 0 {
		n := min(len(refs), 20)
		bullets = append(bullets, bot.Bullet{Text: bot.Plain("/sources " + strings.Join(refs[:n], " "))})
		refs = refs[n:]
	}
	return bot.Section{Heading: "Not shown here: an answer may take " + strconv.Itoa(limit) + " messages; ask for the rest with", Bullets: bullets}
}
