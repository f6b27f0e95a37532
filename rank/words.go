package rank

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Word is one word of a text: lower case with accents folded the way
// briefs.Normalize folds names, and whether it was typed in capitals
// ("US" rather than "us").
type Word struct {
	Text  string
	Upper bool
}

// Words splits s into words: runs of letters and digits, accents dropped,
// lower-cased. Apostrophes split ("France's" is "france", "s"), as in
// briefs.Normalize, so alias tables built with it match. At most max
// words are returned (limit <= 0: all).
func Words(s string, limit int) []Word {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	if !isASCII(s) {
		s = norm.NFD.String(s)
	}
	out := make([]Word, 0, countWords(s, limit))
	start := -1
	for i := 0; i <= len(s); {
		r, size := rune(' '), 1
		if i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				out = append(out, fold(s[start:i]))
				if limit > 0 && len(out) == limit {
					return out
				}
				start = -1
			}
		}
		i += size
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// countWords estimates the number of words, to size the result once.
func countWords(s string, limit int) int {
	n := 1
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			n++
		}
	}
	if limit > 0 {
		return min(n, limit)
	}
	return n
}

// fold lower-cases a word, drops combining marks and maps the letters that
// do not decompose (ł, ø, ß, æ) as briefs.Normalize does.
func fold(w string) Word {
	upper, lower, plain := true, true, true
	for _, r := range w {
		if r >= utf8.RuneSelf || unicode.Is(unicode.Mn, r) {
			plain = false
		}
		if unicode.IsLetter(r) {
			upper = upper && unicode.IsUpper(r)
			lower = lower && !unicode.IsUpper(r)
		}
	}
	hasLetter := strings.IndexFunc(w, unicode.IsLetter) >= 0
	word := Word{Upper: upper && hasLetter && utf8.RuneCountInString(w) > 1}
	if plain && lower {
		word.Text = w
		return word
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'ł' || r == 'Ł':
			b.WriteByte('l')
		case r == 'ø' || r == 'Ø':
			b.WriteByte('o')
		case r == 'ß':
			b.WriteString("ss")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	word.Text = b.String()
	return word
}

// IsStop reports whether w (lower case) is an English stop word, by the
// Snowball project's list.
func IsStop(w string) bool { return english.IsStopWord(w) }

// Stem returns the Snowball (Porter2) English stem of a lower-case word.
// Stop words are returned as they are.
func Stem(w string) string { return english.Stem(w, false) }
