package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
)

// fixture loads the small brief set in testdata/briefs over the real corpus.
func fixture(t testing.TB) *bot.Engine {
	t.Helper()
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	set, problems := briefs.Load(os.DirFS("testdata/briefs"), "testdata/briefs", corpus)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return bot.New(set, bot.Options{})
}

func ask(e *bot.Engine, text string) *bot.Reply {
	return e.Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: text})
}

func TestCommands(t *testing.T) {
	e := fixture(t)
	for _, tc := range []struct {
		text    string
		outcome bot.Outcome
		title   string   // substring of the title
		has     []string // substrings of the rendered text
	}{
		{"/stance poland", bot.OutcomeOK, "Poland", []string{"rules out sending Polish soldiers", "“We will not send Polish soldiers to Ukraine.” — Władysław Kosiniak-Kamysz", "[1 ¶24]", "Ground troops: rejects"}},
		{"stance Poland", bot.OutcomeOK, "Poland", nil},
		{"/STANCE   POLISH  ", bot.OutcomeOK, "Poland", nil},
		{"/stance uk", bot.OutcomeOK, "United Kingdom", []string{"Sources differ", "offers / undecided"}},
		{"/stance Britain", bot.OutcomeOK, "United Kingdom", nil},
		{"/stance great britain", bot.OutcomeOK, "United Kingdom", nil},
		{"/stance britain's", bot.OutcomeOK, "United Kingdom", nil},
		{"/stance polan", bot.OutcomeOK, "Poland", nil},
		{"/stance poladn", bot.OutcomeNotFound, "No actor", []string{"Did you mean: Poland (poland)?", "Germany (germany), Poland (poland), United Kingdom (united-kingdom)"}},
		{"/stance the great britain please", bot.OutcomeNotFound, "No actor", []string{"Did you mean: United Kingdom (united-kingdom)?"}},
		{"/stance", bot.OutcomeUsage, "Which actor", []string{"Usage: /stance <actor>"}},
		{"/options", bot.OutcomeOK, "options", []string{"Ground troops (/options ground-troops) — offers: United Kingdom; rejects: Poland; undecided: Germany, United Kingdom"}},
		{"/options reassurance force", bot.OutcomeOK, "Ground troops", []string{"30,000-40,000", "Also reported", "Poland (rejects)"}},
		{"/options moon base", bot.OutcomeNotFound, "No option by that name", nil},
		{"/demands", bot.OutcomeOK, "Russia's demands", []string{"Crimea"}},
		{"/compare uk poland", bot.OutcomeOK, "United Kingdom and Poland compared", []string{"Ground troops: United Kingdom offers / undecided (reported) · Poland rejects", "Reported, according to unnamed reports."}},
		{"/compare united kingdom vs germany", bot.OutcomeOK, "United Kingdom and Germany compared", nil},
		{"/compare poland, germany", bot.OutcomeOK, "Poland and Germany compared", nil},
		{"/compare poland poland", bot.OutcomeUsage, "", []string{"same actor"}},
		{"/compare poland", bot.OutcomeUsage, "", []string{"Name two actors"}},
		{"/compare poland narnia", bot.OutcomeNotFound, "second name", nil},
		{"/who kosiniak", bot.OutcomeOK, "Kosiniak-Kamysz, Defence Minister of Poland", []string{"Speaks for Poland", "Quoted or cited in other briefs"}},
		{"/who Kosiniak-Kamysz", bot.OutcomeOK, "Kosiniak-Kamysz", nil},
		{"/whois kosiniak", bot.OutcomeOK, "Kosiniak-Kamysz", nil},
		{"/who nobody", bot.OutcomeNotFound, "No person", nil},
		{"/timeline", bot.OutcomeOK, "Timeline", []string{"15 August 2025 — Moscow demands", "21 August 2025 (resolved)", "Date resolved from \"yesterday (21 August)\" in d001."}},
		{"/disputes", bot.OutcomeOK, "disagree", []string{"Whether the United Kingdom is still ready to send troops", "d004, 20 August 2025 (inferred): Britain and France"}},
		{"/matrix", bot.OutcomeOK, "Positions", []string{"United Kingdom O/U*", "1 Ground troops", "* rests only on what documents report"}},
		{"/sources", bot.OutcomeOK, "documents", []string{"d003: Trump signals", "Agustina Blanco, 16 August 2025", "translated"}},
		{"/sources d001", bot.OutcomeOK, "d001", []string{"yesterday (21 August)", "Translated: yes", "no headline is printed"}},
		{"/sources d9", bot.OutcomeNotFound, "No document", nil},
		{"/sources d004:p21", bot.OutcomeOK, "d004 ¶21", []string{"d004: Security guarantees for Ukraine", "    A total of ten countries are willing to send their troops to Ukraine, Bloomberg reported", "[1 ¶21]", "No claim cites it."}},
		{"/sources d004 p21", bot.OutcomeOK, "d004 ¶21", []string{"    A total of ten countries"}},
		{"/sources D004 ¶18, 21", bot.OutcomeOK, "2 paragraphs", []string{"    The first option being discussed", "    A total of ten", "Cited in /stance united-kingdom"}},
		{"/sources d004:p21 d001:p7", bot.OutcomeOK, "2 paragraphs", []string{"d001: Western allies", "At present, however, only France"}},
		{"/sources d004:p50", bot.OutcomeOK, "d004 ¶50", []string{"page furniture (app advertising)"}},
		{"/sources d004:p999", bot.OutcomeNotFound, "No paragraph", []string{"p1 to p59"}},
		{"/sources d004:<!channel>", bot.OutcomeUsage, "Which paragraph", []string{"“d004:<!channel>”"}},
		{"/sources p21", bot.OutcomeUsage, "Which paragraph", []string{"/sources d004:p21"}},
		{"/help", bot.OutcomeOK, "What I can do", []string{"/compare <actor> <other>", "/sources [document]", "/who <person> — "}},
		{"/help compare", bot.OutcomeOK, "/compare", []string{"Examples", "/compare germany poland"}},
		{"/help nope", bot.OutcomeNotFound, "What I can do", []string{"There is no command “/nope”"}},
		{"/frobnicate", bot.OutcomeUnknownCommand, "What I can do", []string{"I don't know the command “/frobnicate”"}},
		{"/stanse poland", bot.OutcomeUnknownCommand, "", []string{"Did you mean /stance?"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r := ask(e, tc.text)
			if r.Outcome != tc.outcome {
				t.Errorf("outcome %q, want %q", r.Outcome, tc.outcome)
			}
			if !strings.Contains(r.Title, tc.title) {
				t.Errorf("title %q, want it to contain %q", r.Title, tc.title)
			}
			text := bot.RenderText(r)
			for _, h := range tc.has {
				if !strings.Contains(text, h) {
					t.Errorf("reply lacks %q:\n%s", h, text)
				}
			}
			if !r.Private {
				t.Error("replies are private by default")
			}
		})
	}
}

// TestSourcesComplete checks every bullet's citations point at listed
// sources and every answer carries an "as of" date.
func TestSourcesComplete(t *testing.T) {
	e := fixture(t)
	for _, text := range []string{"/stance poland", "/stance uk", "/options", "/options troops", "/compare uk germany", "/who kosiniak", "/timeline", "/disputes", "/matrix", "/demands"} {
		r := ask(e, text)
		if r.AsOf == "" {
			t.Errorf("%s: no as-of date", text)
		}
		for _, s := range r.Sections {
			for _, b := range s.Bullets {
				for _, c := range b.Cites {
					if c.Source < 1 || c.Source > len(r.Sources) {
						t.Errorf("%s: cite %d outside %d sources", text, c.Source, len(r.Sources))
					}
				}
			}
		}
	}
}
