package rank

import (
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// otherStops are the stop word lists Snowball ships for languages other
// than English.
var otherStops = []func(string) bool{french.IsStopWord, spanish.IsStopWord, russian.IsStopWord,
	swedish.IsStopWord, norwegian.IsStopWord, hungarian.IsStopWord}

// NotEnglish reports whether words look like another language: mostly
// letters outside the Latin script, or, when most words are unknown to the
// index, more stop words of a language Snowball knows than English stop
// words that language does not share. Mixed input is given the benefit of
// the doubt.
func (ix *Index) NotEnglish(words []Word) bool {
	latin, other := 0, 0
	for _, w := range words {
		for _, r := range w.Text {
			switch {
			case unicode.Is(unicode.Latin, r):
				latin++
			case unicode.IsLetter(r):
				other++
			}
		}
	}
	if other > latin {
		return true
	}
	unknown := 0
	for _, w := range words {
		if _, known := ix.StemOf(w.Text); !known && !english.IsStopWord(w.Text) {
			unknown++
		}
	}
	if 2*unknown < len(words) {
		return false
	}
	for _, stop := range otherStops {
		theirs, ours := 0, 0
		for _, w := range words {
			switch s := stop(w.Text); {
			case s:
				theirs++
			case english.IsStopWord(w.Text):
				ours++
			}
		}
		if theirs > ours {
			return true
		}
	}
	return false
}
