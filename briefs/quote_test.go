package briefs

import "testing"

func TestQuoteIn(t *testing.T) {
	para := "He said: “We are at the beginning  of a difficult process.” It’s a\nlong road."
	for _, tc := range []struct {
		quote string
		want  bool
	}{
		{`"We are at the beginning of a difficult process."`, true},
		{"“We are at the beginning of a difficult process.”", true},
		{"It's a long road.", true},
		{"We are at the start of a difficult process.", false},
		{"we are at the beginning", false}, // case is not normalised
	} {
		if got := quoteIn(tc.quote, []string{para}); got != tc.want {
			t.Errorf("quoteIn(%q) = %v, want %v", tc.quote, got, tc.want)
		}
	}
}
