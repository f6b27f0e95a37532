package bot

import "testing"

func TestWithheld(t *testing.T) {
	for _, c := range []struct {
		outcome Outcome
		posted  bool
	}{
		{OutcomeOK, true}, {OutcomeNotFound, true}, {OutcomeUsage, true},
		{OutcomeSilent, false}, {OutcomeLimited, false},
	} {
		if why := (&Reply{Outcome: c.outcome}).Withheld(); (why == "") != c.posted {
			t.Errorf("%s: Withheld() = %q; want posted %v", c.outcome, why, c.posted)
		}
	}
}
