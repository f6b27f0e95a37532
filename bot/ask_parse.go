package bot

import (
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/rank"
)

// maxQuestionWords bounds how much of a question is read.
const maxQuestionWords = 64

// question is a free-text question, understood: the entities it names,
// what kind of answer it wants, the terms to rank claims by, and the words
// the documents do not have.
type question struct {
	words    []rank.Word
	mentions []rank.Mention
	intents  intent
	terms    []rank.QueryTerm
	known    float32  // IDF weight of what the index knows
	content  int      // search terms that are words, not names
	unknown  []string // content words no claim contains
	extra    float32  // their weight
	date     dateSpec
	foreign  bool
}

// actors returns the actors the question names, in order, each once, a
// person counting as the actor they speak for.
func (q *question) actors(st *state) []string {
	var out []string
	for _, m := range q.mentions {
		for _, e := range m.Entities {
			id := e.ID
			if e.Kind == briefs.KindPerson {
				if p, ok := st.set.Brief(e.ID); ok {
					id = p.SpeaksFor
				}
			} else if e.Kind != briefs.KindActor {
				continue
			}
			if id != "" && !containsString(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// entities returns the ids of the entities of one kind the question
// names, in order, each once.
func (q *question) entities(kind string) []string {
	var out []string
	for _, m := range q.mentions {
		for _, e := range m.Entities {
			if e.Kind == kind && !containsString(out, e.ID) {
				out = append(out, e.ID)
			}
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// coverage is the share of the question the briefs know: 1 when every
// content word is known, 0 when none is.
func (q *question) coverage() float32 {
	if q.known+q.extra == 0 {
		return 0
	}
	return q.known / (q.known + q.extra)
}

// understand reads a question against the state's index and names.
func (st *state) understand(text string) *question {
	q := &question{words: rank.Words(stripMarkup(text), maxQuestionWords)}
	q.foreign = st.index.NotEnglish(q.words)
	q.mentions = st.index.Spot(q.words)
	st.closeNames(q)
	q.date = findDate(q.words)
	st.weigh(q)
	return q
}

// weigh sorts every word into intent, entity, search term, filler or
// unknown, and weighs what is known against what is not.
func (st *state) weigh(q *question) {
	used := make([]bool, len(q.words))
	for _, m := range q.mentions {
		for i := m.Start; i < m.End; i++ {
			used[i] = true
		}
		w := 1 / float32(len(m.Entities))
		for _, e := range m.Entities {
			q.terms = append(q.terms, rank.QueryTerm{Key: e.Term(), Weight: w})
		}
		// Naming something the briefs know is as telling as the rarest word.
		q.known += st.index.MaxIDF()
	}
	for i, w := range q.words {
		role, isIntent := intentWords[w.Text]
		if isIntent && q.intents&role.intent == 0 {
			q.intents |= role.intent
			q.known += st.index.MaxIDF() / 2
		}
		if used[i] || q.date.covers(i) || rank.IsStop(w.Text) || fillerWords[w.Text] || isIntent && !role.keep {
			continue
		}
		st.term(q, w.Text, afterTopicMarker(q.words, i))
	}
}

// afterTopicMarker says whether words[i] follows "about", "on",
// "regarding" or "concerning" (articles between allowed): the word that
// names what the question is about.
func afterTopicMarker(words []rank.Word, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch words[j].Text {
		case "the", "a", "an":
			continue
		case "about", "on", "regarding", "concerning":
			return true
		}
		return false
	}
	return false
}

// term adds a word as a search term, spelled as the briefs spell it when
// it is a near miss, or records it as not covered; an unknown word that
// names the topic of the question counts twice.
func (st *state) term(q *question, w string, topic bool) {
	stem, known := st.index.StemOf(w)
	if !known {
		if fixed, ok := st.respell(w); ok {
			stem, known = st.index.StemOf(fixed)
		}
	}
	if !known {
		if len(w) > 1 && !isNumber(w) {
			q.unknown = append(q.unknown, w)
			q.extra += st.index.MaxIDF()
			if topic {
				q.extra += st.index.MaxIDF()
			}
		}
		return
	}
	q.terms = append(q.terms, rank.QueryTerm{Key: stem, Weight: 1})
	q.known += st.index.IDF(stem)
	q.content++
}

func isNumber(w string) bool {
	_, err := strconv.Atoi(w)
	return err == nil
}

// respell finds the one word of the briefs within a typo of w: one edit
// for words of five to seven letters, two for longer ones.
func (st *state) respell(w string) (string, bool) {
	if len(w) < 5 {
		return "", false
	}
	limit := 1
	if len(w) >= 8 {
		limit = 2
	}
	best, found := "", 0
	for _, v := range st.vocab {
		if v[0] != w[0] || len(v) < len(w)-limit || len(v) > len(w)+limit {
			continue
		}
		if withinEdits(w, v, limit) {
			best = v
			found++
		}
	}
	return best, found == 1
}

// closeNames adds mentions for words that are close spellings of a
// one-word name ("polnad", "zelenksy"), as the commands accept them.
func (st *state) closeNames(q *question) {
	next := 0
	var added []rank.Mention
	for i, w := range q.words {
		for next < len(q.mentions) && q.mentions[next].End <= i {
			next++
		}
		if next < len(q.mentions) && q.mentions[next].Start <= i || len(w.Text) < 4 ||
			rank.IsStop(w.Text) || fillerWords[w.Text] {
			continue
		}
		if _, ok := intentWords[w.Text]; ok {
			continue
		}
		if _, known := st.index.StemOf(w.Text); known {
			continue
		}
		if e, ok := st.closeName(w.Text); ok {
			added = append(added, rank.Mention{Start: i, End: i + 1, Entities: []rank.Entity{e}})
		}
	}
	if len(added) > 0 {
		q.mentions = mergeMentions(q.mentions, added)
	}
}

// closeName finds the one actor, person or option with a one-word name
// within a typo or two of w.
func (st *state) closeName(w string) (rank.Entity, bool) {
	limit := 1
	if len(w) >= 6 {
		limit = 2
	}
	var found rank.Entity
	n := 0
	for _, k := range []struct {
		kind  string
		names *names
	}{{briefs.KindActor, st.actors}, {briefs.KindPerson, st.people}, {briefs.KindOption, st.options}} {
		for _, key := range k.names.keys {
			if len(key) < 4 || strings.IndexByte(key, ' ') >= 0 || abs(len(key)-len(w)) > limit {
				continue
			}
			if withinEdits(w, key, limit) {
				if e := (rank.Entity{Kind: k.kind, ID: k.names.exact[key].ID}); e != found {
					found = e
					n++
				}
			}
		}
	}
	return found, n == 1
}

// withinEdits reports whether a and b are at most k edits apart
// (Levenshtein). Short ASCII words, the usual case, are compared without
// allocating, in a band of width k; others go through distance.
func withinEdits(a, b string, k int) bool {
	if abs(len(a)-len(b)) > k {
		return false
	}
	const maxLen = 32
	if len(a) > maxLen || len(b) > maxLen || !isASCIIWord(a) || !isASCIIWord(b) {
		return distance(a, b) <= k
	}
	var prev, cur [maxLen + 1]int
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev = cur
	}
	return prev[len(b)] <= k
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// mergeMentions merges two lists of mentions, each in word order.
func mergeMentions(a, b []rank.Mention) []rank.Mention {
	out := make([]rank.Mention, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i].Start < b[j].Start {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

// stripMarkup removes chat markup from a question: user, channel and
// role mentions (<@U123>, <#C1|general>, <!here>, <@&1>), custom emoji and
// links (a link's label is kept), and bare URLs and @everyone/@here.
func stripMarkup(s string) string {
	s = clean(s)
	if !strings.ContainsAny(s, "<@:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexAny(s, "<@h")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		skip, keep := markupAt(s)
		if skip == 0 {
			b.WriteByte(s[0])
			s = s[1:]
			continue
		}
		b.WriteByte(' ')
		b.WriteString(keep)
		b.WriteByte(' ')
		s = s[skip:]
	}
	return b.String()
}

// markupAt measures the markup at the start of s: how many bytes to drop
// and what text to keep instead. It returns 0 when s starts no markup.
func markupAt(s string) (skip int, keep string) {
	switch s[0] {
	case '<':
		end := strings.IndexByte(s, '>')
		if end < 0 || end > 512 {
			return 0, ""
		}
		inner := s[1:end]
		if strings.HasPrefix(inner, "http") || strings.HasPrefix(inner, "mailto:") {
			if _, label, ok := strings.Cut(inner, "|"); ok {
				return end + 1, label
			}
			return end + 1, ""
		}
		if inner != "" && strings.IndexByte("@#!:a", inner[0]) >= 0 && !strings.ContainsAny(inner, " \t") || strings.Contains(inner, "|") {
			return end + 1, ""
		}
	case '@':
		for _, w := range []string{"@everyone", "@here", "@channel"} {
			if strings.HasPrefix(s, w) {
				return len(w), ""
			}
		}
	case 'h':
		if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
			end := strings.IndexAny(s, " \t\n")
			if end < 0 {
				end = len(s)
			}
			return end, ""
		}
	}
	return 0, ""
}

// dateSpec is a date a question names: a year, a month of a year, or a
// day (zero fields are unknown). from and to are the word indices it took.
type dateSpec struct {
	year, month, day int
	from, to         int
}

func (d dateSpec) set() bool { return d.year != 0 || d.month != 0 }

func (d dateSpec) covers(i int) bool { return d.set() && i >= d.from && i < d.to }

// findDate finds the first date in the words: "18 august", "august 18",
// "september 2022", "2024", "2025-08-18". A month name alone ("may",
// "march") is not taken as a date.
func findDate(words []rank.Word) dateSpec {
	for i, w := range words {
		if m, ok := chatMonths[w.Text]; ok {
			if d, ok := dateAround(words, i, m); ok {
				return d
			}
			continue
		}
		if y := year(w.Text); y != 0 {
			if i+2 < len(words) {
				if m, d := month(words[i+1].Text), day(words[i+2].Text); m != 0 && d != 0 {
					return dateSpec{year: y, month: m, day: d, from: i, to: i + 3}
				}
			}
			return dateSpec{year: y, from: i, to: i + 1}
		}
	}
	return dateSpec{}
}

// dateAround reads the day and year next to the month at words[i].
func dateAround(words []rank.Word, i, m int) (dateSpec, bool) {
	d := dateSpec{month: m, from: i, to: i + 1}
	if i > 0 && day(words[i-1].Text) != 0 {
		d.day, d.from = day(words[i-1].Text), i-1
	} else if i+1 < len(words) && day(words[i+1].Text) != 0 {
		d.day, d.to = day(words[i+1].Text), i+2
	}
	if d.to < len(words) && year(words[d.to].Text) != 0 {
		d.year = year(words[d.to].Text)
		d.to++
	}
	return d, d.day != 0 || d.year != 0
}

func day(w string) int {
	w = strings.TrimRight(w, "stndrh")
	if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 31 {
		return n
	}
	return 0
}

func month(w string) int {
	if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= 12 {
		return n
	}
	return 0
}

func year(w string) int {
	if len(w) != 4 {
		return 0
	}
	if n, err := strconv.Atoi(w); err == nil && n >= 1900 && n <= 2100 {
		return n
	}
	return 0
}

// matches says whether a timeline entry from..until (YYYY-MM-DD) overlaps
// the date.
func (d dateSpec) matches(from, until string) bool {
	if until == "" {
		until = from
	}
	lo, hi := d.bounds(from)
	return from <= hi && until >= lo
}

// bounds returns the first and last day the date can mean, as
// YYYY-MM-DD; an unknown year takes the year of ref.
func (d dateSpec) bounds(ref string) (string, string) {
	y := d.year
	if y == 0 && len(ref) >= 4 {
		y, _ = strconv.Atoi(ref[:4])
	}
	ys := strconv.Itoa(y)
	switch {
	case d.month == 0:
		return ys + "-01-01", ys + "-12-31"
	case d.day == 0:
		m := two(d.month)
		return ys + "-" + m + "-01", ys + "-" + m + "-31"
	}
	s := ys + "-" + two(d.month) + "-" + two(d.day)
	return s, s
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
