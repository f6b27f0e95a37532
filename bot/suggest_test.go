package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// TestUnknownNamesSuggestOnlyWhatIsClose: a name a few typing mistakes
// away is suggested; a name that is not close to any gets no suggestion;
// /compare names each unknown argument on its own.
func TestUnknownNamesSuggestOnlyWhatIsClose(t *testing.T) {
	e := shipped(t)
	for _, tc := range []struct {
		cmd, want string
		not       []string
	}{
		{"/stance narnia", "“narnia”.", []string{"Did you mean"}},
		{"/stance mordor", "“mordor”.", []string{"Did you mean"}},
		{"/stance spain", "“spain”.", []string{"Did you mean"}},
		{"/stance polnad", "Did you mean: Poland (poland)?", nil},
		{"/stance frnace", "Did you mean: France (france)?", nil},
		{"/stance germny", "Did you mean: Germany (germany)?", nil},
		{"/who macorn", "Did you mean: Emmanuel Macron (macron)?", nil},
		{"/options air coverr", "Did you mean: Air cover / air policing (air-cover)?", nil},
		{"/compare narnia mordor", "I don't know any actor called “narnia”. Nor any called “mordor”.", []string{"narnia mordor", "Did you mean"}},
		{"/compare france mordor", "I don't know any actor called “mordor”.", []string{"France (france)?"}},
		{"/compare narnia germany", "I don't know any actor called “narnia”.", []string{"germany”"}},
		{"/compare polnad mordor", "“polnad”. Did you mean: Poland (poland)? Nor any called “mordor”.", nil},
		{"/compare new zealand middle earth", "Separate two names with", nil},
		{"/stnce poland", "Did you mean /stance?", nil},
		{"/tiemline", "Did you mean /timeline?", nil},
		{"/dizzy", "“/dizzy”.", []string{"Did you mean"}},
	} {
		r := ask(e, tc.cmd)
		intro := r.Intro.String()
		if r.Outcome == bot.OutcomeOK || !strings.Contains(intro, tc.want) {
			t.Errorf("%s: %s, %q; want %q", tc.cmd, r.Outcome, intro, tc.want)
		}
		for _, n := range tc.not {
			if strings.Contains(intro, n) {
				t.Errorf("%s: %q says %q", tc.cmd, intro, n)
			}
		}
	}
}
