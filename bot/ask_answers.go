package bot

import (
	"sort"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
)

// pick chooses up to askShow claims in scope: all of them, in file order,
// when they fit; otherwise the best ranked for the question's content, or
// the first ones (those of the home brief first, if given) when the
// question has nothing to rank by.
func (st *state) pick(q *question, keep func(*briefs.Claim) bool, home ...*briefs.Brief) []*briefs.Claim {
	var first []*briefs.Claim
	n := 0
	for _, h := range home {
		for _, sec := range h.Sections {
			for _, c := range sec.Claims {
				if len(first) < askShow && keep(c) {
					first = append(first, c)
				}
			}
		}
	}
	for _, c := range st.index.Claims() {
		if keep(c) {
			if n < askShow && (len(home) == 0 || c.Brief != home[0]) && len(first) < askShow {
				first = append(first, c)
			}
			n++
		}
	}
	if n <= askShow || q.content == 0 {
		return first
	}
	hits := st.index.Search(q.terms, 0, keep, askShow)
	if len(hits) == 0 {
		return first
	}
	out := make([]*briefs.Claim, len(hits))
	for i, h := range hits {
		out[i] = h.Claim
	}
	return out
}

// claimSections adds the claims as bullets, grouped under "brief — section"
// headings in the order given.
func (b *replyBuilder) claimSections(cs []*briefs.Claim, prefix func(*briefs.Claim) string) {
	var cur *Section
	last := ""
	for _, c := range cs {
		h := claimHeading(c)
		if cur == nil || h != last {
			cur, last = b.section(h), h
		}
		p := ""
		if prefix != nil {
			p = prefix(c)
		}
		cur.Bullets = append(cur.Bullets, b.claim(c, p))
	}
}

// whenSection adds dated claims under one heading, each with its date.
func (b *replyBuilder) whenSection(cs []*briefs.Claim) {
	s := b.section("When")
	for _, c := range cs {
		bl := b.claim(c, whenLabel(c.When)+" — ")
		if c.When.Resolved != "" {
			bl.Notes = append(bl.Notes, Plain("Date resolved from "+c.When.Resolved+"."))
		}
		s.Bullets = append(s.Bullets, bl)
	}
}

// claimHeading names where a claim comes from: its brief and section.
func claimHeading(c *briefs.Claim) string {
	if c.Brief == nil {
		return ""
	}
	for _, s := range c.Brief.Sections {
		for _, x := range s.Claims {
			if x == c {
				return c.Brief.Name + " — " + s.Heading
			}
		}
	}
	return c.Brief.Name
}

// claimsReply builds an answer from chosen claims, pointing at commands.
func (st *state) claimsReply(title string, intro Text, cs []*briefs.Claim, prefix func(*briefs.Claim) string, see ...string) *Reply {
	b := st.newReply("ask", title)
	b.r.Intro = intro
	b.claimSections(cs, prefix)
	b.r.Sections = append(b.r.Sections, seeSection(see...))
	return b.done()
}

// askStance answers a question about an actor's stance, on one option
// when the question names one.
func (st *state) askStance(q *question, actor string, options []string) *Reply {
	a, _ := st.set.Brief(actor)
	of := func(c *briefs.Claim) bool {
		return c.Brief == a || c.Position != nil && c.Position.Actor == actor
	}
	if len(options) == 0 {
		var intro Text
		if g := st.glance(st.byActor[actor]); g != "" {
			intro = Plain("At a glance — " + g + ".")
		}
		return st.claimsReply(a.Name, intro, st.pick(q, of, a), nil, "/stance "+actor)
	}
	o, _ := st.set.Brief(options[0])
	on := func(c *briefs.Claim) bool {
		return c.Position != nil && c.Position.Actor == actor && c.Position.Option == o.ID
	}
	title := a.Name + " — " + o.Name
	see := []string{"/stance " + actor, "/options " + o.ID}
	if cs := st.pick(q, on); len(cs) > 0 {
		intro := Plain(a.Name + " on " + o.Name + ": " + labels(groupStances(cs)) + ".")
		return st.claimsReply(title, intro, cs, nil, see...)
	}
	term := rank.Entity{Kind: briefs.KindOption, ID: o.ID}.Term()
	related := func(c *briefs.Claim) bool { return of(c) && st.index.Has(c, term) }
	cs := st.pick(q, related)
	if len(cs) == 0 {
		if r := st.ranked(q); r.Outcome == OutcomeOK {
			return r
		}
	}
	intro := Plain("The documents record no stated position of " + a.Name + " on " + o.Name + ".")
	return st.claimsReply(title, intro, cs, nil, see...)
}

// askWho answers who a person is or what they said.
func (st *state) askWho(q *question, person string) *Reply {
	p, _ := st.set.Brief(person)
	title := p.Name
	if p.Office != "" {
		title += ", " + p.Office
	}
	var intro Text
	if p.SpeaksFor != "" {
		intro = Plain("Speaks for " + st.name(p.SpeaksFor) + ".")
	}
	of := func(c *briefs.Claim) bool { return c.Brief == p || c.By == person }
	return st.claimsReply(title, intro, st.pick(q, of, p), nil, "/who "+person)
}

// askTopic answers from one topic brief, e.g. the one behind /demands.
func (st *state) askTopic(q *question, id string) *Reply {
	t, _ := st.set.Brief(id)
	of := func(c *briefs.Claim) bool { return c.Brief == t }
	return st.claimsReply(t.Name, nil, st.pick(q, of), nil, "/"+id)
}

