package draft

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefs"
)

// aliases finds the briefs of one kind a text names, by their ids, names
// and aliases, as whole words.
type aliases struct {
	names []alias // longest first
}

type alias struct {
	key   string // normalised, padded with spaces
	short string // the alias as written, when it is short (US, UK, EU)
	id    string
}

// shortAlias is the length up to which an alias must appear in capitals
// ("US", not the pronoun "us").
const shortAlias = 3

func newAliases(bs []*briefs.Brief) *aliases {
	a := &aliases{}
	for _, b := range bs {
		for _, n := range b.Names() {
			k := briefs.Normalize(n)
			if k == "" {
				continue
			}
			al := alias{key: " " + k + " ", id: b.ID}
			if utf8.RuneCountInString(k) <= shortAlias {
				al.short = strings.ToUpper(k)
			}
			a.names = append(a.names, al)
		}
	}
	sort.SliceStable(a.names, func(i, j int) bool { return len(a.names[i].key) > len(a.names[j].key) })
	return a
}

// in returns the ids of the briefs text names, in the order of their
// longest alias, each once.
func (a *aliases) in(text string) []string {
	norm := " " + briefs.Normalize(text) + " "
	var out []string
	for _, al := range a.names {
		if !strings.Contains(norm, al.key) || (al.short != "" && !hasWord(text, al.short)) {
			continue
		}
		if !slices.Contains(out, al.id) {
			out = append(out, al.id)
		}
	}
	return out
}

// best returns the brief a phrase names by its longest alias.
func (a *aliases) best(phrase string) (string, bool) {
	ids := a.in(phrase)
	if len(ids) == 0 {
		return "", false
	}
	return ids[0], true
}

// hasWord reports whether w appears in text as a word of its own.
func hasWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = end
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 127 && r != '’')
}
