package discord

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// Discord's message limits. Lengths are counted in UTF-16 code units, which
// is never less than the characters Discord counts.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbeds      = 10
	maxEmbedTotal  = 6000 // all titles, descriptions, fields and footers of one message
)

// Embed colours: answers, and replies that ask the user to try again.
const (
	colorAnswer = 0x0057B7
	colorNotice = 0xE8A317
)

const continued = " (continued)"

// message is one Discord message as briefbot sends it. The conversions to
// the SDK's request types add allowed mentions that parse nothing.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Files      []file // attached pictures, shown by the embeds
}

// block is one piece of a rendered reply: a description, a field or a
// picture.
type block struct {
	field bool
	name  string
	text  string
	image *file
}

// render turns a reply into one or more messages within Discord's limits.
// Long texts are split across fields, embeds and messages, never cut. Each
// call builds new values, so callers may change what they get.
func render(r *bot.Reply) []message {
	title := neutralMentions(r.Title)
	if title == "" {
		title = "briefbot"
	}
	p := newPacker(title, color(r))
	srcs := sourcesFooter(r)
	bs := blocks(r, title, srcs)
	foot := footer(r, srcs)
	for i, b := range bs {
		// The last block keeps room for the footer beside it, so that the
		// footer never makes a message of its own.
		reserve := 0
		if i == len(bs)-1 {
			reserve = size(foot)
		}
		switch {
		case b.image != nil:
			p.addImage(*b.image)
		case b.field:
			p.addField(b.name, b.text, reserve)
		default:
			p.addDescription(b.text, reserve)
		}
	}
	p.addFooter(foot)
	return p.msgs
}

func color(r *bot.Reply) int {
	if r.Outcome == bot.OutcomeOK {
		return colorAnswer
	}
	return colorNotice
}

// blocks lists the descriptions and fields of a reply in reading order.
func blocks(r *bot.Reply, title, srcs string) []block {
	var out []block
	if size(title) > maxTitle {
		out = appendDescription(out, "**"+escapeMarkdown(r.Title)+"**")
	}
	if len(r.Intro) > 0 {
		out = appendDescription(out, markdown(r.Intro))
	}
	for _, s := range r.Sections {
		switch {
		case s.Table != nil:
			out = appendTable(out, s)
		case s.Pre != "":
			out = appendPre(out, s.Heading, s.Pre)
		}
		if len(s.Bullets) > 0 {
			out = appendBullets(out, s.Heading, s.Bullets, r.Sources)
		}
	}
	if sourcesInFields(r, srcs) {
		out = appendSourceFields(out, r.Sources)
	}
	return out
}

// sourcesInFields says whether the sources go in fields rather than the
// footer: when the footer cannot hold them, or when one has an address to
// link to (a footer shows no links).
func sourcesInFields(r *bot.Reply, srcs string) bool {
	if size(srcs) > maxFooter {
		return true
	}
	for _, s := range r.Sources {
		if s.URL != "" {
			return true
		}
	}
	return false
}

func appendDescription(out []block, text string) []block {
	for _, chunk := range split(text, maxDescription) {
		out = append(out, block{text: chunk})
	}
	return out
}

// appendPre renders a preformatted section as code blocks of whole lines.
func appendPre(out []block, heading, pre string) []block {
	head := ""
	if heading != "" {
		head = "**" + escapeMarkdown(heading) + "**\n"
	}
	budget := maxDescription - size(codeBlock("")) - size(head)
	for _, chunk := range split(breakFences(pre), budget) {
		out = append(out, block{text: head + codeBlock(chunk)})
		head = ""
	}
	return out
}

// appendBullets renders a section's bullets as fields.
func appendBullets(out []block, heading string, bullets []bot.Bullet, srcs []bot.Source) []block {
	lines := make([]string, len(bullets))
	for i, b := range bullets {
		lines[i] = bulletText(b, srcs)
	}
	return appendLines(out, heading, lines)
}

