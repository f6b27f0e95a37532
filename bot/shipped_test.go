package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// TestShippedCoverage: every actor, option and person the documents discuss
// answers, by the names people type, with sources.
func TestShippedCoverage(t *testing.T) {
	e := shipped(t)
	for _, tc := range []struct{ cmd, title string }{
		{"/stance ukraine", "Ukraine"}, {"/stance kyiv", "Ukraine"}, {"/stance kiev", "Ukraine"},
		{"/stance russia", "Russia"}, {"/stance kremlin", "Russia"},
		{"/stance us", "United States"}, {"/stance usa", "United States"}, {"/stance america", "United States"},
		{"/stance france", "France"}, {"/stance french", "France"},
		{"/stance uk", "United Kingdom"}, {"/stance britain", "United Kingdom"}, {"/stance united kingdom", "United Kingdom"},
		{"/stance germany", "Germany"}, {"/stance poland", "Poland"}, {"/stance polish", "Poland"},
		{"/stance italy", "Italy"}, {"/stance sweden", "Sweden"}, {"/stance finland", "Finland"},
		{"/stance romania", "Romania"}, {"/stance china", "China"},
		{"/stance eu", "European Union"}, {"/stance nato", "NATO"},
		{"/stance coalition of the willing", "oalition of the willing"},
		{"/who zelensky", "Zelensky"}, {"/who zelenskyy", "Zelensky"}, {"/who selenskyj", "Zelensky"}, {"/who Zelenskyj", "Zelensky"},
		{"/who trump", "Trump"}, {"/who putin", "Putin"}, {"/who macron", "Macron"}, {"/who starmer", "Starmer"},
		{"/who merz", "Merz"}, {"/who wadephul", "Wadephul"}, {"/who kosiniak-kamysz", "Kosiniak-Kamysz"},
		{"/who meloni", "Meloni"}, {"/who kristersson", "Kristersson"}, {"/who lavrov", "Lavrov"},
		{"/who zakharova", "Zakharova"}, {"/who costa", "Costa"}, {"/who kallas", "Kallas"},
		{"/who witkoff", "Witkoff"}, {"/who nielsen", "Nielsen"}, {"/who gardner", "Gardner"}, {"/who wallace", "Wallace"},
		{"/options ground troops", ""}, {"/options air cover", ""}, {"/options air defence", ""},
		{"/options naval", ""}, {"/options article 5", ""}, {"/options training", ""},
		{"/options sanctions", ""}, {"/options intelligence", ""},
	} {
		r := ask(e, tc.cmd)
		if r.Outcome != bot.OutcomeOK || !strings.Contains(r.Title, tc.title) || len(r.Sources) == 0 {
			t.Errorf("%s: outcome %s, title %q, %d sources", tc.cmd, r.Outcome, r.Title, len(r.Sources))
		}
	}
}

// TestShippedDisputesShown: a claim that is part of a dispute carries a
// note worded by the dispute's kind ("Sources differ", "Within one
// document (d002)", "Views differ, as reported") wherever it appears.
func TestShippedDisputesShown(t *testing.T) {
	e := shipped(t)
	set := e.Set()
	if len(set.Disputes) == 0 {
		t.Fatal("no disputes recorded")
	}
	text := bot.RenderText(ask(e, "/disputes"))
	for _, d := range set.Disputes {
		if !strings.Contains(text, d.About) {
			t.Errorf("/disputes lacks %q", d.About)
		}
		c, _ := set.Claim(d.Claims[0])
		cmd := map[string]string{"actor": "/stance ", "option": "/options ", "person": "/who "}[c.Brief.Kind]
		if cmd == "" {
			continue
		}
		label := map[string]string{briefs.DisputeSources: "Sources differ", briefs.DisputeWithin: "Within one document (",
			briefs.DisputePeople: "Views differ, as reported"}[d.DisputeKind()]
		out := bot.RenderText(ask(e, cmd+c.Brief.ID))
		if i := strings.Index(out, label); i < 0 || !strings.Contains(out[i:], " — "+d.About) {
			t.Errorf("%s%s does not show dispute %q as %q", cmd, c.Brief.ID, d.ID, label)
		}
	}
}
