// Package bot is the platform-neutral core: it parses a command, routes it
// through the one command table and builds a structured Reply. It knows
// sections, bullets and citations, never Block Kit or embeds; adapters in
// bot/slack and bot/discord translate both ways.
package bot

import "strings"

// Outcome classifies a reply for logs and metrics.
type Outcome string

// Outcomes of a command.
const (
	OutcomeOK             Outcome = "ok"
	OutcomeNotFound       Outcome = "not_found"       // unknown actor, option, person or document
	OutcomeUsage          Outcome = "usage"           // missing or malformed arguments
	OutcomeUnknownCommand Outcome = "unknown_command" // answered with help
	OutcomeDenied         Outcome = "denied"          // not allowed for this user
	OutcomeLimited        Outcome = "limited"         // over the per-user or per-channel rate
	OutcomeError          Outcome = "error"           // internal failure, said plainly
	OutcomeSilent         Outcome = "silent"          // a message the bot does not answer here: post nothing
)

// Reply is the structured answer to one command. Replies may be cached and
// shared: treat a Reply as read-only once returned.
type Reply struct {
	Command  string    `json:"command"`
	Outcome  Outcome   `json:"outcome"`
	Title    string    `json:"title"`
	Intro    Text      `json:"intro,omitempty"`
	Sections []Section `json:"sections,omitempty"`
	Sources  []Source  `json:"sources,omitempty"`
	AsOf     string    `json:"as_of,omitempty"` // newest document date behind the answer
	Private  bool      `json:"private"`
	// Settings marks an answer to a change of settings (a subscription, a
	// manager, where the bot speaks): it is never offered for sharing.
	Settings bool `json:"settings,omitempty"`
}

// Section is a heading with bullets, or a preformatted (monospace) block
// such as the position matrix. Table, when set, is the structure behind
// Pre: surfaces that can draw a table draw it, the others show Pre.
type Section struct {
	Heading string   `json:"heading,omitempty"`
	Bullets []Bullet `json:"bullets,omitempty"`
	Pre     string   `json:"pre,omitempty"`
	Table   *Table   `json:"table,omitempty"`
}

// Bullet is one claim: our sentence, an optional verbatim quote with who
// said it, the citations it rests on, and notes such as "Sources differ".
type Bullet struct {
	Text    Text   `json:"text"`
	Quote   string `json:"quote,omitempty"`
	QuoteBy string `json:"quote_by,omitempty"`
	Cites   []Cite `json:"cites,omitempty"`
	Notes   []Text `json:"notes,omitempty"`
	// AccordingTo is set when the claim is one a document reports as
	// someone's account: whom it rests on. Every surface shows it, as
	// Attribution words it.
	AccordingTo string `json:"according_to,omitempty"`
	// Verbatim is a cited paragraph word for word, as /sources shows it.
	Verbatim string `json:"verbatim,omitempty"`
	// Link is an address of our own the bullet points to (the console's
	// reader view of an answer cut short); surfaces show it as a link.
	Link string `json:"link,omitempty"`
}

// Attribution is the line a reported claim carries wherever it is shown:
// "Reported, according to two officials quoted by a newspaper." Empty for
// a claim a document states itself.
func (b Bullet) Attribution() string {
	if b.AccordingTo == "" {
		return ""
	}
	return "Reported, according to " + strings.TrimRight(b.AccordingTo, ". ") + "."
}

// Cite points a bullet at a numbered entry of Reply.Sources and the
// paragraphs cited there.
type Cite struct {
	Source int      `json:"source"` // 1-based index into Reply.Sources
	Paras  []string `json:"paras"`
}

// Source is one document cited by the reply.
type Source struct {
	N      int    `json:"n"`
	Doc    string `json:"doc"`
	Title  string `json:"title"`
	Outlet string `json:"outlet,omitempty"`
	Author string `json:"author,omitempty"`
	Date   string `json:"date"` // as shown: "20 August 2025 (inferred)", "undated, not before …"
	URL    string `json:"url,omitempty"`
}

// Label is the short form used in citations: outlet or author and date.
func (s Source) Label() string {
	var b strings.Builder
	switch {
	case s.Outlet != "" && s.Author != "":
		b.WriteString(s.Outlet + ", " + s.Author)
	case s.Outlet != "":
		b.WriteString(s.Outlet)
	case s.Author != "":
		b.WriteString(s.Author)
	default:
		b.WriteString("outlet not named")
	}
	b.WriteString(", ")
	b.WriteString(s.Date)
	return b.String()
}

// Text is a run of spans. Spans marked User echo what somebody typed: an
// adapter must neutralise them (no mentions, no markup) before sending.
type Text []Span

// Span is a piece of text; User marks text that came from a user.
type Span struct {
	Text string `json:"text"`
	User bool   `json:"user,omitempty"`
}

// Plain makes a Text of our own words.
func Plain(s string) Text { return Text{{Text: s}} }

// String returns the text without any marking.
func (t Text) String() string {
	if len(t) == 1 {
		return t[0].Text
	}
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// textBuilder assembles a Text from our words and user words.
type textBuilder struct{ t Text }

func (b *textBuilder) our(s string) *textBuilder {
	b.t = append(b.t, Span{Text: s})
	return b
}

func (b *textBuilder) user(s string) *textBuilder {
	b.t = append(b.t, Span{Text: s, User: true})
	return b
}

// CitesParagraphs reports whether any bullet cites a paragraph, so that
// "Show sources" has something to show.
func (r *Reply) CitesParagraphs() bool {
	for _, s := range r.Sections {
		for _, b := range s.Bullets {
			for _, c := range b.Cites {
				if len(c.Paras) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// Bullets returns how many bullets the reply has in all.
func (r *Reply) Bullets() int {
	n := 0
	for _, s := range r.Sections {
		n += len(s.Bullets)
	}
	return n
}

// Withheld says why a reply to a mention or a direct question is not
// posted at all, or "" when it is: the bot does not speak in the channel,
// or the asker is over the limit (a public "slow down" would only add to
// the noise).
func (r *Reply) Withheld() string {
	switch r.Outcome {
	case OutcomeSilent:
		return "the bot does not speak here"
	case OutcomeLimited:
		return "over the rate limit"
	}
	return ""
}
