package briefs

import (
	"slices"
	"strings"
)

// The evidence rules: reported claims say according to whom, words belong
// to whoever the cited paragraphs name, positions that offer or reject
// rest on the actor's own voice or on a claim marked reported, and
// disputes are of the kind their claims show.

// checkReported checks a claim's attribution against its cited paragraphs.
func (l *loader) checkReported(f string, c *Claim, cited []string) {
	switch {
	case c.Reported && strings.TrimSpace(c.AccordingTo) == "":
		l.add(f, c.fieldLine("reported"), "claim %q is reported but does not say according to whom: add according_to, in the words of the cited paragraph", c.ID)
	case !c.Reported && c.AccordingTo != "":
		l.add(f, c.fieldLine("according_to"), "claim %q has according_to but is not marked reported: true", c.ID)
	case c.Reported && len(cited) == len(c.Cite):
		if missing := unnamedWords(c.AccordingTo, l.normalized(cited)); len(missing) > 0 {
			l.add(f, c.fieldLine("according_to"), "claim %q: according_to %q names %s, which no cited paragraph has: cite the paragraph that says who reports it",
				c.ID, c.AccordingTo, quoteList(missing))
		}
	}
}

// reportingWords are left out when matching an attribution against the
// text: they describe the reporting ("unnamed accounts", "as reported
// by"), not who reports.
var reportingWords = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "from": true, "that": true, "this": true,
	"its": true, "his": true, "her": true, "their": true, "who": true, "whom": true, "which": true,
	"what": true, "since": true, "also": true, "via": true, "per": true, "not": true, "does": true,
	"did": true, "has": true, "have": true, "was": true, "were": true, "are": true, "without": true,
	"according": true, "reported": true, "reports": true, "report": true, "reporting": true,
	"cited": true, "citing": true, "quoted": true, "quoting": true, "said": true, "says": true,
	"told": true, "writes": true, "wrote": true, "document": true, "documents": true, "article": true,
	"source": true, "sources": true, "account": true, "accounts": true, "unnamed": true,
	"named": true, "name": true, "naming": true,
}

// normalized returns the texts as Normalize folds them, each paragraph
// folded once per load.
func (l *loader) normalized(texts []string) []string {
	if l.norm == nil {
		l.norm = map[string]string{}
	}
	out := make([]string, len(texts))
	for i, t := range texts {
		n, ok := l.norm[t]
		if !ok {
			n = Normalize(t)
			l.norm[t] = n
		}
		out[i] = n
	}
	return out
}

// unnamedWords returns the words of an attribution that none of the
// normalised texts contains.
func unnamedWords(attribution string, norm []string) []string {
	var missing []string
	for _, w := range strings.Fields(Normalize(attribution)) {
		if len(w) < 3 || reportingWords[w] {
			continue
		}
		if !slices.ContainsFunc(norm, func(t string) bool { return hasWord(t, w) }) && !slices.Contains(missing, w) {
			missing = append(missing, w)
		}
	}
	return missing
}

// hasWord reports whether normalised text has w as a word, or a word that
// is w with at most two more letters ("officials" for "official",
// "smithy" for "smith").
func hasWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if j == 0 || text[j-1] == ' ' {
			k := strings.IndexByte(text[end:], ' ')
			if k < 0 {
				k = len(text) - end
			}
			if k <= 2 && (len(w) >= 4 || k == 0) {
				return true
			}
		}
		i = j + 1
	}
}

// hasPhrase reports whether normalised text has the words of phrase in a
// row; the last word may carry up to two more letters.
func hasPhrase(text, phrase string) bool {
	words := strings.Fields(phrase)
	if len(words) == 0 {
		return false
	}
	if len(words) == 1 {
		return hasWord(text, words[0])
	}
	head := strings.Join(words[:len(words)-1], " ") + " "
	for i := 0; ; {
		j := strings.Index(text[i:], head)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || text[j-1] == ' ') && hasWordAt(text, j+len(head), words[len(words)-1]) {
			return true
		}
		i = j + 1
	}
}

func hasWordAt(text string, at int, w string) bool {
	rest := text[at:]
	if k := strings.IndexByte(rest, ' '); k >= 0 {
		rest = rest[:k]
	}
	return strings.HasPrefix(rest, w) && (len(rest) == len(w) || len(w) >= 4 && len(rest)-len(w) <= 2)
}

// namesPerson reports whether one of the normalised texts names the
// person: by its id, name, surname or an alias, whole words, accents and
// case folded.
func namesPerson(p *Brief, norm []string) bool {
	var names []string
	for _, n := range p.Names() {
		if k := Normalize(n); k != "" {
			names = append(names, k)
		}
	}
	if words := strings.Fields(Normalize(p.Name)); len(words) > 1 && len(words[len(words)-1]) >= 3 {
		names = append(names, words[len(words)-1]) // the surname alone
	}
	for _, nt := range norm {
		for _, n := range names {
			if hasPhrase(nt, n) {
				return true
			}
		}
	}
	return false
}

