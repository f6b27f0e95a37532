package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

// maxParagraphs bounds one /sources answer with paragraphs.
const maxParagraphs = 40

// paraRef is one cited paragraph: a document and a paragraph id.
type paraRef struct {
	doc  *seeds.Document
	para string
}

var paraTokenRE = regexp.MustCompile(`^(?:¶|p)?([0-9]{1,6})$`)

// parseParagraphs reads "d004:p21", "d004 p21", "d004 ¶21 ¶22" or several
// of them. ok is false when the text names no paragraph at all (it may
// name a document alone); bad names the first token it could not read.
func (st *state) parseParagraphs(args string) (refs []paraRef, ok bool, bad string) {
	words := strings.Fields(strings.NewReplacer(",", " ", ";", " ").Replace(args))
	var doc *seeds.Document
	for _, token := range words {
		w := token
		name, para, hasColon := strings.Cut(w, ":")
		if hasColon {
			d, found := st.doc(name)
			if !found {
				return nil, true, token
			}
			if doc, w = d, para; para == "" {
				continue // "d004:" names the document alone
			}
		} else if d, found := st.doc(w); found && !paraTokenRE.MatchString(strings.ToLower(w)) {
			doc = d
			continue
		}
		m := paraTokenRE.FindStringSubmatch(strings.ToLower(w))
		if m == nil || doc == nil {
			return nil, refs != nil || hasColon, token
		}
		refs = append(refs, paraRef{doc: doc, para: "p" + strings.TrimLeft(m[1], "0")})
	}
	return refs, len(refs) > 0, ""
}

// doc finds a document by id or file name, exactly.
func (st *state) doc(name string) (*seeds.Document, bool) {
	b, ok := st.docs.exact[briefs.Normalize(name)]
	if !ok {
		return nil, false
	}
	return st.set.Corpus.Doc(b.ID)
}

// paragraphsCommand answers /sources with paragraph ids, or returns nil
// when args name no paragraph (a document alone, or nothing known).
func (st *state) paragraphsCommand(args string) *Reply {
	refs, ok, bad := st.parseParagraphs(args)
	switch {
	case bad != "" && (ok || paraTokenRE.MatchString(strings.ToLower(bad))):
		tb := &textBuilder{}
		tb.our("I could not read “").user(echo(bad)).our("” as a paragraph of a named document. Try /sources d004:p21, /sources d004 p21 or /sources d004 ¶21 ¶22.")
		return &Reply{Command: "sources", Outcome: OutcomeUsage, Private: true, Title: "Which paragraph?", Intro: tb.t}
	case !ok:
		return nil
	case len(refs) > maxParagraphs:
		return usageReply("sources", fmt.Sprintf("That is %d paragraphs; ask for at most %d at a time.", len(refs), maxParagraphs))
	}
	for _, ref := range refs {
		if _, found := ref.doc.Paragraph(ref.para); !found {
			return &Reply{Command: "sources", Outcome: OutcomeNotFound, Private: true, Title: "No paragraph by that id",
				Intro: Plain(fmt.Sprintf("%s has no paragraph %s: its paragraphs run from p1 to p%d.", ref.doc.ID, ref.para, len(ref.doc.Paragraphs)))}
		}
	}
	title := fmt.Sprintf("%d paragraphs, word for word", len(refs))
	if len(refs) == 1 {
		title = refs[0].doc.ID + " ¶" + strings.TrimPrefix(refs[0].para, "p") + ", word for word"
	}
	return st.paragraphsReply(title, refs)
}

// paragraphsReply answers /sources with paragraphs: each one word for word
// under its document's line, with where the briefs cite it.
func (st *state) paragraphsReply(title string, refs []paraRef) *Reply {
	b := st.newReply("sources", title)
	var cur *Section
	var curDoc *seeds.Document
	for _, ref := range refs {
		if ref.doc != curDoc {
			curDoc = ref.doc
			cur = b.section(docLine(ref.doc))
		}
		cur.Bullets = append(cur.Bullets, st.paragraphBullet(b, ref))
	}
	return b.done()
}

// docLine is the line that names a document above its paragraphs.
func docLine(d *seeds.Document) string {
	return d.ID + ": " + d.Title + " — " + d.Source()
}

func (st *state) paragraphBullet(b *replyBuilder, ref paraRef) Bullet {
	n := b.source(ref.doc.ID)
	label := ref.doc.ID + " ¶" + strings.TrimPrefix(ref.para, "p")
	p, _ := ref.doc.Paragraph(ref.para)
	if p.Furniture != "" {
		return Bullet{Text: Plain(fmt.Sprintf("%s is page furniture (%s), not article text: it is never cited or shown.", label, p.Furniture))}
	}
	bl := Bullet{Text: Plain(label), Cites: []Cite{{Source: n, Paras: []string{ref.para}}}, Verbatim: p.Text}
	if where := st.citedIn(ref.doc.ID + ":" + ref.para); len(where) > 0 {
		bl.Notes = []Text{Plain("Cited in " + strings.Join(where, ", ") + ".")}
	} else {
		bl.Notes = []Text{Plain("No claim cites it.")}
	}
	return bl
}

// citedIn lists the answers whose claims cite a paragraph: "/stance <id>".
func (st *state) citedIn(cite string) []string {
	var out []string
	for _, c := range st.citing[cite] {
		if cmd := st.commandFor(c.Brief); cmd != "/sources" && !slices.Contains(out, cmd) {
			out = append(out, cmd)
		}
	}
	return out
}

// SourcesOf answers req and returns the paragraphs its answer cites, each
// word for word under its document's line: what a "Show sources" button
// shows. An answer that cites no paragraph gets a short reply saying so.
// Handle does the same for a request with Sources set.
func (e *Engine) SourcesOf(ctx context.Context, req Request) *Reply {
	req.Sources = true
	return e.Handle(ctx, req)
}

func (e *Engine) sourcesOf(ctx context.Context, req Request, p parsed) *Reply {
	req.Sources = false
	st := e.stateOf(req)
	r := e.run(ctx, req, p)
	var refs []paraRef
	seen := map[string]bool{}
	for _, src := range r.Sources {
		d, ok := st.set.Corpus.Doc(src.Doc)
		if !ok {
			continue
		}
		var paras []string
		for _, s := range r.Sections {
			for _, bl := range s.Bullets {
				for _, c := range bl.Cites {
					if c.Source == src.N {
						paras = append(paras, c.Paras...)
					}
				}
			}
		}
		sortParas(paras)
		for _, p := range paras {
			if key := d.ID + ":" + p; !seen[key] {
				seen[key] = true
				refs = append(refs, paraRef{doc: d, para: p})
			}
		}
	}
	if r.Outcome != OutcomeOK || len(refs) == 0 {
		return &Reply{Command: "sources", Outcome: OutcomeUsage, Private: true, Title: "No paragraphs to show",
			Intro: Plain("That answer cites no paragraph of the documents. /sources lists the documents themselves.")}
	}
	return st.paragraphsReply("Sources, word for word: "+r.Title, refs)
}