// appendLines packs lines into field values, continuing the section in
// further fields when it is too long for one.
func appendLines(out []block, heading string, lines []string) []block {
	name := neutralMentions(heading)
	if name == "" {
		name = zwsp
	}
	first := truncate(name, maxFieldName)
	next := truncate(name, maxFieldName-size(continued)) + continued
	if name == zwsp {
		next = zwsp
	}
	var value strings.Builder
	n := 0 // size of value
	flush := func() {
		if value.Len() == 0 {
			return
		}
		out = append(out, block{field: true, name: first, text: value.String()})
		first = next
		value.Reset()
		n = 0
	}
	for _, line := range lines {
		for _, piece := range split(line, maxFieldValue) {
			if value.Len() > 0 && n+1+size(piece) > maxFieldValue {
				flush()
			}
			if value.Len() > 0 {
				value.WriteByte('\n')
				n++
			}
			value.WriteString(piece)
			n += size(piece)
		}
	}
	flush()
	return out
}

// bulletText renders one claim: the sentence with its citations (linked
// to a document's address where it has one), the quote and who said it,
// the paragraph word for word in /sources answers, whom a reported claim
// rests on, and notes such as "Sources differ".
func bulletText(b bot.Bullet, srcs []bot.Source) string {
	var s strings.Builder
	s.WriteString("• ")
	s.WriteString(markdown(b.Text))
	if b.Link != "" {
		s.WriteByte(' ')
		s.WriteString(mdLink(b.Link, escapeMarkdown(b.Link)))
	}
	if len(b.Cites) > 0 {
		s.WriteByte(' ')
		s.WriteString(citeMarks(b.Cites, srcs))
	}
	if b.Quote != "" {
		s.WriteString("\n> “")
		s.WriteString(escapeMarkdown(b.Quote))
		s.WriteString("”")
		if b.QuoteBy != "" {
			s.WriteString(" — ")
			s.WriteString(escapeMarkdown(b.QuoteBy))
		}
	}
	if v := strings.TrimSpace(b.Verbatim); v != "" {
		for _, line := range strings.Split(v, "\n") {
			s.WriteString("\n> ")
			s.WriteString(escapeMarkdown(line))
		}
	}
	if a := b.Attribution(); a != "" {
		s.WriteString("\n*")
		s.WriteString(escapeMarkdown(a))
		s.WriteString("*")
	}
	for _, n := range b.Notes {
		s.WriteString("\n*")
		s.WriteString(markdown(n))
		s.WriteString("*")
	}
	return s.String()
}

// appendSourceFields lists the sources in fields when the footer cannot
// hold them.
func appendSourceFields(out []block, srcs []bot.Source) []block {
	lines := make([]string, len(srcs))
	for i, s := range srcs {
		lines[i] = escapeMarkdown(sourceLine(s))
		if s.URL != "" {
			lines[i] = escapeMarkdown("["+strconv.Itoa(s.N)+"] "+s.Doc+": ") + mdLink(s.URL, escapeMarkdown(s.Title)) + escapeMarkdown(" — "+s.Label())
		}
	}
	return appendLines(out, "Sources", lines)
}

func sourceLine(s bot.Source) string {
	return "[" + strconv.Itoa(s.N) + "] " + s.Doc + ": " + s.Title + " — " + s.Label()
}

// citeMarks renders citations as "[1 ¶24, ¶26][2 ¶7]", each a link to its
// document's address when it has one.
func citeMarks(cs []bot.Cite, srcs []bot.Source) string {
	return bot.LinkedCiteMarks(cs, srcs, func(text, url string) string { return mdLink(url, escapeMarkdown(text)) })
}

// mdLink makes shown (escaped markdown) a masked link to u when u is an
// http(s) address; otherwise it returns shown alone.
func mdLink(u, shown string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return shown
	}
	u = strings.NewReplacer(" ", "%20", ">", "%3E", "<", "%3C", ")", "%29").Replace(u)
	return "[" + shown + "](<" + u + ">)"
}

// sourcesFooter is the footer with every source and the "as of" date.
func sourcesFooter(r *bot.Reply) string {
	var b strings.Builder
	for _, s := range r.Sources {
		b.WriteString(sourceLine(s))
		b.WriteByte('\n')
	}
	if r.AsOf != "" {
		b.WriteString("As of " + r.AsOf)
	}
	return neutralMentions(strings.TrimSuffix(b.String(), "\n"))
}

// footer is the footer text: the sources and the date (srcs), or only the
// date when the sources went into fields.
func footer(r *bot.Reply, srcs string) string {
	if !sourcesInFields(r, srcs) {
		return srcs
	}
	if r.AsOf == "" {
		return "Sources listed above"
	}
	return neutralMentions("Sources listed above · As of " + r.AsOf)
}

