package bot

import (
	"fmt"
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
// its sources and dates.
func (st *state) disputesReply() *Reply {
	b := st.newReply("disputes", "Where the documents disagree")
	for _, d := range st.set.Disputes {
		s := b.section(d.About)
		for _, id := range d.Claims {
			c, _ := st.set.Claim(id)
			s.Bullets = append(s.Bullets, b.claimPlain(c, st.claimSources(c)+": "))
		}
	}
	if len(st.set.Disputes) == 0 {
		b.r.Intro = Plain("No disagreements between the documents are recorded.")
	}
	return b.done()
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
	b.r.Sections = append(b.r.Sections, Section{Pre: st.grid(rows, opts)},
		Section{Heading: "Key", Bullets: []Bullet{{Text: Plain(matrixKey(opts))}}})
	b.r.Intro = Plain("Each cell is built from the sourced position claims in the briefs; /stance <actor> or /guarantees <option> shows them with their sources.")
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
	var g strings.Builder
	fmt.Fprintf(&g, "%-*s", w, "")
	var head strings.Builder
	for i := range opts {
		fmt.Fprintf(&head, " %-3s", fmt.Sprint(i+1))
	}
	g.WriteString(strings.TrimRight(head.String(), " "))
	g.WriteString("\n")
	for _, a := range rows {
		var row strings.Builder
		fmt.Fprintf(&row, "%-*s", w, shortName(a))
		for _, o := range opts {
			fmt.Fprintf(&row, " %-3s", st.matrixCell(a.ID, o.ID))
		}
		g.WriteString(strings.TrimRight(row.String(), " "))
		g.WriteString("\n")
	}
	return strings.TrimRight(g.String(), "\n")
}

func (st *state) matrixCell(actor, option string) string {
	ss := stancesOf(st.positionsOn(actor, option))
	if len(ss) == 0 {
		return "·"
	}
	var codes []string
	for _, s := range ss {
		codes = append(codes, stanceCode(s))
	}
	return strings.Join(codes, "/")
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
	return "Columns: " + strings.Join(parts, "; ") + ". Cells: O offers, S supports, C conditional, R rejects, U undecided, · not stated; two letters (O/U) mean the documents report different positions."
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
