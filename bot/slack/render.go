package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
)

// Slack's Block Kit limits, and our own budget per message.
const (
	maxBlocks          = 50
	maxSectionText     = 3000
	maxHeaderText      = 150
	maxContextElements = 10
	maxContextText     = 3000
	maxButtonValue     = 2000
	maxFallbackText    = 3000
	// messageBudget bounds the text bytes of one message, so that a
	// message with its JSON stays well under the 20 KB that Socket Mode
	// accepts in an acknowledgement.
	messageBudget = 12000
)

// Action and block ids of the Share in channel and Show sources buttons.
const (
	shareActionID   = "share_in_channel"
	shareBlockID    = "briefbot_share"
	sourcesActionID = "show_sources"
	sourcesBlockID  = "briefbot_sources"
)

// Message is one Slack message: its blocks and the fallback text that
// notifications and screen readers show.
type Message struct {
	Text   string
	Blocks []slackapi.Block
}

// piece is a block with the bytes of text it carries. A table block says
// so (a message holds one) and brings the text its message falls back to.
type piece struct {
	block    slackapi.Block
	size     int
	table    bool
	fallback string
}

// Render turns a reply into one or more messages within Slack's limits:
// long texts are split across blocks, many blocks across messages, never
// cut. When share is not empty and the reply is an answer, the last message
// ends with a Share in channel button that re-runs share, and, when the
// answer cites paragraphs, a Show sources button that answers privately
// with them word for word.
func Render(r *bot.Reply, share string) []Message {
	var ps []piece
	ps = appendHeader(ps, r.Title)
	if r.AsOf != "" {
		ps = appendContext(ps, []string{"As of " + escape(r.AsOf)})
	}
	if len(r.Intro) > 0 {
		ps = appendTexts(ps, []string{mrkdwn(r.Intro)})
	}
	for _, s := range r.Sections {
		ps = appendSection(ps, s, r.Sources)
	}
	if len(r.Sources) > 0 {
		ps = append(ps, piece{block: slackapi.NewDividerBlock()})
		ps = appendContext(ps, sourceLines(r.Sources))
	}
	var tail []piece
	if shareable(r, share) {
		if r.CitesParagraphs() {
			tail = append(tail, sourcesButton(share))
		}
		tail = append(tail, shareButton(share))
	}
	return paginate(ps, tail, fallback(r))
}

// shareable reports whether a reply gets a Share in channel button.
func shareable(r *bot.Reply, share string) bool {
	return share != "" && len(share) <= maxButtonValue && r.Outcome == bot.OutcomeOK && !r.Settings
}

func appendHeader(ps []piece, title string) []piece {
	title = escape(strings.TrimSpace(title))
	if title == "" {
		return ps
	}
	if runes(title) <= maxHeaderText {
		return append(ps, piece{block: header(title), size: len(title)})
	}
	short := cutWords(title, maxHeaderText-1) + "…"
	ps = append(ps, piece{block: header(short), size: len(short)})
	// The header could not hold the whole title: say it in full below.
	return appendTexts(ps, []string{"*" + title + "*"})
}

func header(text string) slackapi.Block {
	return slackapi.NewHeaderBlock(slackapi.NewTextBlockObject(slackapi.PlainTextType, text, false, false))
}

func section(text string) piece {
	return piece{
		block: slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, text, false, false), nil, nil),
		size:  len(text),
	}
}

// appendTexts packs lines into as few section blocks as the limit allows.
func appendTexts(ps []piece, lines []string) []piece {
	for _, t := range pack(lines, maxSectionText) {
		ps = append(ps, section(t))
	}
	return ps
}

// pack joins lines with newlines into texts of at most limit characters,
// splitting a line only when it alone is too long.
func pack(lines []string, limit int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
	}
	for _, line := range lines {
		parts := splitText(line, limit)
		if len(parts) == 0 {
			parts = []string{""} // keep blank lines, as in code
		}
		for _, part := range parts {
			pn := runes(part)
			if n > 0 && n+1+pn > limit {
				flush()
			}
			if n > 0 {
				cur.WriteByte('\n')
				n++
			}
			cur.WriteString(part)
			n += pn
		}
	}
	flush()
	return out
}

