package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	slackapi "github.com/slack-go/slack"
)

// command is a slash command as Slack sends it, reduced to what we use.
type command struct {
	Command     string // "/stance"
	Text        string // "<actor>"
	UserID      string
	ChannelID   string
	TeamID      string
	ResponseURL string
}

// line is the command as the engine reads it: "/whois <person>"; the engine
// knows every name a command is registered under.
func (c command) line() string {
	name := c.Command
	if c.Text == "" {
		return name
	}
	return name + " " + c.Text
}

var errMalformed = errors.New("malformed request")

// decodeCommand reads a slash command form body. It never panics; any
// body that is not a well-formed command is errMalformed.
func decodeCommand(body []byte) (command, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return command{}, fmt.Errorf("%w: %v", errMalformed, err)
	}
	c := command{
		Command:     v.Get("command"),
		Text:        v.Get("text"),
		UserID:      v.Get("user_id"),
		ChannelID:   v.Get("channel_id"),
		TeamID:      v.Get("team_id"),
		ResponseURL: v.Get("response_url"),
	}
	return c, c.check()
}

func (c command) check() error {
	switch {
	case !strings.HasPrefix(c.Command, "/") || len(c.Command) < 2:
		return fmt.Errorf("%w: command %q does not start with /", errMalformed, clip(c.Command))
	case c.UserID == "" || c.ChannelID == "":
		return fmt.Errorf("%w: no user_id or channel_id", errMalformed)
	case c.ResponseURL != "" && !validURL(c.ResponseURL):
		return fmt.Errorf("%w: response_url is not an http(s) URL", errMalformed)
	}
	return nil
}

func validURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// clip shortens untrusted text for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// shareAction is a press of the Share in channel button, or of Show
// sources.
type shareAction struct {
	TeamID      string
	UserID      string
	ChannelID   string
	MessageTs   string
	ResponseURL string
	Command     string // the command line to answer again, publicly
	// Sources marks Show sources: the cited paragraphs, privately.
	Sources bool
}

// decodeInteraction reads an interactivity form body (payload=<json>).
// ok is false for interactions other than our share and sources buttons.
func decodeInteraction(body []byte) (shareAction, bool, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return shareAction{}, false, fmt.Errorf("%w: %v", errMalformed, err)
	}
	raw := v.Get("payload")
	if raw == "" {
		return shareAction{}, false, fmt.Errorf("%w: no payload", errMalformed)
	}
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(raw), &cb); err != nil {
		return shareAction{}, false, fmt.Errorf("%w: payload: %v", errMalformed, err)
	}
	return shareFrom(cb)
}

// shareFrom picks our share or sources button out of an interaction.
func shareFrom(cb slackapi.InteractionCallback) (shareAction, bool, error) {
	if cb.Type != slackapi.InteractionTypeBlockActions {
		return shareAction{}, false, nil
	}
	for _, a := range cb.ActionCallback.BlockActions {
		if a == nil || (a.ActionID != shareActionID && a.ActionID != sourcesActionID) {
			continue
		}
		s := shareAction{
			TeamID:      firstNonEmpty(cb.Team.ID, cb.User.TeamID),
			UserID:      cb.User.ID,
			ChannelID:   firstNonEmpty(cb.Channel.ID, cb.Container.ChannelID),
			MessageTs:   cb.Container.MessageTs,
			ResponseURL: cb.ResponseURL,
			Command:     a.Value,
			Sources:     a.ActionID == sourcesActionID,
		}
		if s.UserID == "" || s.Command == "" || !validURL(s.ResponseURL) {
			return shareAction{}, false, fmt.Errorf("%w: share without user, command or response_url", errMalformed)
		}
		return s, true, nil
	}
	return shareAction{}, false, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
