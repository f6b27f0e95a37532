package bot

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

// timelineReply is /timeline: dated claims in order, events then next steps.
func (st *state) timelineReply() *Reply {
	b := st.newReply("timeline", "Timeline")
	var dated []*briefs.Claim
	for _, c := range st.set.Claims() {
		if c.When != nil {
			dated = append(dated, c)
		}
	}
	sort.SliceStable(dated, func(i, j int) bool { return dated[i].When.Date < dated[j].When.Date })
	var events, next []Bullet
	for _, c := range dated {
		bl := b.claim(c, whenLabel(c.When)+" — ")
		if c.When.Resolved != "" {
			bl.Notes = append(bl.Notes, Plain("Date resolved from "+c.When.Resolved+"."))
		}
		if c.When.Kind == "next" {
			next = append(next, bl)
		} else {
			events = append(events, bl)
		}
	}
	if len(events) > 0 {
		b.r.Sections = append(b.r.Sections, Section{Heading: "What happened", Bullets: events})
	}
	if len(next) > 0 {
		b.r.Sections = append(b.r.Sections, Section{Heading: "Announced next steps and deadlines", Bullets: next})
	}
	return b.done()
}

func whenLabel(w *briefs.When) string {
	s := dayLabel(w.Date)
	if m, ok := wholeMonth(w.Date, w.Until); ok {
		s = m
	} else if w.Until != "" {
		s += " to " + dayLabel(w.Until)
	}
	if w.Resolved != "" {
		s += " (resolved)"
	}
	return s
}

// wholeMonth reports a range that is exactly one calendar month, as
// "September 2022".
func wholeMonth(from, until string) (string, bool) {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, until)
	if err1 != nil || err2 != nil || a.Day() != 1 || !b.Equal(a.AddDate(0, 1, -1)) {
		return "", false
	}
	return a.Format("January 2006"), true
}

