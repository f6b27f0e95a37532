package briefs

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Brief returns the brief with the given id.
func (s *Set) Brief(id string) (*Brief, bool) {
	b, ok := s.byID[id]
	return b, ok
}

// Claim returns the claim with the given id.
func (s *Set) Claim(id string) (*Claim, bool) {
	c, ok := s.claims[id]
	return c, ok
}

// DisputesOf returns the disputes a claim is part of.
func (s *Set) DisputesOf(claimID string) []*Dispute { return s.disputes[claimID] }

// OfKind returns the briefs of one kind, in file order.
func (s *Set) OfKind(kind string) []*Brief {
	var out []*Brief
	for _, b := range s.Briefs {
		if b.Kind == kind {
			out = append(out, b)
		}
	}
	return out
}

// Claims returns every claim of the set, brief by brief in file order.
func (s *Set) Claims() []*Claim {
	var out []*Claim
	for _, b := range s.Briefs {
		for _, sec := range b.Sections {
			out = append(out, sec.Claims...)
		}
	}
	return out
}

// Cites parses the claim's citations; Load has checked them.
func (c *Claim) Cites() []Cite {
	out := make([]Cite, 0, len(c.Cite))
	for _, raw := range c.Cite {
		doc, para, _ := strings.Cut(raw, ":")
		out = append(out, Cite{Doc: doc, Para: para})
	}
	return out
}

// Names returns the id, name and aliases of a brief: everything it answers to.
func (b *Brief) Names() []string {
	return append([]string{b.ID, b.Name}, b.Aliases...)
}

// Normalize folds a name the way users type it: lower case, accents and
// punctuation dropped, spaces collapsed ("Kosiniak-Kamysz" and "kosiniak
// kamysz" match; "Selenskyj" stays itself and needs an alias).
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(foldRune(r))
		default:
			space = true
		}
	}
	return b.String()
}

func foldRune(r rune) string {
	switch r {
	case 'ł', 'Ł':
		return "l"
	case 'ø', 'Ø':
		return "o"
	case 'ß':
		return "ss"
	case 'æ', 'Æ':
		return "ae"
	}
	return string(unicode.ToLower(r))
}
