package ingest

import (
	"regexp"
	"testing"
)

// TestPatternsCompile: the patterns compile on first use, so a broken one
// would only show when a document needs it; this uses each once.
func TestPatternsCompile(t *testing.T) {
	all := []func() *regexp.Regexp{numberedID, dayMonthRE, monthDayRE, isoRE, embeddedPostRE, inlineDataRE,
		paywallRE, urlDateRE, isoDateRE, bylineRE, dateLeadRE, translatedRE}
	for _, d := range debrisRules {
		all = append(all, d.re)
	}
	for i, re := range all {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("pattern %d does not compile: %v", i, p)
				}
			}()
			re()
		}()
	}
}
