package briefs

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

var (
	idRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	citeRE = regexp.MustCompile(`^([a-z0-9][a-z0-9_-]*):(p[0-9]+)$`)
)

func (l *loader) validate() {
	aliases := map[string]map[string]*Brief{} // kind → normalised name → owner
	for _, b := range l.set.Briefs {
		l.validateBrief(b, aliases)
	}
	for _, d := range l.set.Disputes {
		l.validateDispute(d)
	}
	l.validateDossier()
	l.reportMissing()
	l.checkDraftRefs()
	l.checkPositionEvidence()
	for _, b := range l.set.Briefs {
		for _, sec := range b.Sections {
			for _, c := range sec.Claims {
				if c != nil {
					c.node = nil
				}
			}
		}
	}
}

func (l *loader) validateBrief(b *Brief, aliases map[string]map[string]*Brief) {
	if !idRE.MatchString(b.ID) {
		l.add(b.File, b.Line, "brief id %q must be lower-case letters, digits and '-'", b.ID)
	}
	if strings.TrimSpace(b.Name) == "" {
		l.add(b.File, b.Line, "brief %q has no name", b.ID)
	}
	l.checkAliases(b, aliases)
	if b.Kind == KindPerson && b.SpeaksFor != "" && l.kindOf(b.SpeaksFor) != KindActor {
		l.add(b.File, b.Line, "speaks_for %q is not an actor id", b.SpeaksFor)
	}
	n := 0
	for _, sec := range b.Sections {
		for _, c := range sec.Claims {
			if c == nil {
				l.add(b.File, b.Line, "empty claim in section %q", sec.Heading)
				continue
			}
			n++
			l.validateClaim(b, c)
		}
	}
	if n == 0 {
		l.add(b.File, b.Line, "brief %q is empty: it has no claims", b.ID)
	}
}

func (l *loader) checkAliases(b *Brief, aliases map[string]map[string]*Brief) {
	byName := aliases[b.Kind]
	if byName == nil {
		byName = map[string]*Brief{}
		aliases[b.Kind] = byName
	}
	names := append([]string{b.ID, b.Name}, b.Aliases...)
	for _, a := range names {
		key := Normalize(a)
		if key == "" {
			l.add(b.File, b.Line, "empty alias in %q", b.ID)
			continue
		}
		if owner, taken := byName[key]; taken && owner != b {
			l.add(b.File, b.Line, "alias %q of %s %q is already claimed by %q (%s:%d)", a, b.Kind, b.ID, owner.ID, owner.File, owner.Line)
			continue
		}
		byName[key] = b
	}
}

func (l *loader) kindOf(id string) string {
	if b, ok := l.set.byID[id]; ok {
		return b.Kind
	}
	return ""
}

func (l *loader) validateClaim(b *Brief, c *Claim) {
	f := b.File
	if !idRE.MatchString(c.ID) {
		l.add(f, c.fieldLine("id"), "claim id %q must be lower-case letters, digits and '-'", c.ID)
	}
	l.checkDraft(f, c)
	if strings.TrimSpace(c.Text) == "" && !c.Draft {
		l.add(f, c.fieldLine("text"), "claim %q has no text", c.ID)
	}
	if len(c.Cite) == 0 {
		l.add(f, c.Line, "claim %q cites nothing: every claim rests on a paragraph", c.ID)
	}
	var cited, citedIDs []string
	for _, raw := range c.Cite {
		if text, ok := l.checkCite(f, c, raw); ok {
			cited = append(cited, text)
			citedIDs = append(citedIDs, raw)
		}
	}
	if c.Quote != "" && !quoteIn(c.Quote, cited) && (len(cited) > 0 || !l.citesMissingDoc(c)) {
		l.add(f, c.fieldLine("quote"), "claim %q: %s", c.ID, l.quoteProblem(c.Quote, citedIDs))
	}
	if c.By != "" && l.kindOf(c.By) != KindPerson {
		l.add(f, c.fieldLine("by"), "claim %q: by %q is not a person id", c.ID, c.By)
	}
	l.checkReported(f, c, cited)
	l.checkSpeakers(f, c, cited)
	if c.Position != nil {
		l.checkPosition(b, c)
	}
	if c.When != nil {
		l.checkWhen(f, c)
	}
}

