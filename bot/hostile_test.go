package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
)

// TestHostileInput: every kind of bad input gets a sensible reply, user text
// echoed back is marked as such and cut short.
func TestHostileInput(t *testing.T) {
	e := fixture(t)
	long := strings.Repeat("a", 10000)
	for _, tc := range []struct {
		name, text string
		outcome    bot.Outcome
	}{
		{"empty", "", bot.OutcomeOK},
		{"spaces", "   \t  ", bot.OutcomeOK},
		{"only slash", "/", bot.OutcomeOK},
		{"slashes", "////", bot.OutcomeOK},
		{"long argument", "/stance " + long[:4000], bot.OutcomeNotFound},
		{"too long", "/stance " + long, bot.OutcomeUsage},
		{"invalid utf8", "/stance \xff\xfepoland", bot.OutcomeOK},
		{"control chars", "/stance pol\x00and\x07", bot.OutcomeOK},
		{"slack broadcast", "/stance <!channel>", bot.OutcomeNotFound},
		{"slack user mention", "/stance <@U123>", bot.OutcomeNotFound},
		{"discord everyone", "/stance @everyone", bot.OutcomeNotFound},
		{"discord role", "/stance <@&123456>", bot.OutcomeNotFound},
		{"markup", "/who *bold* _it_ `code` ```x``` [link](https://x.y)", bot.OutcomeNotFound},
		{"unknown command mention", "/<!here>", bot.OutcomeUnknownCommand},
		{"newlines", "/stance\npoland", bot.OutcomeOK},
		{"rtl override", "/stance \u202epoland", bot.OutcomeOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(e, tc.text)
			if r.Outcome != tc.outcome {
				t.Errorf("outcome %q, want %q (%s)", r.Outcome, tc.outcome, r.Title)
			}
			checkUserSpans(t, r)
			if r.Outcome == bot.OutcomeNotFound && strings.Contains(r.Intro.String(), "Did you mean") {
				t.Errorf("a suggestion for junk input: %s", r.Intro)
			}
		})
	}
}

// checkUserSpans: text a user typed only ever appears in spans marked User,
// short and valid.
func checkUserSpans(t *testing.T, r *bot.Reply) {
	t.Helper()
	for _, sp := range r.Intro {
		if !utf8.ValidString(sp.Text) {
			t.Errorf("invalid UTF-8 in reply: %q", sp.Text)
		}
		if sp.User && utf8.RuneCountInString(sp.Text) > 61 {
			t.Errorf("echoed %d runes of user text", utf8.RuneCountInString(sp.Text))
		}
		if !sp.User && (strings.Contains(sp.Text, "<!") || strings.Contains(sp.Text, "@everyone") || strings.Contains(sp.Text, "<@")) {
			t.Errorf("mention syntax in our own text: %q", sp.Text)
		}
	}
}

func FuzzHandle(f *testing.F) {
	for _, s := range []string{"/stance poland", "/compare uk vs germany", "/who ", "/", "", "<!channel>", "/help \xff", "/options air cover", "/stance @everyone <@U1>"} {
		f.Add(s)
	}
	e := fixture(f)
	f.Fuzz(func(t *testing.T, text string) {
		r := ask(e, text)
		if r == nil || r.Title == "" {
			t.Fatalf("no reply for %q", text)
		}
		if r.Outcome == bot.OutcomeError {
			t.Fatalf("internal error for %q: %s", text, r.Intro)
		}
		checkUserSpans(t, r)
		_ = bot.RenderText(r)
	})
}
