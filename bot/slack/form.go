package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
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
// body that is not a well-formed command is errMalformed. It reads the
// form as url.ParseQuery does (each field from its first occurrence, a
// pair with a semicolon or a bad escape refuses the body) without
// building a map of the fields we do not use.
func decodeCommand(body []byte) (command, error) {
	var c command
	var have [len(commandFields)]bool
	q := string(body)
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if strings.Contains(pair, ";") {
			return command{}, fmt.Errorf("%w: semicolon in the form", errMalformed)
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return command{}, fmt.Errorf("%w: %v", errMalformed, err)
		}
		i := slices.Index(commandFields[:], key)
		if i < 0 || have[i] {
			if !validEscapes(v) {
				return command{}, fmt.Errorf("%w: bad escape in %q", errMalformed, clip(key))
			}
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return command{}, fmt.Errorf("%w: %v", errMalformed, err)
		}
		have[i] = true
		*c.field(i) = val
	}
	return c, c.check()
}

// commandFields are the form fields of a slash command we read.
var commandFields = [...]string{"command", "text", "user_id", "channel_id", "team_id", "response_url"}

// field is the field commandFields[i] is read into.
func (c *command) field(i int) *string {
	return [...]*string{&c.Command, &c.Text, &c.UserID, &c.ChannelID, &c.TeamID, &c.ResponseURL}[i]
}

// validEscapes reports whether every % in s starts a two-digit hex escape,
// as url.QueryUnescape requires.
func validEscapes(s string) bool {
	for i := strings.IndexByte(s, '%'); i >= 0; i = strings.IndexByte(s, '%') {
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		s = s[i+3:]
	}
	return true
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
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