// checkSpeakers checks by and about: each names a person whom a cited
// paragraph names, so that nobody is credited with words a paragraph does
// not give them.
func (l *loader) checkSpeakers(f string, c *Claim, cited []string) {
	complete := len(cited) == len(c.Cite)
	if c.By == "" && len(c.About) == 0 {
		return
	}
	norm := l.normalized(cited)
	if p, ok := l.set.byID[c.By]; ok && p.Kind == KindPerson && complete && !namesPerson(p, norm) {
		l.add(f, c.fieldLine("by"), "claim %q: by %q, but no cited paragraph (%s) names %s: cite the paragraph where they say it, or drop by",
			c.ID, c.By, strings.Join(c.Cite, ", "), p.Name)
	}
	for _, id := range c.About {
		p, ok := l.set.byID[id]
		switch {
		case !ok || p.Kind != KindPerson:
			l.add(f, c.fieldLine("about"), "claim %q: about %q is not a person id", c.ID, id)
		case complete && !namesPerson(p, norm):
			l.add(f, c.fieldLine("about"), "claim %q: about %q, but no cited paragraph (%s) names %s", c.ID, id, strings.Join(c.Cite, ", "), p.Name)
		}
	}
}

// checkScope checks a position's scope.
func (l *loader) checkScope(f string, c *Claim) {
	p, line := c.Position, c.fieldLine("position")
	switch {
	case p.Scope != "" && p.Scope != ScopeOwn && p.Scope != ScopeOthers:
		l.add(f, line, "claim %q: position scope %q (want own, others, or none for in general)", c.ID, p.Scope)
	case p.Scope == ScopeOthers && p.Stance == "offers":
		l.add(f, line, "claim %q: offers is the actor's own contribution; for what it backs others doing use supports with scope: others", c.ID)
	}
}

// positionKey groups the claims behind one cell of the matrix.
type positionKey struct{ actor, option, stance, scope string }

// checkPositionEvidence: every offers or rejects needs a claim in which the
// actor, or a person speaking for it, states it, or a claim marked reported.
func (l *loader) checkPositionEvidence() {
	var order []positionKey
	groups := map[positionKey][]*Claim{}
	for _, c := range l.set.Claims() {
		p := c.Position
		if p == nil || (p.Stance != "offers" && p.Stance != "rejects") {
			continue
		}
		k := positionKey{p.Actor, p.Option, p.Stance, p.Scope}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	for _, k := range order {
		cs := groups[k]
		if !slices.ContainsFunc(cs, func(c *Claim) bool { return c.Reported || l.speaksFor(c.By, k.actor) }) {
			c := cs[0]
			l.add(c.Brief.File, c.fieldLine("position"), "position %s %s %s rests on no claim in which %s or a person speaking for it states it (by: a person with speaks_for: %s), and on no claim marked reported",
				k.actor, k.stance, k.option, k.actor, k.actor)
		}
	}
}

// speaksFor reports whether person speaks for actor.
func (l *loader) speaksFor(person, actor string) bool {
	p, ok := l.set.byID[person]
	return ok && p.Kind == KindPerson && p.SpeaksFor == actor
}

// checkDisputeKind checks that a dispute's claims show its kind.
func (l *loader) checkDisputeKind(d *Dispute, cs []*Claim) {
	switch d.DisputeKind() {
	case DisputeSources:
		if !disjointPair(cs) {
			l.add(d.File, d.Line, "dispute %q is of kind sources, but no two of its claims rest on different documents: for a tension inside one document use kind: within, for people who disagree kind: people", d.ID)
		}
	case DisputeWithin:
		docs := docsOf(cs)
		if len(docs) != 1 {
			l.add(d.File, d.Line, "dispute %q is of kind within, but its claims cite %d documents (%s): within is one document in tension with itself", d.ID, len(docs), strings.Join(docs, ", "))
		}
	case DisputePeople:
		var who []string
		for _, c := range cs {
			if c.By != "" && !slices.Contains(who, c.By) {
				who = append(who, c.By)
			}
		}
		if len(who) < 2 {
			l.add(d.File, d.Line, "dispute %q is of kind people, but its claims are by %d person(s): people needs claims by two or more (by:)", d.ID, len(who))
		}
	default:
		l.add(d.File, d.Line, "dispute %q: unknown kind %q (want sources, within or people)", d.ID, d.Kind)
	}
}

// disjointPair reports whether two of the claims cite no document in common.
func disjointPair(cs []*Claim) bool {
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			if !slices.ContainsFunc(docsOf([]*Claim{a}), func(d string) bool { return slices.Contains(docsOf([]*Claim{b}), d) }) {
				return true
			}
		}
	}
	return false
}

// docsOf lists the documents the claims cite, in order.
func docsOf(cs []*Claim) []string {
	var out []string
	for _, c := range cs {
		for _, ct := range c.Cites() {
			if !slices.Contains(out, ct.Doc) {
				out = append(out, ct.Doc)
			}
		}
	}
	return out
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "“" + w + "”"
	}
	return strings.Join(q, ", ")
}
