package slack

import (
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// escape neutralises the three characters Slack reads as markup: & < >.
// Every piece of text that is not our own markup goes through it, so no
// text can become a link, a mention or <!channel>.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// userText renders text somebody typed. Besides escaping, it is set in an
// inline code span with backticks removed, so it can neither format the
// message (*bold*, _italic_) nor link names (@here) even where a client
// would parse them.
func userText(s string) string {
	s = strings.ReplaceAll(s, "`", "ˋ")
	s = strings.TrimSpace(escape(s))
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

// mrkdwn renders a bot.Text as escaped mrkdwn.
func mrkdwn(t bot.Text) string {
	if len(t) == 1 && !t[0].User {
		return escape(t[0].Text)
	}
	var b strings.Builder
	for _, sp := range t {
		if sp.User {
			b.WriteString(userText(sp.Text))
		} else {
			b.WriteString(escape(sp.Text))
		}
	}
	return b.String()
}

// plainText renders a bot.Text for plain_text fields and the fallback text:
// escaped, with user text quoted but not styled.
func plainText(t bot.Text) string {
	var b strings.Builder
	for _, sp := range t {
		if sp.User {
			b.WriteString(escape(strings.ReplaceAll(sp.Text, "@", "@\u2060")))
		} else {
			b.WriteString(escape(sp.Text))
		}
	}
	return b.String()
}
