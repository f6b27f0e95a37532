package bot

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxMessages is how many chat messages one answer may take, on every
// platform: past it an answer is a wall nobody reads, and Slack lets a
// response_url carry only five (four for a share, which also marks the
// private copy). An answer that needs more is cut by Fit, and its last
// message says so and where to read the rest.
const MaxMessages = 4

// ReadMore is the line that ends an answer cut short: where to read the
// rest. With the web console's public address it links the console's
// reader view of the same command; without one it names narrower commands.
func ReadMore(consoleURL, line string) Bullet {
	line = strings.TrimSpace(line)
	if consoleURL != "" && line != "" {
		return Bullet{Text: Plain("Read the whole answer in the console:"),
			Link: strings.TrimRight(consoleURL, "/") + "/#" + url.PathEscape(line)}
	}
	return Bullet{Text: Plain("Ask something narrower to read them: /ask with a few words, /stance <actor>, /options <option> or /sources <document>.")}
}

// Fit returns r cut to at most max messages, as count measures a reply in
// a platform's messages. When r fits it is returned as is. Otherwise the
// kept bullets are the first ones, in order, and a last section says how
// many of how many items are not shown and ends with more (see ReadMore):
// nothing is dropped without telling the reader. r is not changed.
func Fit(r *Reply, max int, count func(*Reply) int, more Bullet) *Reply {
	if r == nil || count(r) <= max {
		return r
	}
	total := items(r)
	more.Text = append(Plain(fmt.Sprintf("This answer needs more than the %d messages a chat answer may take. ", max)), more.Text...)
	lo, hi := 0, total-1 // the most items kept that fit is in [lo, hi]
	if count(cut(r, 0, total, more)) > max {
		return cut(&Reply{Command: r.Command, Outcome: r.Outcome, Title: r.Title, Private: r.Private}, 0, total, more)
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if count(cut(r, mid, total, more)) <= max {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return cut(r, lo, total, more)
}

// items counts what Fit keeps or drops: each bullet, and each section
// without bullets (a table, a preformatted block).
func items(r *Reply) int {
	n := 0
	for _, s := range r.Sections {
		n += max(len(s.Bullets), 1)
	}
	return n
}

// cut is r with its first keep items and a closing notice naming the rest.
func cut(r *Reply, keep, total int, more Bullet) *Reply {
	c := *r
	c.Sections = nil
	left := keep
	for _, s := range r.Sections {
		if left == 0 {
			break
		}
		if len(s.Bullets) == 0 {
			c.Sections = append(c.Sections, s)
			left--
			continue
		}
		n := min(left, len(s.Bullets))
		part := s
		part.Bullets = s.Bullets[:n:n]
		c.Sections = append(c.Sections, part)
		left -= n
	}
	c.Sections = append(c.Sections, Section{
		Heading: fmt.Sprintf("Cut short: %d of %d items not shown", total-keep, total),
		Bullets: []Bullet{more},
	})
	return &c
}

// CutShort reports whether r ends with the notice Fit adds.
func CutShort(r *Reply) bool {
	if r == nil || len(r.Sections) == 0 {
		return false
	}
	return strings.HasPrefix(r.Sections[len(r.Sections)-1].Heading, "Cut short: ")
}
