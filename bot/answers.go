package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/briefbot/briefbot/briefs"
)

// stanceReply is /stance <actor>.
func (st *state) stanceReply(a *briefs.Brief) *Reply {
	b := st.newReply("stance", st.dossierText().TitleFor("stance", a.Name, "{name}: stance"))
	if glance := st.glance(st.byActor[a.ID]); glance != "" {
		b.r.Intro = Plain("At a glance — " + glance + ".")
	}
	b.briefSections(a)
	st.elsewhere(b, st.byActor[a.ID], a, func(p *briefs.Position) string { return st.name(p.Option) })
	st.spokespeople(b, a)
	return b.done()
}

// glance summarises positions as "<option>: rejects (own part) /
// supports (by others); …".
func (st *state) glance(cs []*briefs.Claim) string {
	order, groups := positionsBy(cs, func(p *briefs.Position) string { return p.Option })
	parts := make([]string, 0, len(order))
	for _, opt := range order {
		parts = append(parts, st.name(opt)+": "+labels(groupStances(groups[opt])))
	}
	return strings.Join(parts, "; ")
}

// elsewhere adds position claims about this brief that other briefs carry.
func (st *state) elsewhere(b *replyBuilder, cs []*briefs.Claim, self *briefs.Brief, label func(*briefs.Position) string) {
	var s *Section
	for _, c := range cs {
		if c.Brief == self {
			continue
		}
		if s == nil {
			s = b.section("Also reported")
		}
		s.Bullets = append(s.Bullets, b.claim(c, label(c.Position)+" ("+positionLabel(c.Position)+"): "))
	}
}

// spokespeople lists the people the briefs record as speaking for an actor.
func (st *state) spokespeople(b *replyBuilder, a *briefs.Brief) {
	var who []string
	for _, p := range st.people.briefs {
		if p.SpeaksFor == a.ID {
			who = append(who, p.Name+" ("+p.Office+")")
		}
	}
	if len(who) > 0 {
		b.r.Sections = append(b.r.Sections, Section{Heading: "Who speaks for " + a.Name,
			Bullets: []Bullet{{Text: Plain(strings.Join(who, "; ") + ". Try /who <name>.")}}})
	}
}

// optionReply is /options <option>.
func (st *state) optionReply(o *briefs.Brief) *Reply {
	b := st.newReply("options", o.Name)
	if glance := st.optionGlance(st.byOption[o.ID]); glance != "" {
		b.r.Intro = Plain("Who stands where — " + glance + ".")
	}
	b.briefSections(o)
	st.elsewhere(b, st.byOption[o.ID], o, func(p *briefs.Position) string { return st.name(p.Actor) })
	return b.done()
}

