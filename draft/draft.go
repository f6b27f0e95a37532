// Package draft writes draft claims for one document, for a person to
// review: one candidate claim per substantive paragraph, citing it, with
// the quotations found in it and their speakers guessed from reporting
// patterns, the actors, people and options it names (from the briefs'
// alias tables), the first date it names resolved against the document's
// date, and reported set where it reports someone's claim. Every claim is
// marked draft: true, and what a program wrote into it is listed under
// drafted:, so nothing is served before a person has looked at it.
package draft

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/internal/lazyre"
	"github.com/briefbot/briefbot/seeds"
)

// minWords is how long a paragraph must be to be worth a claim; shorter
// ones are headings, captions and sign-offs.
const minWords = 12

// Draft is the draft brief of one document.
type Draft struct {
	Brief   *briefs.Brief
	Skipped []string // paragraphs without a candidate claim, and why
	Header  string   // the comment at the top of the file
}

// Build drafts claims for doc. set supplies the alias tables and the
// claims already written, whose paragraphs are skipped; now dates the file.
func Build(set *briefs.Set, doc *seeds.Document, now time.Time) *Draft {
	d := &Draft{Brief: &briefs.Brief{Kind: briefs.KindTopic, ID: BriefID(doc.ID), Name: doc.Title}}
	b := builder{
		actors: newAliases(set.OfKind(briefs.KindActor)), options: newAliases(set.OfKind(briefs.KindOption)),
		people: newAliases(set.OfKind(briefs.KindPerson)), taken: claimIDs(set), docDate: docDate(doc),
	}
	cited := citedBy(set.Claims())
	sec := briefs.Section{Heading: "Drawn from " + doc.ID}
	for _, p := range doc.Article() {
		ref := doc.ID + ":" + p.ID
		switch {
		case len(cited[ref]) > 0:
			d.Skipped = append(d.Skipped, ref+": already cited by "+strings.Join(cited[ref], ", "))
		case len(strings.Fields(p.Text)) < minWords:
			d.Skipped = append(d.Skipped, ref+": too short for a claim (a heading or caption?)")
		default:
			sec.Claims = append(sec.Claims, b.claim(doc, p))
		}
	}
	if len(sec.Claims) > 0 {
		d.Brief.Sections = []briefs.Section{sec}
	}
	d.Header = header(doc, now, len(sec.Claims))
	return d
}

// BriefID is the id of the draft brief of a document.
func BriefID(docID string) string {
	return "doc-" + strings.ReplaceAll(strings.ToLower(docID), "_", "-")
}

func docDate(doc *seeds.Document) time.Time {
	t, _ := time.Parse(time.DateOnly, doc.Date)
	return t
}

func claimIDs(set *briefs.Set) map[string]bool {
	ids := map[string]bool{}
	for _, c := range append(set.Claims(), set.Drafts...) {
		ids[c.ID] = true
	}
	return ids
}

func citedBy(cs []*briefs.Claim) map[string][]string {
	out := map[string][]string{}
	for _, c := range cs {
		for _, ct := range c.Cite {
			out[ct] = append(out[ct], c.ID)
		}
	}
	return out
}

type builder struct {
	actors, options, people *aliases
	taken                   map[string]bool
	docDate                 time.Time
}

// claim is the candidate claim for one paragraph.
func (b *builder) claim(doc *seeds.Document, p seeds.Paragraph) *briefs.Claim {
	c := &briefs.Claim{ID: b.claimID(doc.ID, p.ID), Cite: []string{doc.ID + ":" + p.ID}, Draft: true, Drafted: &briefs.Drafted{}}
	if s := FirstSentence(p.Text); s != "" {
		c.Text = s
		c.Drafted.Text = "the paragraph's first sentence, offered as a starting point: write the claim in your own words"
	}
	as := Attributions(p.Text)
	b.quotes(c, p.Text, as)
	if len(as) > 0 {
		c.Reported = true
		c.AccordingTo = as[0].Speaker
		c.Drafted.Reported = fmt.Sprintf("the paragraph reports what someone says: %q; according_to is guessed from it", as[0].Words)
		if c.By == "" {
			b.guessBy(c, as)
		}
	}
	if w, how, ok := resolveWhen(p.Text, b.docDate); ok {
		c.When, c.Drafted.When = w, how
	}
	names := &briefs.DraftNames{Actors: b.actors.in(p.Text), People: b.people.in(p.Text), Options: b.options.in(p.Text)}
	if len(names.Actors)+len(names.People)+len(names.Options) > 0 {
		c.Drafted.Names = names
	}
	return c
}