func appendSection(ps []piece, s bot.Section, srcs []bot.Source) []piece {
	var lines []string
	if h := strings.TrimSpace(s.Heading); h != "" {
		lines = append(lines, "*"+escape(h)+"*")
	}
	if s.Table != nil && tableFits(s.Table) {
		// The table block, with the grid as the text of clients that
		// cannot show one.
		if p, ok := tablePiece(s.Table, strings.Join(codeBlocks(s.Pre), "\n")); ok {
			ps = append(appendTexts(ps, lines), p)
			lines, s.Pre = nil, ""
		}
	}
	if s.Pre != "" {
		// The heading stands alone; the code block follows it.
		ps = appendTexts(ps, lines)
		lines = nil
		for _, t := range codeBlocks(s.Pre) {
			ps = append(ps, section(t))
		}
	}
	for _, bl := range s.Bullets {
		lines = append(lines, bulletText(bl, srcs))
	}
	return appendTexts(ps, lines)
}

// bulletText renders a claim with its citation marks (linked to the
// document where it has an address), quote, the paragraph word for word
// in /sources answers, whom a reported claim rests on, and notes.
func bulletText(bl bot.Bullet, srcs []bot.Source) string {
	var b strings.Builder
	b.WriteString("• ")
	b.WriteString(mrkdwn(bl.Text))
	if bl.Link != "" {
		b.WriteString(" ")
		b.WriteString(link(bl.Link, escape(bl.Link)))
	}
	if len(bl.Cites) > 0 {
		b.WriteString(" ")
		b.WriteString(citeMarks(bl.Cites, srcs))
	}
	if q := strings.TrimSpace(bl.Quote); q != "" {
		b.WriteString("\n>“")
		b.WriteString(strings.ReplaceAll(escape(q), "\n", "\n>"))
		b.WriteString("”")
		if bl.QuoteBy != "" {
			b.WriteString(" — ")
			b.WriteString(escape(bl.QuoteBy))
		}
	}
	if v := strings.TrimSpace(bl.Verbatim); v != "" {
		b.WriteString("\n>")
		b.WriteString(strings.ReplaceAll(escape(v), "\n", "\n>"))
	}
	if a := bl.Attribution(); a != "" {
		b.WriteString("\n      _")
		b.WriteString(escape(a))
		b.WriteString("_")
	}
	for _, n := range bl.Notes {
		b.WriteString("\n      ↳ ")
		b.WriteString(mrkdwn(n))
	}
	return b.String()
}

// codeBlocks sets preformatted text in ``` fences, as many blocks as the
// limit needs, breaking between lines.
func codeBlocks(pre string) []string {
	const fence = "```"
	limit := maxSectionText - 2*len(fence) - 2
	lines := strings.Split(strings.TrimRight(escape(strings.ReplaceAll(pre, fence, "``\u200b`")), "\n"), "\n")
	var out []string
	for _, t := range pack(lines, limit) {
		out = append(out, fence+"\n"+t+"\n"+fence)
	}
	return out
}

func sourceLines(srcs []bot.Source) []string {
	lines := []string{"*Sources*"}
	for _, s := range srcs {
		lines = append(lines, "*["+strconv.Itoa(s.N)+"]* "+escape(s.Doc)+": "+link(s.URL, escape(s.Title))+" — "+escape(s.Label()))
	}
	return lines
}

// citeMarks renders citations as "[1 ¶24, ¶26][2 ¶7]", each linked to its
// document's address when it has one.
func citeMarks(cs []bot.Cite, srcs []bot.Source) string {
	return bot.LinkedCiteMarks(cs, srcs, func(text, url string) string { return link(url, escape(text)) })
}

// link makes shown (already escaped) a link to u, when u is an http(s)
// address; otherwise it returns shown alone.
func link(u, shown string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return shown
	}
	u = strings.NewReplacer("|", "%7C", " ", "%20").Replace(escape(u))
	return "<" + u + "|" + shown + ">"
}

// appendContext puts texts in context blocks of at most ten elements each.
func appendContext(ps []piece, texts []string) []piece {
	var elems []slackapi.MixedElement
	size := 0
	flush := func() {
		if len(elems) > 0 {
			ps = append(ps, piece{block: slackapi.NewContextBlock("", elems...), size: size})
			elems, size = nil, 0
		}
	}
	for _, t := range texts {
		for _, part := range splitText(t, maxContextText) {
			if len(elems) == maxContextElements {
				flush()
			}
			elems = append(elems, slackapi.NewTextBlockObject(slackapi.MarkdownType, part, false, false))
			size += len(part)
		}
	}
	flush()
	return ps
}