// optionGlance lists actors by stance: "offers: A, B; rejects: C (own
// part), D; undecided: E (reported)", marking scope and a stance that rests
// only on reported claims.
func (st *state) optionGlance(cs []*briefs.Claim) string {
	order, byActor := positionsBy(cs, func(p *briefs.Position) string { return p.Actor })
	var parts []string
	for _, s := range briefs.Stances() {
		var actors []string
		for _, a := range order {
			for _, g := range groupStances(byActor[a]) {
				if g.stance != s {
					continue
				}
				n := st.name(a)
				if q := strings.TrimPrefix(g.label(), s); q != "" {
					n = qualify(n, q)
				}
				if !slices.Contains(actors, n) {
					actors = append(actors, n)
				}
			}
		}
		if len(actors) > 0 {
			parts = append(parts, s+": "+strings.Join(actors, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// optionsReply is /options with no option: the dossier's overview topic
// and every option with who stands where.
func (st *state) optionsReply() *Reply {
	d := st.dossierText()
	b := st.newReply("options", d.TitleFor("options", "", TitleOf(st.set)+": the options"))
	if ov, ok := st.set.Brief(d.Overview); ok && ov.Kind == briefs.KindTopic {
		b.briefSections(ov)
	}
	s := b.section("The options discussed")
	for _, o := range st.options.briefs {
		line := o.Name + " (/options " + o.ID + ")"
		if g := st.optionGlance(st.byOption[o.ID]); g != "" {
			line += " — " + g
		}
		bl := Bullet{Text: Plain(line), Notes: st.splitNotes(st.byOption[o.ID])}
		for _, c := range st.byOption[o.ID] {
			bl.Cites = mergeCites(bl.Cites, b.cites(c))
		}
		s.Bullets = append(s.Bullets, bl)
	}
	return b.done()
}

func mergeCites(into, add []Cite) []Cite {
	for _, c := range add {
		i := slices.IndexFunc(into, func(x Cite) bool { return x.Source == c.Source })
		if i < 0 {
			into = append(into, Cite{Source: c.Source})
			i = len(into) - 1
		}
		for _, p := range c.Paras {
			if !slices.Contains(into[i].Paras, p) {
				into[i].Paras = append(into[i].Paras, p)
			}
		}
		sortParas(into[i].Paras)
	}
	return into
}

// qualify adds " (own part)" to a name, inside a bracket the name already
// ends with: "Group (its long name; by others)".
func qualify(name, q string) string {
	if strings.HasSuffix(name, ")") && strings.HasPrefix(q, " (") {
		return strings.TrimSuffix(name, ")") + "; " + strings.TrimPrefix(q, " (")
	}
	return name + q
}

// topicReply is a free topic brief such as demands or questions.
func (st *state) topicReply(cmd string, t *briefs.Brief) *Reply {
	b := st.newReply(cmd, t.Name)
	b.briefSections(t)
	return b.done()
}

// whoReply is /who <person>.
func (st *state) whoReply(p *briefs.Brief) *Reply {
	title := p.Name
	if p.Office != "" {
		title += ", " + p.Office
	}
	b := st.newReply("who", title)
	if p.SpeaksFor != "" {
		b.r.Intro = Plain("Speaks for " + st.name(p.SpeaksFor) + ".")
	}
	b.briefSections(p)
	st.otherBriefs(b, "Quoted or cited in other briefs", st.said[p.ID], p)
	st.otherBriefs(b, "About them in other briefs", st.about[p.ID], p)
	return b.done()
}

// otherBriefs adds a section with the claims of other briefs.
func (st *state) otherBriefs(b *replyBuilder, heading string, cs []*briefs.Claim, self *briefs.Brief) {
	var s *Section
	for _, c := range cs {
		if c.Brief == self {
			continue
		}
		if s == nil {
			s = b.section(heading)
		}
		s.Bullets = append(s.Bullets, b.claim(c, c.Brief.Name+": "))
	}
}

// compareReply is /compare <a> <b>: option by option, then what only the
// documents say of each.
func (st *state) compareReply(x, y *briefs.Brief) *Reply {
	b := st.newReply("compare", x.Name+" and "+y.Name+" compared")
	var unstated []string
	for _, o := range st.options.briefs {
		cx, cy := st.positionsOn(x.ID, o.ID), st.positionsOn(y.ID, o.ID)
		if len(cx) == 0 && len(cy) == 0 {
			unstated = append(unstated, o.Name)
			continue
		}
		s := b.section(o.Name + ": " + st.cell(x.Name, cx) + " · " + st.cell(y.Name, cy))
		for _, c := range append(cx, cy...) {
			s.Bullets = append(s.Bullets, b.claim(c, st.name(c.Position.Actor)+" ("+positionLabel(c.Position)+"): "))
		}
	}
	if len(unstated) > 0 {
		b.r.Intro = Plain("Neither position is stated on: " + strings.Join(unstated, "; ") + ". Full briefs: /stance " + x.ID + ", /stance " + y.ID + ".")
	}
	return b.done()
}

func (st *state) positionsOn(actor, option string) []*briefs.Claim {
	var out []*briefs.Claim
	for _, c := range st.byActor[actor] {
		if c.Position.Option == option {
			out = append(out, c)
		}
	}
	return out
}

func (st *state) cell(name string, cs []*briefs.Claim) string {
	if len(cs) == 0 {
		return name + " not stated"
	}
	return name + " " + labels(groupStances(cs))
}

// sourcesReply is /sources: every document with what is known of it.
func (st *state) sourcesReply() *Reply {
	b := st.newReply("sources", "The documents")
	s := b.section("")
	for _, d := range st.set.Corpus.Docs {
		n := b.source(d.ID)
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(fmt.Sprintf("%s: %s — %s%s. Details: /sources %s", d.ID, d.Title, d.Source(), translated(d.Translated), d.ID)),
			Cites: []Cite{{Source: n}}})
	}
	return b.done()
}

func translated(t bool) string {
	if t {
		return " — translated"
	}
	return ""
}