func (b *builder) claimID(doc, para string) string {
	base := strings.ReplaceAll(strings.ToLower(doc+"-"+para), "_", "-")
	id := base
	for n := 2; b.taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	b.taken[id] = true
	return id
}

// quotes lists every quotation with its guessed speaker, and puts the
// first one in the claim's quote and by.
func (b *builder) quotes(c *briefs.Claim, text string, as []Attribution) {
	for _, q := range Quotes(text) {
		dq := briefs.DraftQuote{Quote: strings.TrimRight(q.Text, ",;: ")}
		if a, ok := speakerOf(q, as, text); ok {
			dq.Speaker, dq.Guessed = a.Speaker, a.Words
			dq.By, _ = b.people.best(a.Speaker)
		}
		c.Drafted.Quotes = append(c.Drafted.Quotes, dq)
	}
	if len(c.Drafted.Quotes) == 0 {
		return
	}
	first := c.Drafted.Quotes[0]
	c.Quote = first.Quote
	if first.By != "" {
		c.By = first.By
		c.Drafted.By = fmt.Sprintf("guessed from %q, who the aliases say is %s", first.Guessed, first.By)
	}
}

// guessBy names the speaker of a paragraph without quotations: the first
// attribution that the people's aliases know.
func (b *builder) guessBy(c *briefs.Claim, as []Attribution) {
	for _, a := range as {
		if id, ok := b.people.best(a.Speaker); ok {
			c.By = id
			c.Drafted.By = fmt.Sprintf("guessed from %q, who the aliases say is %s", a.Words, id)
			return
		}
	}
}

// sentenceEnd is the end of a sentence: a stop, then space and a capital
// or an opening quotation mark.
var sentenceEnd = lazyre.New(`[.!?]["”’)]?\s+["“‘(]?\p{Lu}`)

// abbreviations end in a stop without ending a sentence.
var abbreviations = []string{"Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Sen", "Rep", "Gov", "St", "Jr", "Sr",
	"U.S", "U.K", "U.N", "E.U", "No", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "e.g", "i.e", "vs", "approx"}

// FirstSentence is the first sentence of a paragraph.
func FirstSentence(text string) string {
	from := 0
	for {
		loc := sentenceEnd().FindStringIndex(text[from:])
		if loc == nil {
			return strings.TrimSpace(text)
		}
		end := from + loc[0]
		word := text[strings.LastIndexAny(text[:end], " (\"“")+1 : end]
		if slices.Contains(abbreviations, word) || len([]rune(word)) == 1 {
			from = end + 1
			continue
		}
		stop := end + 1
		if stop < len(text) && strings.ContainsAny(text[stop:stop+1], `"”’)`) {
			stop++
		}
		return strings.TrimSpace(text[:stop])
	}
}

func header(doc *seeds.Document, now time.Time, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Draft claims for %s: %s (%s).\n", doc.ID, oneLine(doc.Title), oneLine(doc.Source()))
	fmt.Fprintf(&b, "# Written by briefbot draft on %s: %d candidate claim(s), one per substantive paragraph.\n", now.Format(time.DateOnly), n)
	b.WriteString(`# Nothing here is served while it is marked draft: true. To review a claim:
#   - write text: your own short sentence (the paragraph's first sentence is offered);
#   - check quote and by (the speaker is guessed), reported, when (resolved against the
#     document date) and the names under drafted:; add a position if it states a stance;
#   - then delete draft: true and the drafted: notes. Delete claims not worth keeping.
# Claims may stay here or move to the brief they belong to. See briefs/FORMAT.md;
# briefbot check --coverage --doc ` + doc.ID + ` shows what is covered.
`)
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// YAML is the draft brief file.
func (d *Draft) YAML() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(d.Header)
	var root yaml.Node
	if err := root.Encode(d.Brief); err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	tidy(&root)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	return buf.Bytes(), nil
}

// tidy writes lists of plain values on one line, as the shipped briefs do
// (cite: [d005:p3]), and puts draft: true right under each claim's id.
func tidy(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 && allScalars(n.Content) {
		n.Style = yaml.FlowStyle
	}
	if n.Kind == yaml.MappingNode && len(n.Content) >= 4 && n.Content[0].Value == "id" {
		for i := 2; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "draft" {
				kv := []*yaml.Node{n.Content[i], n.Content[i+1]}
				rest := append(n.Content[:i:i], n.Content[i+2:]...)
				n.Content = append(append(append([]*yaml.Node{}, rest[:2]...), kv...), rest[2:]...)
				break
			}
		}
	}
	for _, c := range n.Content {
		tidy(c)
	}
}

func allScalars(ns []*yaml.Node) bool {
	for _, c := range ns {
		if c.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}
