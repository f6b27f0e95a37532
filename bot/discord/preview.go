package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Preview returns the JSON of the messages the poster would send for r to
// a channel: an array of Discord "create message" bodies, in order.
func Preview(r *bot.Reply) ([]byte, error) {
	msgs := render(r)
	out := make([]*discordgo.MessageSend, len(msgs))
	for i, m := range msgs {
		out[i] = m.messageSend()
	}
	return marshal(out)
}

// PreviewReply returns the JSON of the messages that would answer a slash
// command typed as text with reply r: the first is the interaction
// response's data, the rest are follow-ups. Answers worth sharing end with
// the Share in channel button (which the adapter leaves off answers of
// commands that change settings).
func PreviewReply(r *bot.Reply, text string) ([]byte, error) {
	msgs := render(r)
	if r.Outcome == bot.OutcomeOK && r.Private {
		m := newMemo(2, time.Minute)
		var src string
		if r.CitesParagraphs() {
			src = sourcesID(m, text, time.Now())
		}
		msgs[len(msgs)-1].Components = shareButton(shareID(m, text, time.Now()), src)
	}
	out := make([]*discordgo.InteractionResponseData, len(msgs))
	for i, m := range msgs {
		out[i] = m.responseData(r.Private)
	}
	return marshal(out)
}

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
