package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Previews is a reply rendered once, to be shown in each form a user can
// meet it: the private answer to a command, what Share in channel posts,
// a message posted to a channel. Each form is the JSON of the messages as
// the adapter sends them (payload_json, when files go with it), and Files
// holds the attached pictures by name (embeds show them as
// attachment://<name>).
type Previews struct {
	r    *bot.Reply
	msgs []message
}

// NewPreviews renders r.
func NewPreviews(r *bot.Reply) *Previews { return &Previews{r: r, msgs: render(r)} }

// messages returns a copy of the rendering that the caller may change at
// the top level (content, components).
func (p *Previews) messages() []message { return slices.Clone(p.msgs) }

// Post is what the poster sends to a channel (a digest): an array of
// "create message" bodies, in order, each with its Sources button and
// nonce as for a post marked "preview".
func (p *Previews) Post() ([]byte, error) {
	msgs := p.messages()
	out := make([]createMessage, len(msgs))
	for i, m := range msgs {
		out[i] = digestMessage(m, bot.PostMark{Key: "preview", Part: i})
	}
	return marshal(out)
}

// Reply is what answers a slash command typed as text: the first message
// is the interaction response's data, the rest are follow-ups; answers
// worth sharing end with the Show sources and Share in channel buttons, as
// the adapter sends them (it leaves the share button off answers of
// commands that change settings).
func (p *Previews) Reply(text string) ([]byte, error) {
	msgs := fitted(p.r, text, "", bot.Naming{})
	if p.r.Outcome == bot.OutcomeOK && p.r.Private {
		m := newMemo(2, time.Minute)
		var src string
		if p.r.CitesParagraphs() {
			src = sourcesID(m, text, time.Now())
		}
		msgs[len(msgs)-1].Components = shareButton(shareID(m, text, time.Now()), src)
	}
	return responses(msgs, p.r.Private)
}

// Shared is what Share in channel posts for the user by: the same answer
// for everyone, saying who shared it.
func (p *Previews) Shared(by string) ([]byte, error) {
	msgs := fitted(p.r, "", "", bot.Naming{})
	if isSnowflake(by) {
		msgs[0].Content = "Shared by <@" + by + ">"
	}
	return responses(msgs, false)
}

// Files returns the pictures the messages attach, by name.
func (p *Previews) Files() map[string][]byte {
	var out map[string][]byte
	for _, m := range p.msgs {
		for _, f := range m.Files {
			if out == nil {
				out = map[string][]byte{}
			}
			out[f.Name] = f.Data
		}
	}
	return out
}

func responses(msgs []message, ephemeral bool) ([]byte, error) {
	out := make([]*discordgo.InteractionResponseData, len(msgs))
	for i, m := range msgs {
		out[i] = m.responseData(ephemeral)
	}
	return marshal(out)
}

// Preview returns the JSON of the messages the poster would send for r to
// a channel: an array of Discord "create message" bodies, in order.
func Preview(r *bot.Reply) ([]byte, error) { return NewPreviews(r).Post() }

// PreviewReply returns the JSON of the messages that would answer a slash
// command typed as text with reply r (see Previews.Reply).
func PreviewReply(r *bot.Reply, text string) ([]byte, error) { return NewPreviews(r).Reply(text) }

// marshal encodes v indented, leaving <, > and & as they are.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("discord: preview: %w", err)
	}
	return b.Bytes(), nil
}
