package bot

import (
	"slices"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

// replyBuilder turns claims into bullets and keeps the numbered source list.
type replyBuilder struct {
	st   *state
	r    *Reply
	srcs map[string]int // doc id → 1-based source number
}

func (st *state) newReply(cmd, title string) *replyBuilder {
	return &replyBuilder{st: st, r: &Reply{Command: cmd, Outcome: OutcomeOK, Title: title, Private: true}, srcs: map[string]int{}}
}

// section appends a section and returns it for filling.
func (b *replyBuilder) section(heading string) *Section {
	b.r.Sections = append(b.r.Sections, Section{Heading: heading})
	return &b.r.Sections[len(b.r.Sections)-1]
}

// claim makes the bullet for one claim: text, quote, citations, whom a
// reported claim rests on, and a note for each dispute it is part of.
func (b *replyBuilder) claim(c *briefs.Claim, prefix string) Bullet {
	bl := Bullet{Text: Plain(prefix + c.Text), Quote: c.Quote, Cites: b.cites(c)}
	if c.Quote != "" && c.By != "" {
		if p, ok := b.st.set.Brief(c.By); ok {
			bl.QuoteBy = p.Name
		}
	}
	if c.Reported {
		bl.AccordingTo = c.AccordingTo
	}
	for _, d := range b.st.set.DisputesOf(c.ID) {
		bl.Notes = append(bl.Notes, Plain(b.disputeNote(d, c)))
	}
	return bl
}

// disputeNote says what the other side of a dispute reports, with its
// source, worded by the dispute's kind: "Sources differ", "Within one
// document", "Views differ, as reported".
func (b *replyBuilder) disputeNote(d *briefs.Dispute, self *briefs.Claim) string {
	var others []string
	for _, id := range d.Claims {
		o, ok := b.st.set.Claim(id)
		if !ok || o == self {
			continue
		}
		src := b.st.claimSources(o)
		if o.Reported && o.AccordingTo != "" {
			src += "; reported, according to " + strings.TrimRight(o.AccordingTo, ". ")
		}
		others = append(others, o.Text+" ("+src+")")
	}
	label := disputeLabel(d)
	if d.DisputeKind() == briefs.DisputeWithin {
		label += " (" + strings.Join(b.st.disputeDocs(d), ", ") + ")"
	}
	return label + " — " + d.About + ": " + strings.Join(others, " / ")
}

// claimSources names the documents behind a claim, for inline notes.
func (st *state) claimSources(c *briefs.Claim) string {
	var parts []string
	for _, ct := range c.Cites() {
		d, _ := st.set.Corpus.Doc(ct.Doc)
		label := d.ID + ", " + d.DateLabel()
		if !slices.Contains(parts, label) {
			parts = append(parts, label)
		}
	}
	return strings.Join(parts, "; ")
}

// cites groups a claim's citations by document, numbering new sources.
func (b *replyBuilder) cites(c *briefs.Claim) []Cite {
	var out []Cite
	for _, ct := range c.Cites() {
		n := b.source(ct.Doc)
		i := slices.IndexFunc(out, func(x Cite) bool { return x.Source == n })
		if i < 0 {
			out = append(out, Cite{Source: n})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].Paras, ct.Para) {
			out[i].Paras = append(out[i].Paras, ct.Para)
		}
	}
	for i := range out {
		sortParas(out[i].Paras)
	}
	return out
}

// sortParas orders paragraph ids by number: p9 before p18 before p21.
func sortParas(ps []string) {
	slices.SortFunc(ps, func(a, b string) int { return paraNumber(a) - paraNumber(b) })
}

// paraNumber is the number of a paragraph id ("p21" → 21).
func paraNumber(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "p"))
	if err != nil {
		return 0
	}
	return n
}

// source returns the number of a document in the reply's source list.
func (b *replyBuilder) source(docID string) int {
	if n, ok := b.srcs[docID]; ok {
		return n
	}
	d, _ := b.st.set.Corpus.Doc(docID)
	n := len(b.r.Sources) + 1
	b.srcs[docID] = n
	b.r.Sources = append(b.r.Sources, sourceOf(d, n))
	return n
}

func sourceOf(d *seeds.Document, n int) Source {
	return Source{N: n, Doc: d.ID, Title: d.Title, Outlet: d.Outlet, Author: d.Author, Date: d.DateLabel(), URL: d.URL}
}

// done sets the "as of" date: the newest document behind the reply.
func (b *replyBuilder) done() *Reply {
	b.r.AsOf = asOf(b.st.set.Corpus, b.srcs)
	return b.r
}

func asOf(c *seeds.Corpus, docs map[string]int) string {
	var best *seeds.Document
	for id := range docs {
		d, _ := c.Doc(id)
		if best == nil || d.SortDate() > best.SortDate() ||
			d.SortDate() == best.SortDate() && (d.Date != "" && best.Date == "" || d.ID < best.ID && (d.Date == "") == (best.Date == "")) {
			best = d
		}
	}
	if best == nil {
		return ""
	}
	switch {
	case best.Date == "" && best.NotBefore != "":
		return dayLabel(best.NotBefore) + " or later (undated source)"
	case best.Date == "":
		return "" // no source is dated: there is no "as of" to give
	}
	return best.DateLabel()
}

// briefSections adds a brief's own sections.
func (b *replyBuilder) briefSections(br *briefs.Brief) {
	for _, sec := range br.Sections {
		s := b.section(sec.Heading)
		for _, c := range sec.Claims {
			s.Bullets = append(s.Bullets, b.claim(c, ""))
		}
	}
}

// name returns the display name of a brief id.
func (st *state) name(id string) string {
	if b, ok := st.set.Brief(id); ok {
		return b.Name
	}
	return id
}

// positionsBy groups position claims by a key (actor or option id), in
// first-seen order.
func positionsBy(cs []*briefs.Claim, key func(*briefs.Position) string) ([]string, map[string][]*briefs.Claim) {
	var order []string
	groups := map[string][]*briefs.Claim{}
	for _, c := range cs {
		k := key(c.Position)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	return order, groups
}
