package bot

import "strings"

// maxSuggestEdits is how many typing mistakes a suggestion may be away
// from what was typed: none for a word of three letters or fewer (a prefix
// still counts), one up to five letters, two from six. "fracne" finds
// France; "narnia" finds nothing, rather than Paris.
func maxSuggestEdits(typed string) int {
	switch n := len([]rune(typed)); {
	case n <= 3:
		return 0
	case n <= 5:
		return 1
	}
	return 2
}

// typoDistance is the number of single-letter edits between a and b,
// counting two swapped neighbours ("polnad") as one edit (optimal string
// alignment). Long input is capped.
func typoDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// unknownText says that each of the typed names is unknown, each with its
// own suggestions: "I don't know any actor called “narnia”, nor any
// called “mordor”."
func (st *state) unknownText(what string, typed []string, n *names) Text {
	tb := &textBuilder{}
	for i, t := range typed {
		switch i {
		case 0:
			tb.our("I don't know any " + what + " called “").user(echo(t)).our("”.")
		default:
			tb.our(" Nor any called “").user(echo(t)).our("”.")
		}
		if sug := n.suggest(t, 3); len(sug) > 0 {
			tb.our(" Did you mean: " + strings.Join(st.displayList(sug, n), ", ") + "?")
		}
	}
	return tb.t
}

// commandNames are a row's own name and the names it has on platforms.
func commandNames(c Command) []string {
	names := []string{c.Name}
	for _, n := range c.Names {
		names = append(names, n)
	}
	return names
}

// closeCommand returns the command whose name (or alias) is closest to
// what was typed, within maxSuggestEdits, or "".
func (e *Engine) closeCommand(typed string) string {
	typed = strings.ToLower(typed)
	best, bestD := "", maxSuggestEdits(typed)+1
	for _, c := range e.table {
		for _, name := range commandNames(c) {
			d := typoDistance(typed, name)
			if len(typed) >= 3 && strings.HasPrefix(name, typed) {
				d = 0
			}
			if d < bestD {
				best, bestD = c.Name, d
			}
		}
	}
	return best
}