func (l *loader) checkCite(file string, c *Claim, raw string) (string, bool) {
	line := c.fieldLine("cite")
	m := citeRE.FindStringSubmatch(raw)
	if m == nil {
		l.add(file, line, "claim %q: citation %q is not document:paragraph (e.g. d000:p12)", c.ID, raw)
		return "", false
	}
	doc, ok := l.set.Corpus.Doc(m[1])
	if !ok {
		l.noteMissing(file, line, m[1], c.ID)
		return "", false
	}
	p, ok := doc.Paragraph(m[2])
	if !ok {
		l.add(file, line, "claim %q cites %s, but %s has no paragraph %s", c.ID, raw, m[1], m[2])
		return "", false
	}
	if p.Furniture != "" {
		l.add(file, line, "claim %q cites %s, which is page furniture (%s), not article text", c.ID, raw, p.Furniture)
		return "", false
	}
	return p.Text, true
}

func (l *loader) checkPosition(b *Brief, c *Claim) {
	p, f, line := c.Position, b.File, c.fieldLine("position")
	if p.Actor == "" && b.Kind == KindActor {
		p.Actor = b.ID
	}
	if p.Option == "" && b.Kind == KindOption {
		p.Option = b.ID
	}
	if l.kindOf(p.Actor) != KindActor {
		l.add(f, line, "claim %q: position actor %q is not an actor id", c.ID, p.Actor)
	}
	if l.kindOf(p.Option) != KindOption {
		l.add(f, line, "claim %q: position option %q is not a known option", c.ID, p.Option)
	}
	if !slices.Contains(Stances(), p.Stance) {
		l.add(f, line, "claim %q: unknown stance %q (want %s)", c.ID, p.Stance, strings.Join(Stances(), ", "))
	}
	l.checkScope(f, c)
}

func (l *loader) checkWhen(f string, c *Claim) {
	w, line := c.When, c.fieldLine("when")
	if _, err := time.Parse(time.DateOnly, w.Date); err != nil {
		l.add(f, line, "claim %q: when date %q is not YYYY-MM-DD", c.ID, w.Date)
	}
	if _, err := time.Parse(time.DateOnly, w.Until); w.Until != "" && err != nil {
		l.add(f, line, "claim %q: when until %q is not YYYY-MM-DD", c.ID, w.Until)
	}
	if w.Kind != "" && w.Kind != "event" && w.Kind != "next" {
		l.add(f, line, "claim %q: when kind %q (want event or next)", c.ID, w.Kind)
	}
}

func (l *loader) validateDispute(d *Dispute) {
	if !idRE.MatchString(d.ID) {
		l.add(d.File, d.Line, "dispute id %q must be lower-case letters, digits and '-'", d.ID)
	}
	if strings.TrimSpace(d.About) == "" {
		l.add(d.File, d.Line, "dispute %q says nothing about what is disputed", d.ID)
	}
	if len(d.Claims) < 2 {
		l.add(d.File, d.Line, "dispute %q needs two or more claims", d.ID)
	}
	var cs []*Claim
	for _, id := range d.Claims {
		c, ok := l.set.claims[id]
		if !ok {
			l.add(d.File, d.Line, "dispute %q names claim %q, which does not exist", d.ID, id)
			continue
		}
		cs = append(cs, c)
	}
	if len(cs) == len(d.Claims) && len(cs) >= 2 {
		l.checkDisputeKind(d, cs)
	}
}

// quoteIn reports whether quote appears in one of the texts, after
// normalising whitespace and typographic quotes only.
func quoteIn(quote string, texts []string) bool {
	q := normQuote(quote)
	for _, t := range texts {
		if strings.Contains(normQuote(t), q) {
			return true
		}
	}
	return false
}

var quoteReplacer = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "«", `"`, "»", `"`, "‘", "'", "’", "'", "‚", "'", "‹", "'", "›", "'")

func normQuote(s string) string {
	return strings.Join(strings.Fields(quoteReplacer.Replace(s)), " ")
}
