package slack

import (
	"bytes"
	"encoding/json"
	"fmt"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// Response types of a message sent as a command response or through a
// response_url.
const (
	ephemeral = "ephemeral"
	inChannel = "in_channel"
)

// payload is a message as Slack's HTTP endpoints take it: a command
// response, a response_url post, or a chat.postMessage body.
type payload struct {
	Channel         string           `json:"channel,omitempty"`
	ResponseType    string           `json:"response_type,omitempty"`
	ReplaceOriginal *bool            `json:"replace_original,omitempty"`
	DeleteOriginal  *bool            `json:"delete_original,omitempty"`
	Text            string           `json:"text"`
	Blocks          []slackapi.Block `json:"blocks"`
}

func newPayload(m Message, responseType string) payload {
	return payload{ResponseType: responseType, Text: m.Text, Blocks: m.Blocks}
}

// followUp marks a response_url post that adds a message and leaves the
// original alone.
func (p payload) followUp() payload {
	f := false
	p.ReplaceOriginal, p.DeleteOriginal = &f, &f
	return p
}

// replacing marks a response_url post that replaces the original message.
func (p payload) replacing() payload {
	t := true
	p.ReplaceOriginal = &t
	return p
}

// marshal encodes v as JSON without Go's HTML escaping: the text is already
// escaped for Slack, and \u0026 would only make it longer.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Preview returns, as a JSON array, exactly the chat.postMessage bodies
// (text and blocks) the poster would send for r, one per message.
func Preview(r *bot.Reply) ([]byte, error) {
	msgs := Render(r, "")
	out := make([]payload, len(msgs))
	for i, m := range msgs {
		out[i] = payload{Text: m.Text, Blocks: m.Blocks}
	}
	b, err := marshal(out)
	if err != nil {
		return nil, fmt.Errorf("slack: preview: %w", err)
	}
	return b, nil
}

// PreviewCommand returns, as a JSON array, the messages a slash command
// answer sends: the command response (ephemeral, with the Share in channel
// button that re-runs command) and any response_url follow-ups.
func PreviewCommand(r *bot.Reply, command string) ([]byte, error) {
	msgs := fitted(r, command, command, "", bot.Naming{})
	out := make([]payload, len(msgs))
	for i, m := range msgs {
		out[i] = newPayload(m, ephemeral)
		if i > 0 {
			out[i] = out[i].followUp()
		}
	}
	b, err := marshal(out)
	if err != nil {
		return nil, fmt.Errorf("slack: preview: %w", err)
	}
	return b, nil
}

// PreviewShared returns, as a JSON array, what Share in channel posts for
// everyone through the interaction's response_url: the same answer without
// buttons, in at most bot.MaxMessages messages.
func PreviewShared(r *bot.Reply) ([]byte, error) {
	msgs := fitted(r, "", "", "", bot.Naming{})
	out := make([]payload, len(msgs))
	for i, m := range msgs {
		out[i] = newPayload(m, inChannel).followUp()
	}
	b, err := marshal(out)
	if err != nil {
		return nil, fmt.Errorf("slack: preview: %w", err)
	}
	return b, nil
}

func jsonIndent(buf *bytes.Buffer, b []byte) error {
	if err := json.Indent(buf, b, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}
