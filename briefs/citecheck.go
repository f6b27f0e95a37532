package briefs

import (
	"fmt"
	"strings"
)

// missingDoc is a document the briefs cite and the corpus lacks: where it
// was first cited, and every claim citing it.
type missingDoc struct {
	file   string
	line   int
	claims []string
}

// noteMissing records a citation of a document the corpus lacks. Such a
// document is reported once, at its first citation, naming the other
// claims citing it: a wrong corpus (the embedded one for briefs written
// against another) would otherwise bury every other problem.
func (l *loader) noteMissing(file string, line int, doc, claim string) {
	if l.missing == nil {
		l.missing = map[string]*missingDoc{}
	}
	m, ok := l.missing[doc]
	if !ok {
		m = &missingDoc{file: file, line: line}
		l.missing[doc] = m
		l.missingOrder = append(l.missingOrder, doc)
	}
	for _, c := range m.claims {
		if c == claim {
			return
		}
	}
	m.claims = append(m.claims, claim)
}

// reportMissing adds one problem per missing document.
func (l *loader) reportMissing() {
	for _, doc := range l.missingOrder {
		m := l.missing[doc]
		msg := fmt.Sprintf("claim %q cites document %q, which does not exist in the corpus", m.claims[0], doc)
		if more := m.claims[1:]; len(more) > 0 {
			msg += fmt.Sprintf(" (and so do %d more claim(s): %s)", len(more), strings.Join(more, ", "))
		}
		l.problems = append(l.problems, Problem{File: m.file, Line: m.line, Msg: msg, Doc: doc})
	}
}

// citesMissingDoc reports whether a claim cites a document the corpus
// lacks; its quote cannot be checked, and the document is reported.
func (l *loader) citesMissingDoc(c *Claim) bool {
	for _, raw := range c.Cite {
		if m := citeRE.FindStringSubmatch(raw); m != nil {
			if _, ok := l.set.Corpus.Doc(m[1]); !ok {
				return true
			}
		}
	}
	return false
}

// quoteProblem says what is wrong with a quote that is not in the cited
// paragraphs that could be read (ids), and where in the corpus, if
// anywhere, it does appear: "quote does not appear verbatim in d005:p2; it
// appears in d005:p3".
func (l *loader) quoteProblem(quote string, ids []string) string {
	msg := "quote cannot be checked: none of its citations can be read"
	if len(ids) > 0 {
		msg = "quote does not appear verbatim in " + strings.Join(ids, ", ")
	}
	where := l.quoteWhere(quote, 4)
	switch {
	case len(where) == 0:
		return msg + "; it appears nowhere in the corpus"
	case len(where) > 3:
		return msg + "; it appears in " + strings.Join(where[:3], ", ") + " and more"
	}
	return msg + "; it appears in " + strings.Join(where, ", ")
}

// quoteWhere lists up to max article paragraphs of the corpus that hold
// the quote, as citations ("d005:p3").
func (l *loader) quoteWhere(quote string, max int) []string {
	q := normQuote(quote)
	if q == "" {
		return nil
	}
	var out []string
	for _, d := range l.set.Corpus.Docs {
		for _, p := range d.Paragraphs {
			if p.Furniture == "" && strings.Contains(normQuote(p.Text), q) {
				out = append(out, d.ID+":"+p.ID)
				if len(out) == max {
					return out
				}
			}
		}
	}
	return out
}
