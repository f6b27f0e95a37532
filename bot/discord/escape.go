package discord

import (
	"strings"

	"github.com/briefbot/briefbot/bot"
)

// zwsp is a zero-width space: invisible, but it breaks mention and link
// syntax where backslash escapes are not rendered (titles, footers).
const zwsp = "\u200b"

// markdownSpecial are the characters escaped with a backslash in text that
// Discord renders as markdown. Discord drops a backslash before any ASCII
// punctuation, so escaping more than needed never shows.
const markdownSpecial = "\\*_~`|<>[]#@"

// escapeMarkdown makes s render literally in a description or field value:
// no emphasis, spoilers, code, masked links, headings, mentions or
// auto-linked URLs.
func escapeMarkdown(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte(markdownSpecial, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			b.WriteString(`\:`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func needsEscape(s string) bool {
	return strings.ContainsAny(s, markdownSpecial) || strings.Contains(s, "://")
}

// neutralMentions breaks mention syntax (@everyone, @here, <@id>, <@&id>,
// <#id>) in text where markdown is not rendered, without visible change.
// Allowed mentions already stop pings; this also stops the rendering.
func neutralMentions(s string) string {
	if !strings.ContainsAny(s, "@<") && !strings.Contains(s, "://") {
		return s
	}
	return mentionBreaker.Replace(s)
}

// mentionBreaker is immutable and safe for concurrent use.
var mentionBreaker = strings.NewReplacer("@", "@"+zwsp, "<#", "<"+zwsp+"#", "://", ":"+zwsp+"//")

// markdown renders a reply text for a description or field value. Every
// span is escaped, ours as well as the user's: briefs are plain text, not
// markdown. Spans echoing user input are flattened to one line as well.
func markdown(t bot.Text) string {
	if len(t) == 1 && !t[0].User {
		return escapeMarkdown(t[0].Text)
	}
	var b strings.Builder
	for _, s := range t {
		if s.User {
			b.WriteString(userSpan(s.Text))
			continue
		}
		b.WriteString(escapeMarkdown(s.Text))
	}
	return b.String()
}

// userSpan neutralises text a user typed: line breaks are flattened and all
// markdown and mention syntax escaped.
func userSpan(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	return escapeMarkdown(s)
}

// codeBlock wraps preformatted text in a fenced block. The text must have
// gone through breakFences.
func codeBlock(s string) string {
	return "```\n" + s + "\n```"
}

// breakFences breaks code fences inside preformatted text so that a block
// cannot be closed early.
func breakFences(s string) string {
	return strings.ReplaceAll(s, "```", "`"+zwsp+"``")
}
