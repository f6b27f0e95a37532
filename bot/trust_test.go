package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// shippedCommands is every answer built from the shipped briefs that shows
// claims: each actor, option and person, the topics, and every digest.
func shippedCommands(set *briefs.Set) []string {
	cmds := []string{"/options", "/timeline", "/disputes", "/demands", "/questions", "/matrix"}
	for _, b := range set.Briefs {
		switch b.Kind {
		case briefs.KindActor:
			cmds = append(cmds, "/stance "+b.ID, "/compare "+b.ID+" russia")
		case briefs.KindOption:
			cmds = append(cmds, "/options "+b.ID)
		case briefs.KindPerson:
			cmds = append(cmds, "/who "+b.ID)
		}
	}
	return cmds
}

// TestReportedEverywhere: wherever a reported claim is shown, it carries
// whom it rests on; a bullet carries an attribution only for a reported
// claim.
func TestReportedEverywhere(t *testing.T) {
	e := shipped(t)
	set := e.Set()
	byText := map[string]*briefs.Claim{}
	for _, c := range set.Claims() {
		byText[c.Text] = c
	}
	check := func(where string, r *bot.Reply) {
		for _, s := range r.Sections {
			for _, bl := range s.Bullets {
				text := bl.Text.String()
				for claimText, c := range byText {
					if !strings.HasSuffix(text, claimText) {
						continue
					}
					if c.Reported && bl.AccordingTo != c.AccordingTo {
						t.Errorf("%s: reported claim %s shown without its attribution", where, c.ID)
					}
					if !c.Reported && bl.AccordingTo != "" {
						t.Errorf("%s: claim %s is not reported but shows %q", where, c.ID, bl.Attribution())
					}
				}
				if bl.AccordingTo != "" && !strings.Contains(bot.RenderText(&bot.Reply{Sections: []bot.Section{{Bullets: []bot.Bullet{bl}}}}), "Reported, according to "+bl.AccordingTo) {
					t.Errorf("%s: the text rendering drops the attribution of %q", where, text)
				}
			}
		}
	}
	for _, cmd := range shippedCommands(set) {
		check(cmd, ask(e, cmd))
	}
	for _, kind := range []string{"overview", "united-kingdom", "ground-troops"} {
		r, _, err := e.Digest(kind, nil)
		if err != nil {
			t.Fatal(err)
		}
		check("digest "+kind, r)
	}
	if out := bot.RenderText(ask(e, "/stance uk")); !strings.Contains(out, "(d000, undated, not before 20 August 2025; reported, according to the Independent)") {
		t.Errorf("a dispute note does not say the other side is reported:\n%s", out)
	}
}

// TestReportedPositionsMarked: a stance resting only on reported claims is
// marked in the glance, the lists, the comparison and the matrix; the US
// shows its own part and what it backs others doing.
func TestReportedPositionsMarked(t *testing.T) {
	e := shipped(t)
	for _, tc := range []struct{ cmd, want string }{
		{"/stance us", "US backstop for a European-led force: offers (reported) / undecided"},
		{"/stance us", "Ground troops / reassurance force: rejects (own part) / supports (by others)"},
		{"/stance uk", "Ground troops / reassurance force: offers / undecided (reported)"},
		{"/options ground troops", "rejects: Poland (own part), Russia, United States (own part)"},
		{"/options ground troops", "supports: United States (by others)"},
		{"/options us backstop", "offers: United States (reported); undecided: United States"},
		{"/compare uk us", "Ground troops / reassurance force: United Kingdom offers / undecided (reported) · United States rejects (own part) / supports (by others)"},
		{"/compare uk us", "United States (supports, by others): Trump expects"},
		{"/matrix", "R|S"},
		{"/matrix", "O*/U"},
		{"/matrix", "O/U*"},
	} {
		if out := bot.RenderText(ask(e, tc.cmd)); !strings.Contains(out, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.cmd, tc.want, out)
		}
	}
}

// TestMatrixColumnsAligned: every row of the grid has its cells at the
// same columns as the header, however wide the cells.
func TestMatrixColumnsAligned(t *testing.T) {
	r := ask(shipped(t), "/matrix")
	lines := strings.Split(r.Sections[0].Pre, "\n")
	head := []rune(lines[0])
	var starts []int // where each column number starts
	for i, ch := range head {
		if ch != ' ' && (i == 0 || head[i-1] == ' ') {
			starts = append(starts, i)
		}
	}
	if len(starts) < 10 {
		t.Fatalf("header %q has %d columns", lines[0], len(starts))
	}
	for _, line := range lines[1:] {
		row := []rune(line)
		for _, i := range starts {
			if i >= len(row) || row[i] == ' ' || row[i-1] != ' ' {
				t.Errorf("row %q has no cell starting at column %d", line, i)
			}
		}
	}
}