// packer fills embeds and messages in order without passing any limit.
type packer struct {
	title    string // continuation title of later messages
	color    int
	msgs     []message
	msgChars int  // characters in the current message's embeds
	closed   bool // the current embed takes nothing more (it shows a picture)
}

func newPacker(title string, color int) *packer {
	p := &packer{color: color, title: truncate(title, maxTitle-size(continued)) + continued}
	e := &discordgo.MessageEmbed{Title: truncate(title, maxTitle), Color: color}
	p.msgs = []message{{Embeds: []*discordgo.MessageEmbed{e}}}
	p.msgChars = size(e.Title)
	return p
}

func (p *packer) last() *message { return &p.msgs[len(p.msgs)-1] }

func (p *packer) embed() *discordgo.MessageEmbed {
	m := p.last()
	return m.Embeds[len(m.Embeds)-1]
}

func (p *packer) newMessage() *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: p.title, Color: p.color}
	p.msgs = append(p.msgs, message{Embeds: []*discordgo.MessageEmbed{e}})
	p.msgChars = size(e.Title)
	return e
}

// room returns an embed that can take n more characters: the current one,
// a new embed (when fresh is asked or the fields are full) or the first
// embed of a new message.
func (p *packer) room(n int, fresh bool) *discordgo.MessageEmbed {
	if p.msgChars+n > maxEmbedTotal {
		return p.newMessage()
	}
	e := p.embed()
	if !fresh && !p.closed && len(e.Fields) < maxFields {
		return e
	}
	p.closed = false
	m := p.last()
	if len(m.Embeds) >= maxEmbeds {
		return p.newMessage()
	}
	e = &discordgo.MessageEmbed{Color: p.color}
	m.Embeds = append(m.Embeds, e)
	return e
}

// addDescription puts text in an embed's description; reserve is room
// to keep in the same message for what must follow it (the footer).
func (p *packer) addDescription(text string, reserve int) {
	e := p.embed()
	n := size(text)
	e = p.room(n+reserve, e.Description != "" || len(e.Fields) > 0 || e.Image != nil)
	e.Description = text
	p.msgChars += n
}

// addField adds a field; reserve is as for addDescription.
func (p *packer) addField(name, value string, reserve int) {
	n := size(name) + size(value)
	e := p.room(n+reserve, false)
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
	p.msgChars += n
}

func (p *packer) addFooter(text string) {
	if text == "" {
		return
	}
	n := size(text)
	e := p.room(n, false)
	e.Footer = &discordgo.MessageEmbedFooter{Text: text}
	p.msgChars += n
}

// size counts s in UTF-16 code units: one per character, two for those
// outside the Basic Multilingual Plane (encoded in UTF-8 with four bytes).
func size(s string) int {
	n := utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 {
			n++
		}
	}
	return n
}

// truncate shortens s to at most max UTF-16 units, ending with "…". It is
// used only for names and titles whose full text is shown elsewhere.
func truncate(s string, max int) string {
	if size(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max-1 {
			return s[:i] + "…"
		}
		n += w
	}
	return s
}

// split cuts s into pieces of at most max UTF-16 units, preferring line
// breaks, then spaces, and never separating a backslash from the character
// it escapes. Nothing is dropped but the line break or space at a cut.
func split(s string, max int) []string {
	var out []string
	for size(s) > max {
		cut, skip := cutPoint(s, max)
		out = append(out, s[:cut])
		s = s[cut+skip:]
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// cutPoint finds where to cut s so that s[:cut] fits max, and how many
// separator bytes to skip after it.
func cutPoint(s string, max int) (cut, skip int) {
	n, end, nl, sp := 0, 0, -1, -1
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			break
		}
		n += w
		_, width := utf8.DecodeRuneInString(s[i:])
		end = i + width
		switch r {
		case '\n':
			nl = i
		case ' ':
			sp = i
		}
	}
	switch {
	case nl > 0:
		return nl, 1
	case sp > 0:
		return sp, 1
	}
	if end > 1 && s[end-1] == '\\' && trailingBackslashes(s[:end])%2 == 1 {
		end--
	}
	if end == 0 { // max below one character: take one anyway
		_, end = utf8.DecodeRuneInString(s)
	}
	return end, 0
}

func trailingBackslashes(s string) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n
}