// askOption answers about one option.
func (st *state) askOption(q *question, option string) *Reply {
	o, _ := st.set.Brief(option)
	var intro Text
	if g := st.optionGlance(st.byOption[option]); g != "" {
		intro = Plain("Who stands where — " + g + ".")
	}
	of := func(c *briefs.Claim) bool {
		return c.Brief == o || c.Position != nil && c.Position.Option == option
	}
	return st.claimsReply(o.Name, intro, st.pick(q, of, o), nil, "/options "+option)
}

// askTimeline answers when something happened: dated claims about what
// the question names, on the date it names, in date order.
func (st *state) askTimeline(q *question) *Reply {
	named := q.entityTerms()
	of := func(c *briefs.Claim) bool {
		if c.When == nil || q.date.set() && !q.date.matches(c.When.Date, c.When.Until) {
			return false
		}
		for _, t := range named {
			if st.index.Has(c, t) {
				return true
			}
		}
		return len(named) == 0
	}
	var cs []*briefs.Claim
	if len(named) == 0 && !q.date.set() {
		cs = st.best(q, of)
	} else {
		cs = st.pick(q, of)
	}
	if len(cs) == 0 {
		return st.notCovered(q, "No dated event in the briefs matches that.")
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].When.Date < cs[j].When.Date })
	b := st.newReply("ask", "Timeline")
	b.whenSection(cs)
	b.r.Sections = append(b.r.Sections, seeSection("/timeline"))
	return b.done()
}

// askDisputes answers where the documents disagree about what the question
// names (all disputes when it names nothing).
func (st *state) askDisputes(q *question) *Reply {
	named := q.entityTerms()
	if len(named) == 0 {
		return st.see(st.replies["disputes"], "/disputes")
	}
	b := st.newReply("ask", "Where the documents disagree")
	for _, d := range st.set.Disputes {
		if !st.disputeNames(d, named) {
			continue
		}
		s := b.section(d.About)
		for _, id := range d.Claims {
			c, _ := st.set.Claim(id)
			s.Bullets = append(s.Bullets, b.claimPlain(c, st.claimSources(c)+": "))
		}
	}
	if len(b.r.Sections) == 0 {
		b.r.Intro = Plain("The documents record no disagreement about that.")
	}
	b.r.Sections = append(b.r.Sections, seeSection("/disputes"))
	return b.done()
}

// disputeNames says whether any claim of a dispute carries one of terms.
func (st *state) disputeNames(d *briefs.Dispute, terms []string) bool {
	for _, id := range d.Claims {
		c, ok := st.set.Claim(id)
		for _, t := range terms {
			if ok && st.index.Has(c, t) {
				return true
			}
		}
	}
	return false
}

// askCompare compares two actors, on one option when the question names
// one.
func (st *state) askCompare(q *question, x, y string, options []string) *Reply {
	a, _ := st.set.Brief(x)
	o, _ := st.set.Brief(y)
	r := *st.compareReply(a, o)
	r.Command = "ask"
	if len(options) > 0 {
		opt, _ := st.set.Brief(options[0])
		var keep []Section
		for _, s := range r.Sections {
			if strings.HasPrefix(s.Heading, opt.Name+":") {
				keep = append(keep, s)
			}
		}
		if len(keep) == 0 {
			r.Intro = Plain("Neither " + a.Name + " nor " + o.Name + " has a stated position on " + opt.Name + ".")
		}
		r.Sections = keep
	}
	r.Sections = append(r.Sections, seeSection("/compare "+x+" "+y))
	return &r
}

// ranked answers with the claims that match the question best, or says the
// documents do not cover it.
func (st *state) ranked(q *question) *Reply {
	cs := st.best(q, nil)
	if len(cs) == 0 {
		return st.notCovered(q, "")
	}
	return st.claimsReply("What the briefs say", nil, cs, nil, st.commandFor(cs[0].Brief))
}

// best returns the claims in scope (nil: all) that match enough of the
// question, best first; none when even the best matches too little.
func (st *state) best(q *question, keep func(*briefs.Claim) bool) []*briefs.Claim {
	hits := st.index.Search(q.terms, q.extra, keep, askShow)
	if len(hits) == 0 || hits[0].Coverage < minClaimCoverage {
		return nil
	}
	cs := make([]*briefs.Claim, 0, len(hits))
	for _, h := range hits {
		if h.Coverage >= minClaimCoverage && h.Score >= hits[0].Score/3 {
			cs = append(cs, h.Claim)
		}
	}
	return cs
}

// commandFor is the command that shows a brief whole.
func (st *state) commandFor(b *briefs.Brief) string {
	switch b.Kind {
	case briefs.KindActor:
		return "/stance " + b.ID
	case briefs.KindOption:
		return "/options " + b.ID
	case briefs.KindPerson:
		return "/who " + b.ID
	}
	if b.ID == st.dossierText().Overview && st.replies["options"] != nil {
		return "/options"
	}
	switch b.ID {
	case "timeline", "demands", "questions":
		if st.replies[b.ID] != nil {
			return "/" + b.ID
		}
	}
	return "/sources"
}

// entityTerms returns the index terms of the entities the question names.
func (q *question) entityTerms() []string {
	var out []string
	for _, m := range q.mentions {
		for _, e := range m.Entities {
			out = append(out, e.Term())
		}
	}
	return out
}
