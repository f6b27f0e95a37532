package draft

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/internal/lazyre"
)

// Attribution is a reporting pattern found in a text: someone said, told,
// wrote or is the source of what the text reports.
type Attribution struct {
	Speaker string // as the text names them: "the French President", "he"
	Words   string // the pattern as written: "said the French President"
	Start   int    // byte offsets of Words in the text
	End     int
}

const (
	reportVerbs = `said|says|told|tells|added|adds|warned|warns|stated|states|claimed|claims|insisted|insists|argued|argues|noted|notes|wrote|writes|explained|explains|stressed|stresses|announced|announces|declared|declares|confirmed|confirms|reported|reports|asserted|asserts|emphasised|emphasized|believes|believed|suggested|suggests`
	// A speaker: capitalised words, with the small words and possessives
	// that titles use ("Minister of Defence", "the BBC's").
	speakerPat = `((?:the\s+)?\p{Lu}[\p{L}\p{N}'’.\-]*(?:\s+(?:of|for|the|de|von|van|der|da|al|and|\p{Lu}[\p{L}\p{N}'’.\-]*))*)`
	pronounPat = `(he|she|they|it|He|She|They|It)`
)

var (
	verbThenSpeaker = lazyre.New(`\b(?:` + reportVerbs + `)\s+` + speakerPat)
	speakerThenVerb = lazyre.New(speakerPat + `,?\s+(?:has\s+|had\s+|have\s+)?(?:` + reportVerbs + `)\b`)
	accordingTo     = lazyre.New(`\b[Aa]ccording to\s+(?:(?:a|an|the|some|two|three|four|five|several)\s+)?([\p{L}\p{N}'’.\- ]{2,80}?)(?:[,.;:]|\s+(?:who|which|that|in|on|at)\b|$)`)
	pronounSaid     = lazyre.New(`\b` + pronounPat + `\s+(?:` + reportVerbs + `)\b`)
	groupThenVerb   = lazyre.New(`((?:\p{Lu}[\p{L}'’.\-]*\s+)*(?:officials|diplomats|sources|spokesman|spokeswoman|spokesperson|analysts|experts|ministers|leaders|officers|commentators|observers|critics))\s+(?:` + reportVerbs + `)\b`)
)

// groupWords end a speaker that is a group ("French officials").
var groupWords = map[string]bool{"officials": true, "diplomats": true, "sources": true, "spokesman": true,
	"spokeswoman": true, "spokesperson": true, "analysts": true, "experts": true, "ministers": true, "leaders": true,
	"officers": true, "commentators": true, "observers": true, "critics": true}

// leadingWords are capitalised words that start a sentence, not a name.
var leadingWords = map[string]bool{"The": true, "A": true, "An": true, "This": true, "That": true, "But": true,
	"And": true, "However": true, "In": true, "On": true, "At": true, "As": true, "It": true, "He": true, "She": true,
	"They": true, "We": true, "I": true, "What": true, "When": true, "If": true, "Yet": true, "So": true}

// Attributions returns the reporting patterns of a text in order of
// appearance: "said X", "X said", "X told", "according to X", "he said".
func Attributions(text string) []Attribution {
	var out []Attribution
	add := func(start, end, ss, se int) {
		if ss < 0 || se <= ss {
			return
		}
		speaker := trimSpeaker(text[ss:se])
		if speaker == "" {
			return
		}
		for _, a := range out {
			if start < a.End && a.Start < end {
				return
			}
		}
		out = append(out, Attribution{Speaker: speaker, Words: text[start:end], Start: start, End: end})
	}
	for _, m := range accordingTo().FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[3], m[2], m[3])
	}
	for _, m := range verbThenSpeaker().FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[1], m[2], m[3])
	}
	for _, m := range speakerThenVerb().FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[1], m[2], m[3])
	}
	for _, m := range groupThenVerb().FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[1], m[2], m[3])
	}
	for _, m := range pronounSaid().FindAllStringSubmatchIndex(text, -1) {
		add(m[0], m[1], m[2], m[3])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// trimSpeaker drops sentence openers and trailing small words from a
// speaker phrase; what is left must name someone.
func trimSpeaker(s string) string {
	f := strings.Fields(s)
	for len(f) > 1 && leadingWords[f[0]] {
		f = f[1:]
	}
	for len(f) > 0 {
		last := f[len(f)-1]
		if r, _ := utf8.DecodeRuneInString(last); unicode.IsUpper(r) || len(f) == 1 || groupWords[last] {
			break
		}
		f = f[:len(f)-1]
	}
	out := strings.TrimRight(strings.Join(f, " "), ".,;:’'")
	if out == "" || utf8.RuneCountInString(out) > 100 {
		return ""
	}
	return out
}

// Quote is a quotation found in a text.
type Quote struct {
	Text  string // inside the quotation marks
	Start int    // byte offset of the opening mark
	End   int    // byte offset after the closing mark
}

var quoteRE = lazyre.New(`“([^”“]{2,1000})”|"([^"]{2,1000})"|«\s?([^»«]{2,1000}?)\s?»|„([^“”„]{2,1000})[“”]`)

// minQuoteWords: shorter quotations are scare quotes ("well"), not speech.
const minQuoteWords = 3

// Quotes returns the quotations of a text of at least minQuoteWords words.
func Quotes(text string) []Quote {
	var out []Quote
	for _, m := range quoteRE().FindAllStringSubmatchIndex(text, -1) {
		for g := 1; g < len(m)/2; g++ {
			if m[2*g] < 0 {
				continue
			}
			q := strings.TrimSpace(text[m[2*g]:m[2*g+1]])
			if len(strings.Fields(q)) >= minQuoteWords {
				out = append(out, Quote{Text: q, Start: m[0], End: m[1]})
			}
		}
	}
	return out
}

// speakerOf is the attribution nearest a quotation: the first one after it
// in the same sentence, else the last one before it.
func speakerOf(q Quote, as []Attribution, text string) (Attribution, bool) {
	for _, a := range as {
		if a.Start >= q.End && !strings.ContainsAny(text[q.End:a.Start], ".!?") {
			return a, true
		}
		if a.Start >= q.End && a.Start-q.End <= 3 {
			return a, true
		}
	}
	for i := len(as) - 1; i >= 0; i-- {
		if as[i].End <= q.Start {
			return as[i], true
		}
	}
	return Attribution{}, false
}