// sourcesButton is the Show sources button: pressed, it answers privately
// with the paragraphs the answer to command cites.
func sourcesButton(command string) piece {
	btn := slackapi.NewButtonBlockElement(sourcesActionID, command,
		slackapi.NewTextBlockObject(slackapi.PlainTextType, "Show sources", false, false))
	return piece{block: slackapi.NewActionBlock(sourcesBlockID, btn), size: len(command) + 12}
}

func shareButton(command string) piece {
	btn := slackapi.NewButtonBlockElement(shareActionID, command,
		slackapi.NewTextBlockObject(slackapi.PlainTextType, "Share in channel", false, false))
	return piece{block: slackapi.NewActionBlock(shareBlockID, btn), size: len(command) + 16}
}

// paginate spreads pieces over messages of at most maxBlocks blocks,
// messageBudget bytes and one table; tail goes at the end of the last
// message. A message's text is text, then the fallback of its table.
func paginate(ps, tail []piece, text string) []Message {
	var msgs []Message
	var extra []string // each message's table fallback
	var cur []slackapi.Block
	size, table, fb := 0, false, ""
	flush := func() {
		msgs = append(msgs, Message{Blocks: cur})
		extra = append(extra, fb)
		cur, size, table, fb = nil, 0, false, ""
	}
	add := func(p piece) {
		if len(cur) > 0 && (len(cur)+1 > maxBlocks || size+p.size > messageBudget || table && p.table) {
			flush()
		}
		cur = append(cur, p.block)
		size += p.size
		if p.table {
			table, fb = true, p.fallback
		}
	}
	for _, p := range ps {
		add(p)
	}
	for _, p := range tail {
		add(p)
	}
	if len(cur) > 0 || len(msgs) == 0 {
		flush()
	}
	for i := range msgs {
		msgs[i].Text = text
		if len(msgs) > 1 {
			msgs[i].Text = text + " (" + strconv.Itoa(i+1) + "/" + strconv.Itoa(len(msgs)) + ")"
		}
		msgs[i].Text = withFallback(msgs[i].Text, extra[i])
	}
	return msgs
}

// withFallback adds a table's text to a message's text when both fit.
func withFallback(text, table string) string {
	if table == "" || runes(text)+1+runes(table) > maxFallbackText {
		return text
	}
	return text + "\n" + table
}

// fallback is the message's plain text: the title and the introduction.
func fallback(r *bot.Reply) string {
	t := escape(strings.TrimSpace(r.Title))
	if len(r.Intro) > 0 {
		if t != "" {
			t += ": "
		}
		t += plainText(r.Intro)
	}
	if t == "" {
		t = "briefbot"
	}
	if runes(t) > maxFallbackText {
		t = cutWords(t, maxFallbackText-1) + "…"
	}
	return t
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// splitText splits s into parts of at most limit characters, preferring a
// line break, then a space, and never breaking an escape like &amp;.
func splitText(s string, limit int) []string {
	var out []string
	for runes(s) > limit {
		cut := runeOffset(s, limit)
		i := strings.LastIndexByte(s[:cut], '\n')
		if i <= 0 {
			i = strings.LastIndexByte(s[:cut], ' ')
		}
		if i <= 0 {
			i = entitySafe(s, cut)
		}
		if part := strings.TrimRight(s[:i], " \n"); part != "" {
			out = append(out, part)
		}
		s = strings.TrimLeft(s[i:], " \n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// runeOffset returns the byte offset just after the first n runes of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// entitySafe moves a cut at byte cut back to before an escape it would
// break.
func entitySafe(s string, cut int) int {
	from := max(cut-4, 0)
	amp := strings.LastIndexByte(s[from:cut], '&')
	if amp < 0 {
		return cut
	}
	amp += from
	if strings.IndexByte(s[amp:cut], ';') >= 0 || amp == 0 {
		return cut
	}
	return amp
}

// cutWords shortens s to at most n characters, at a space when one is near.
func cutWords(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	cut := entitySafe(s, runeOffset(s, n))
	if i := strings.LastIndexByte(s[:cut], ' '); i > cut/2 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " ")
}
