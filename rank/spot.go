package rank

import "strings"

// Mention is a run of words that names one or more entities (an alias can
// name an actor and an option at once).
type Mention struct {
	Start, End int // words[Start:End]
	Entities   []Entity
}

// shortWords are English words of one or two letters that are also
// somebody's alias ("us"). Written in lower case they are read as words,
// not as names, unless "the" comes before ("the us").
var shortWords = map[string]bool{
	"us": true, "we": true, "me": true, "it": true, "is": true, "am": true, "an": true, "as": true,
	"at": true, "be": true, "by": true, "do": true, "go": true, "he": true, "if": true, "in": true,
	"my": true, "no": true, "of": true, "on": true, "or": true, "so": true, "to": true, "up": true,
}

// Spot finds the entities named in words, longest alias first, left to
// right. A trailing plural or possessive "s" is tolerated on one-word
// names ("frances", "unions").
func (ix *Index) Spot(words []Word) []Mention {
	var out []Mention
	joined, ends := join(words)
	for i := 0; i < len(words); {
		m, ok := ix.longest(words, i, joined, ends)
		if !ok {
			i++
			continue
		}
		out = append(out, m)
		i = m.End
	}
	return out
}

// join writes the words with single spaces between them, and where each
// word ends in the result, so that any run of words is a substring.
func join(words []Word) (string, []int) {
	n := 0
	for _, w := range words {
		n += len(w.Text) + 1
	}
	var b strings.Builder
	b.Grow(n)
	ends := make([]int, len(words))
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.Text)
		ends[i] = b.Len()
	}
	return b.String(), ends
}

// longest returns the longest alias starting at words[i].
func (ix *Index) longest(words []Word, i int, joined string, ends []int) (Mention, bool) {
	start := 0
	if i > 0 {
		start = ends[i-1] + 1
	}
	for n := min(ix.maxWords, len(words)-i); n >= 1; n-- {
		if es, ok := ix.aliases[joined[start:ends[i+n-1]]]; ok && ix.readAsName(words, i, n) {
			return Mention{Start: i, End: i + n, Entities: es}, true
		}
	}
	w := words[i].Text
	if len(w) > 4 && w[len(w)-1] == 's' {
		if es, ok := ix.aliases[w[:len(w)-1]]; ok {
			return Mention{Start: i, End: i + 1, Entities: es}, true
		}
	}
	return Mention{}, false
}

// readAsName says whether a one-word alias that is also a short English
// word ("us") is meant as a name here: typed in capitals, or after "the".
func (ix *Index) readAsName(words []Word, i, n int) bool {
	if n > 1 || !shortWords[words[i].Text] {
		return true
	}
	return words[i].Upper || i > 0 && words[i-1].Text == "the"
}

// Alias returns what a normalised name names exactly.
func (ix *Index) Alias(key string) []Entity { return ix.aliases[key] }
