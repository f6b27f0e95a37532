package briefs

import (
	"fmt"
	"strings"
)

// Drafted records what a program (briefbot draft) wrote into a draft claim
// and what each guess rests on, for the person who reviews it. Only a claim
// marked draft: true may carry it: removing the mark without removing these
// notes is a problem check names, so every machine-written field is looked
// at before it is served.
type Drafted struct {
	// Text says where the offered claim sentence comes from.
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	// By is the basis of the guessed speaker in the claim's by field.
	By string `yaml:"by,omitempty" json:"by,omitempty"`
	// Reported is the reporting pattern behind reported: true.
	Reported string `yaml:"reported,omitempty" json:"reported,omitempty"`
	// When says how the claim's date was resolved.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
	// Quotes lists every quotation found in the cited paragraph.
	Quotes []DraftQuote `yaml:"quotes,omitempty" json:"quotes,omitempty"`
	// Names lists the briefs whose names or aliases the paragraph uses.
	Names *DraftNames `yaml:"names,omitempty" json:"names,omitempty"`
}

// DraftQuote is one quotation found in a paragraph, with its speaker as
// guessed from a reporting pattern ("said X", "X told", "according to X").
type DraftQuote struct {
	Quote   string `yaml:"quote" json:"quote"`
	Speaker string `yaml:"speaker,omitempty" json:"speaker,omitempty"` // as the text names them
	By      string `yaml:"by,omitempty" json:"by,omitempty"`           // person id, when the aliases know them
	Guessed string `yaml:"guessed,omitempty" json:"guessed,omitempty"` // the words the guess rests on
}

// DraftNames are brief ids named in a paragraph, by kind.
type DraftNames struct {
	Actors  []string `yaml:"actors,omitempty" json:"actors,omitempty"`
	People  []string `yaml:"people,omitempty" json:"people,omitempty"`
	Options []string `yaml:"options,omitempty" json:"options,omitempty"`
}

// checkDraft applies the rules that differ for drafts: a draft may still
// lack its sentence, and only a draft may carry drafted notes.
func (l *loader) checkDraft(file string, c *Claim) {
	if c.Drafted != nil && !c.Draft {
		l.add(file, c.fieldLine("drafted"), "claim %q is not marked draft but still has the drafted notes: check each field they name, then delete them", c.ID)
	}
}

// draftOnly returns the ids of briefs whose every claim is a draft: they
// are not served, so reviewed claims may not point at them.
func (l *loader) draftOnly() map[string]bool {
	out := map[string]bool{}
	for _, b := range l.set.Briefs {
		n, drafts := 0, 0
		for _, sec := range b.Sections {
			for _, c := range sec.Claims {
				n++
				if c.Draft {
					drafts++
				}
			}
		}
		if n > 0 && n == drafts {
			out[b.ID] = true
		}
	}
	return out
}

// checkDraftRefs names reviewed claims, people and disputes that point at
// something served only once a draft is reviewed.
func (l *loader) checkDraftRefs() {
	only := l.draftOnly()
	pending := func(id string) bool { return id != "" && only[id] }
	for _, b := range l.set.Briefs {
		if !only[b.ID] && pending(b.SpeaksFor) {
			l.add(b.File, b.Line, "speaks_for %q names a brief whose claims are all drafts; review one first", b.SpeaksFor)
		}
		for _, sec := range b.Sections {
			for _, c := range sec.Claims {
				if c.Draft {
					continue
				}
				refs := []string{c.By}
				if c.Position != nil {
					refs = append(refs, c.Position.Actor, c.Position.Option)
				}
				for _, id := range refs {
					if pending(id) {
						l.add(b.File, c.Line, "claim %q names %q, whose claims are all drafts; review one first", c.ID, id)
					}
				}
			}
		}
	}
	for _, d := range l.set.Disputes {
		for _, id := range d.Claims {
			if c, ok := l.set.claims[id]; ok && c.Draft {
				l.add(d.File, d.Line, "dispute %q names claim %q, which is still a draft", d.ID, id)
			}
		}
	}
}

// setAsideDrafts moves every draft claim out of its brief into Drafts, and
// drops sections and briefs left without claims, so the served set holds
// reviewed claims only.
func (s *Set) setAsideDrafts() {
	briefs := s.Briefs[:0]
	for _, b := range s.Briefs {
		sections := b.Sections[:0]
		for _, sec := range b.Sections {
			kept := sec.Claims[:0]
			for _, c := range sec.Claims {
				if c.Draft {
					s.Drafts = append(s.Drafts, c)
					delete(s.claims, c.ID)
					continue
				}
				kept = append(kept, c)
			}
			sec.Claims = kept
			if len(kept) > 0 {
				sections = append(sections, sec)
			}
		}
		b.Sections = sections
		if len(sections) == 0 {
			delete(s.byID, b.ID)
			continue
		}
		briefs = append(briefs, b)
	}
	s.Briefs = briefs
}

// DraftLabel describes a draft claim for a listing: where it is, what it
// cites and what is left to do.
func DraftLabel(c *Claim) string {
	todo := "review"
	if strings.TrimSpace(c.Text) == "" {
		todo = "write the claim sentence"
	}
	return fmt.Sprintf("%s:%d: %s cites %s (%s)", c.Brief.File, c.Line, c.ID, strings.Join(c.Cite, ", "), todo)
}
