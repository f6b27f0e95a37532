package bot

import (
	"strconv"
	"strings"
)

// RenderText renders a reply as readable plain text with its sources, the
// form the CLI prints.
func RenderText(r *Reply) string {
	var b strings.Builder
	b.Grow(2048)
	b.WriteString(r.Title)
	b.WriteByte('\n')
	if r.AsOf != "" {
		b.WriteString("As of ")
		b.WriteString(r.AsOf)
		b.WriteByte('\n')
	}
	if len(r.Intro) > 0 {
		b.WriteByte('\n')
		b.WriteString(r.Intro.String())
		b.WriteByte('\n')
	}
	for _, s := range r.Sections {
		b.WriteByte('\n')
		if s.Heading != "" {
			b.WriteString(s.Heading)
			b.WriteByte('\n')
		}
		if s.Pre != "" {
			b.WriteString(s.Pre)
			b.WriteByte('\n')
		}
		for _, bl := range s.Bullets {
			writeBullet(&b, bl)
		}
	}
	if len(r.Sources) > 0 {
		b.WriteString("\nSources\n")
		for _, src := range r.Sources {
			b.WriteString("[")
			b.WriteString(strconv.Itoa(src.N))
			b.WriteString("] ")
			b.WriteString(src.Doc)
			b.WriteString(": ")
			b.WriteString(src.Title)
			b.WriteString(" — ")
			b.WriteString(src.Label())
			if src.URL != "" {
				b.WriteString(" — ")
				b.WriteString(src.URL)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func writeBullet(b *strings.Builder, bl Bullet) {
	b.WriteString("• ")
	b.WriteString(bl.Text.String())
	if len(bl.Cites) > 0 {
		b.WriteByte(' ')
		b.WriteString(CiteMarks(bl.Cites))
	}
	b.WriteByte('\n')
	if bl.Quote != "" {
		b.WriteString("  “")
		b.WriteString(bl.Quote)
		b.WriteString("”")
		if bl.QuoteBy != "" {
			b.WriteString(" — ")
			b.WriteString(bl.QuoteBy)
		}
		b.WriteByte('\n')
	}
	if v := bl.Verbatim; v != "" {
		b.WriteString("    ")
		b.WriteString(strings.ReplaceAll(v, "\n", "\n    "))
		b.WriteByte('\n')
	}
	if a := bl.Attribution(); a != "" {
		b.WriteString("  ")
		b.WriteString(a)
		b.WriteByte('\n')
	}
	for _, n := range bl.Notes {
		b.WriteString("  ")
		b.WriteString(n.String())
		b.WriteByte('\n')
	}
}

// LinkedCiteMarks renders citations as CiteMarks does, each mark made by
// mark from its text and its document's address ("" when it has none), so
// a surface can escape the text and link it in its own markup.
func LinkedCiteMarks(cs []Cite, srcs []Source, mark func(text, url string) string) string {
	var b strings.Builder
	for _, c := range cs {
		url := ""
		if c.Source >= 1 && c.Source <= len(srcs) {
			url = srcs[c.Source-1].URL
		}
		b.WriteString(mark(CiteMarks([]Cite{c}), url))
	}
	return b.String()
}

// CiteMarks renders citations as "[1 ¶24, ¶26][2 ¶7]".
func CiteMarks(cs []Cite) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(c.Source))
		for i, p := range c.Paras {
			if i == 0 {
				b.WriteString(" ¶")
			} else {
				b.WriteString(", ¶")
			}
			b.WriteString(strings.TrimPrefix(p, "p"))
		}
		b.WriteByte(']')
	}
	return b.String()
}

// SameQuestion reduces a question to what makes it the same question (case
// and spacing aside, its first 200 bytes), for the checks that answer a
// question asked twice once.
func SameQuestion(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
