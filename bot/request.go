package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Platforms a request can come from.
const (
	PlatformCLI     = "cli"
	PlatformConsole = "console"
	PlatformSlack   = "slack"
	PlatformDiscord = "discord"
)

// Request is one command as an adapter decoded it.
type Request struct {
	Platform  string
	UserID    string
	ChannelID string
	// Text is the command as typed: "/stance <actor>" or "stance <actor>".
	Text string
	// CanManage says the adapter established that the user may manage the
	// channel (Discord: Manage Channels; Slack: the configured allow-list).
	CanManage bool
	// Hint explains how to be allowed when CanManage is false (adapter-specific).
	ManageHint string
	// Workspace is the Slack workspace (team) or Discord guild, when known;
	// DM says the request comes from a direct message.
	Workspace string
	DM        bool
	// Dossier names the dossier to answer from for this one request (the
	// Discord "dossier" option); empty means the channel's. The engine
	// sets it to the dossier it answered from.
	Dossier string
	// Mention says the request is a message addressed to the bot (a
	// mention or a direct message) rather than a command; where the bot
	// does not speak, it is answered with OutcomeSilent.
	Mention bool
	via     string // how the dossier was chosen
	// Sources asks for the paragraphs the command's answer cites, word
	// for word, instead of the answer itself: the "Show sources" button.
	Sources bool
}

// Limits on what is read from a command.
const (
	maxCommandBytes = 4096 // longer input is refused with a clear reply
	maxEcho         = 60   // runes of user text echoed back
)

// parsed is a command split into its name and argument text.
type parsed struct {
	name string // lower case, without the slash
	args string // cleaned, single-spaced
}

// parse cleans untrusted command text: invalid UTF-8 and control characters
// are dropped, whitespace collapsed, a leading slash and a bot mention
// removed. It never fails; an empty name means nothing was asked.
func parse(text string) parsed {
	text = clean(text)
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return parsed{}
	}
	name := strings.ToLower(strings.TrimLeft(fields[0], "/"))
	return parsed{name: name, args: strings.Join(fields[1:], " ")}
}

// clean drops invalid UTF-8, control and format characters.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	ok := true
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// echo shortens user text for quoting it back.
func echo(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return string(r[:maxEcho]) + "…"
}
