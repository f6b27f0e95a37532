package discord

import (
	"regexp"
	"strings"
	"testing"
)

// TestValidNameMatchesDiscordRule compares validName with Discord's rule
// written as a regular expression.
func TestValidNameMatchesDiscordRule(t *testing.T) {
	rule := regexp.MustCompile(`^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$`)
	names := []string{"", "stance", "who-is", "a_b", "Stance", "stance!", "ä", "名前", "x1", "٣", "\xff",
		"a b", strings.Repeat("a", 32), strings.Repeat("a", 33), strings.Repeat("é", 32), strings.Repeat("é", 33), "ǅ", "ʰ"}
	for _, n := range names {
		if got, want := validName(n), rule.MatchString(n); got != want {
			t.Errorf("validName(%q) = %v, want %v", n, got, want)
		}
	}
}