// TestSplitStancesNoted: where an actor appears under two stances, the
// option lists say that sources differ, in /options and the overview
// digest as in /compare.
func TestSplitStancesNoted(t *testing.T) {
	e := shipped(t)
	want := "Sources differ (United Kingdom) — Whether the United Kingdom is still ready to send troops"
	if out := bot.RenderText(ask(e, "/options")); !strings.Contains(out, want) {
		t.Errorf("/options lacks %q", want)
	}
	r, _, err := e.Digest("overview", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out := bot.RenderText(r); !strings.Contains(out, want) {
		t.Errorf("overview digest lacks %q:\n%s", want, out)
	}
	if out := bot.RenderText(ask(e, "/options")); !strings.Contains(out, "United States appears as offers (reported) / undecided: the documents report different positions") {
		t.Errorf("/options does not note the US backstop's two stances:\n%s", out)
	}
}

var citeMarkRE = regexp.MustCompile(`\[\d+( ¶\d+(, ¶\d+)*)?\]`)

// TestParagraphsSorted: paragraph numbers in every citation mark of every
// answer go up.
func TestParagraphsSorted(t *testing.T) {
	e := shipped(t)
	for _, cmd := range shippedCommands(e.Set()) {
		for _, m := range citeMarkRE.FindAllString(bot.RenderText(ask(e, cmd)), -1) {
			prev := -1
			for _, n := range regexp.MustCompile(`¶(\d+)`).FindAllStringSubmatch(m, -1) {
				v := atoi(n[1])
				if v <= prev {
					t.Errorf("%s: %s is not in order", cmd, m)
				}
				prev = v
			}
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestSourcesOf: the "Show sources" answer lists every paragraph the
// answer cites, word for word, grouped under each document's line.
func TestSourcesOf(t *testing.T) {
	e := shipped(t)
	req := bot.Request{Platform: bot.PlatformSlack, Text: "/stance poland"}
	orig := e.Handle(context.Background(), req)
	r := e.SourcesOf(context.Background(), req)
	if r.Outcome != bot.OutcomeOK || !r.Private || !strings.Contains(r.Title, "Poland") {
		t.Fatalf("outcome %s, private %v, title %q", r.Outcome, r.Private, r.Title)
	}
	set := e.Set()
	want := map[string]bool{}
	for _, s := range orig.Sections {
		for _, bl := range s.Bullets {
			for _, c := range bl.Cites {
				for _, p := range c.Paras {
					want[orig.Sources[c.Source-1].Doc+":"+p] = true
				}
			}
		}
	}
	got := map[string]bool{}
	for _, s := range r.Sections {
		for _, bl := range s.Bullets {
			doc := r.Sources[bl.Cites[0].Source-1].Doc
			para := bl.Cites[0].Paras[0]
			d, _ := set.Corpus.Doc(doc)
			p, _ := d.Paragraph(para)
			if bl.Verbatim != p.Text || !strings.HasPrefix(s.Heading, doc+": ") {
				t.Errorf("%s:%s: verbatim %q under %q", doc, para, bl.Verbatim, s.Heading)
			}
			got[doc+":"+para] = true
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d paragraphs shown, the answer cites %d", len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Errorf("%s cited but not shown", k)
		}
	}
	if r := e.SourcesOf(context.Background(), bot.Request{Text: "/help"}); r.Outcome == bot.OutcomeOK || len(r.Sections) > 0 {
		t.Errorf("/help cites nothing, yet: %+v", r)
	}
}

// TestWhoShowsClaimsAboutThem: /who lists claims about a person as well as
// their words, with the dispute they are part of.
func TestWhoShowsClaimsAboutThem(t *testing.T) {
	out := bot.RenderText(ask(shipped(t), "/who starmer"))
	for _, want := range []string{"About them in other briefs", "ready to follow up his words", "reportedly reconsidering", "Reported, according to the Independent."} {
		if !strings.Contains(out, want) {
			t.Errorf("/who starmer lacks %q:\n%s", want, out)
		}
	}
}