func dayLabel(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

// disputesReply is /disputes: every recorded contradiction, each side with
// its sources and dates; first where documents differ, then where one
// document is in tension with itself, then where people disagree as the
// documents report them.
func (st *state) disputesReply() *Reply {
	b := st.newReply("disputes", "Where the documents disagree, and where views differ")
	kinds := map[string]int{}
	for _, kind := range []string{briefs.DisputeSources, briefs.DisputeWithin, briefs.DisputePeople} {
		for _, d := range st.set.Disputes {
			if d.DisputeKind() != kind {
				continue
			}
			kinds[kind]++
			heading := disputeLabel(d) + ": " + d.About
			if kind == briefs.DisputeWithin {
				heading = "Within one document (" + strings.Join(st.disputeDocs(d), ", ") + "): " + d.About
			}
			s := b.section(heading)
			for _, id := range d.Claims {
				c, _ := st.set.Claim(id)
				s.Bullets = append(s.Bullets, b.claimPlain(c, st.claimSources(c)+": "))
			}
		}
	}
	if len(st.set.Disputes) == 0 {
		b.r.Intro = Plain("No disagreements between the documents are recorded.")
		return b.done()
	}
	b.r.Intro = Plain(fmt.Sprintf("Sources differ: documents say different things (%d). Within one document: a document in tension with itself (%d). Views differ, as reported: the documents report people who disagree (%d).",
		kinds[briefs.DisputeSources], kinds[briefs.DisputeWithin], kinds[briefs.DisputePeople]))
	return b.done()
}

// disputeDocs lists the documents a dispute's claims cite, in order.
func (st *state) disputeDocs(d *briefs.Dispute) []string {
	var docs []string
	for _, id := range d.Claims {
		c, ok := st.set.Claim(id)
		if !ok {
			continue
		}
		for _, ct := range c.Cites() {
			if !slices.Contains(docs, ct.Doc) {
				docs = append(docs, ct.Doc)
			}
		}
	}
	return docs
}

// claimPlain is a claim bullet without the dispute notes (used where the
// dispute itself is the subject).
func (b *replyBuilder) claimPlain(c *briefs.Claim, prefix string) Bullet {
	bl := b.claim(c, prefix)
	bl.Notes = nil
	return bl
}

// matrixReply is /matrix: actors against options, built from position claims.
func (st *state) matrixReply() *Reply {
	b := st.newReply("matrix", "Positions at a glance")
	var opts []*briefs.Brief
	for _, o := range st.options.briefs {
		if len(st.byOption[o.ID]) > 0 {
			opts = append(opts, o)
		}
	}
	var rows []*briefs.Brief
	for _, a := range st.actors.briefs {
		if len(st.byActor[a.ID]) > 0 {
			rows = append(rows, a)
		}
	}
	for _, c := range st.set.Claims() {
		if c.Position != nil {
			b.cites(c)
		}
	}
	b.r.Sections = append(b.r.Sections, Section{Pre: st.grid(rows, opts), Table: st.matrixTable(b, rows, opts)},
		Section{Heading: "Key", Bullets: []Bullet{{Text: Plain(matrixKey(opts))}}})
	b.r.Intro = Plain("Each cell is built from the sourced position claims in the briefs; /stance <actor> or /options <option> shows them with their sources, and /compare two actors side by side.")
	return b.done()
}

// stanceCode is the one-letter code of a stance in the matrix.
func stanceCode(s string) string {
	if s == "" {
		return "?"
	}
	return strings.ToUpper(s[:1])
}

func (st *state) grid(rows, opts []*briefs.Brief) string {
	w := 0
	for _, a := range rows {
		w = max(w, len([]rune(shortName(a))))
	}
	cells := make([][]string, len(rows))
	cw := 3 // every column as wide as its widest cell
	for i, a := range rows {
		for _, o := range opts {
			c := st.matrixCell(a.ID, o.ID)
			cells[i] = append(cells[i], c)
			cw = max(cw, len([]rune(c)))
		}
	}
	var g strings.Builder
	fmt.Fprintf(&g, "%-*s", w, "")
	var head strings.Builder
	for i := range opts {
		fmt.Fprintf(&head, " %-*s", cw, fmt.Sprint(i+1))
	}
	g.WriteString(strings.TrimRight(head.String(), " "))
	g.WriteString("\n")
	for i, a := range rows {
		var row strings.Builder
		fmt.Fprintf(&row, "%-*s", w, shortName(a))
		for _, c := range cells[i] {
			fmt.Fprintf(&row, " %-*s", cw, c)
		}
		g.WriteString(strings.TrimRight(row.String(), " "))
		g.WriteString("\n")
	}
	return strings.TrimRight(g.String(), "\n")
}

// matrixCell is one cell: the stance codes ("O/U" where the documents
// report different positions, "O*" for a stance resting only on reported
// claims), and after a bar what the actor backs others doing ("R|S").
func (st *state) matrixCell(actor, option string) string {
	gs := groupStances(st.positionsOn(actor, option))
	if len(gs) == 0 {
		return "·"
	}
	var own, others []string
	for _, g := range gs {
		if scopeRank(g.scope) == 1 {
			others = append(others, g.code())
		} else {
			own = append(own, g.code())
		}
	}
	switch {
	case len(others) == 0:
		return strings.Join(own, "/")
	case len(own) == 0:
		return "·|" + strings.Join(others, "/")
	}
	return strings.Join(own, "/") + "|" + strings.Join(others, "/")
}

// shortName keeps row labels narrow enough for a phone's code block.
func shortName(b *briefs.Brief) string {
	name := b.Name
	if b.Short != "" {
		name = b.Short
	}
	if r := []rune(name); len(r) > 16 {
		return string(r[:15]) + "…"
	}
	return name
}

func matrixKey(opts []*briefs.Brief) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = fmt.Sprintf("%d %s", i+1, o.Name)
	}
	return "Columns: " + strings.Join(parts, "; ") + ". Cells: O offers, S supports, C conditional, R rejects, U undecided, · not stated; two letters (O/U) mean the documents report different positions; * rests only on what documents report as someone's account; R|S: the actor's own part, then what it backs others doing."
}

// sourceDetail is /sources <document>.
func (st *state) sourceDetail(d *seeds.Document) *Reply {
	b := st.newReply("sources", d.ID+": "+d.Title)
	n := b.source(d.ID)
	cite := []Cite{{Source: n}}
	s := b.section("About this document")
	add := func(format string, args ...any) {
		s.Bullets = append(s.Bullets, Bullet{Text: Plain(fmt.Sprintf(format, args...)), Cites: cite})
	}
	if d.TitlePrinted {
		add("Title: %s", d.Title)
	} else {
		add("Title: %s (no headline is printed; this is a neutral description)", d.Title)
	}
	add("Outlet: %s. Author: %s.", orNotNamed(d.Outlet), orNotNamed(d.Author))
	add("Date: %s.", d.DateLabel())
	if d.DateBasis != "" {
		add("How the date is known: %s", d.DateBasis)
	}
	if d.URL != "" {
		add("Read it at %s", d.URL)
	}
	if d.Translated {
		add("Translated: yes. %s", d.TranslationBasis)
	} else {
		add("Translated: the text does not say so.")
	}
	art := d.Article()
	cited := 0
	for _, p := range art {
		if st.citedParas[d.ID+":"+p.ID] {
			cited++
		}
	}
	add("%d paragraphs of article text (%d more are page furniture, never cited); %d of them cited in the briefs.", len(art), len(d.Paragraphs)-len(art), cited)
	return b.done()
}

func orNotNamed(s string) string {
	if s == "" {
		return "not named in the text"
	}
	return s
}
