package slack

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot/bot"
)

var update = flag.Bool("update", false, "rewrite golden files")

// badEntity finds an & that does not start one of our three escapes, and
// raw angle brackets: either could become a link or a mention.
var badEntity = regexp.MustCompile(`&(?:amp|lt|gt);|[&<>]`)

var ownLink = regexp.MustCompile(`<https?://[^|<> ]+\|([^<>]*)>`)

func checkEscaped(t *testing.T, where, s string) {
	t.Helper()
	// A > opening a line is our own blockquote markup, and <https://…|…>
	// our own link to a document's address, and "Shared by <@U…>" our own
	// mention of who shared an answer.
	s = regexp.MustCompile(`(?m)^>`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`Shared by <@[A-Z0-9]+>`).ReplaceAllString(s, "")
	s = ownLink.ReplaceAllString(s, "$1")
	for _, m := range badEntity.FindAllString(s, -1) {
		if len(m) == 1 {
			t.Errorf("%s: unescaped %q in %q", where, m, clip(s))
			return
		}
	}
}

// checkLimits checks one message against Slack's Block Kit limits and
// returns all of its text.
func checkLimits(t *testing.T, name string, m wire) string {
	t.Helper()
	if m.Text == "" {
		t.Errorf("%s: no fallback text", name)
	}
	checkEscaped(t, name+" text", m.Text)
	if len(m.Blocks) == 0 || len(m.Blocks) > maxBlocks {
		t.Errorf("%s: %d blocks, want 1 to %d", name, len(m.Blocks), maxBlocks)
	}
	var all strings.Builder
	tables := 0
	for i, b := range m.Blocks {
		where := fmt.Sprintf("%s block %d (%s)", name, i, b.Type)
		switch b.Type {
		case "header":
			if n := utf8.RuneCountInString(b.Text.Text); n == 0 || n > maxHeaderText || b.Text.Type != "plain_text" {
				t.Errorf("%s: %s header of %d characters", where, b.Text.Type, n)
			}
			all.WriteString(b.Text.Text + "\n")
			checkEscaped(t, where, b.Text.Text)
		case "section":
			if n := utf8.RuneCountInString(b.Text.Text); n == 0 || n > maxSectionText {
				t.Errorf("%s: section text of %d characters", where, n)
			}
			all.WriteString(b.Text.Text + "\n")
			checkEscaped(t, where, b.Text.Text)
		case "context":
			if n := len(b.Elements); n == 0 || n > maxContextElements {
				t.Errorf("%s: %d context elements", where, n)
			}
			for _, e := range b.Elements {
				if n := utf8.RuneCountInString(e.text()); n == 0 || n > maxContextText {
					t.Errorf("%s: context text of %d characters", where, n)
				}
				all.WriteString(e.text() + "\n")
				checkEscaped(t, where, e.text())
			}
		case "actions":
			for _, e := range b.Elements {
				if (e.ActionID != shareActionID && e.ActionID != sourcesActionID) || e.Value == "" || len(e.Value) > maxButtonValue {
					t.Errorf("%s: button %q value of %d bytes", where, e.ActionID, len(e.Value))
				}
			}
		case "table":
			all.WriteString(checkTable(t, where, b, &tables))
		case "divider":
		default:
			t.Errorf("%s: unexpected block type", where)
		}
	}
	return all.String()
}

// checkTable checks a table block against Slack's limits (one a message,
// at most 100 rows of 20 cells, no empty cell) and returns its text.
func checkTable(t *testing.T, where string, b wireBlock, tables *int) string {
	t.Helper()
	if *tables++; *tables > 1 {
		t.Errorf("%s: a second table in one message", where)
	}
	if len(b.Rows) == 0 || len(b.Rows) > tableMaxRows {
		t.Errorf("%s: %d rows", where, len(b.Rows))
	}
	var all strings.Builder
	for i, row := range b.Rows {
		if len(row) == 0 || len(row) > tableMaxCells || len(row) != len(b.Rows[0]) {
			t.Errorf("%s: row %d has %d cells (the first has %d)", where, i, len(row), len(b.Rows[0]))
		}
		for _, c := range row {
			if c.text() == "" || (c.Type != "raw_text" && c.Type != "rich_text") {
				t.Errorf("%s: row %d: %s cell %q", where, i, c.Type, c.text())
			}
			all.WriteString(c.text() + "\n")
		}
	}
	return all.String()
}

// renderWire renders r as PreviewCommand does and decodes the JSON sent.
func renderWire(t *testing.T, r *bot.Reply, command string) []wire {
	t.Helper()
	msgs := Render(r, command)
	out := make([]payload, len(msgs))
	for i, m := range msgs {
		out[i] = newPayload(m, ephemeral)
		if i > 0 {
			out[i] = out[i].followUp()
		}
	}
	b, err := marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var wires []wire
	if err := jsonUnmarshal(b, &wires); err != nil {
		t.Fatalf("preview is not JSON: %v", err)
	}
	return wires
}

// commandLines returns, for every command in the table, its examples, the
// bare command, and the command with unknown arguments.
func commandLines(cmds []bot.Command) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, "/"+c.Name, "/"+c.Name+" no-such-thing")
		out = append(out, c.Examples...)
	}
	return out
}

func TestEveryCommandWithinLimits(t *testing.T) {
	eng := shippedEngine(t)
	lines := commandLines(eng.Commands())
	lines = append(lines, "/nosuchcommand", "/stance <!channel> @here <@U024BE7LH> & *bold* `code`")
	seen := map[string]bool{}
	for _, line := range lines {
		r := eng.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", Text: line})
		seen[r.Command] = true
		msgs := renderWire(t, r, line)
		for i, m := range msgs {
			text := checkLimits(t, fmt.Sprintf("%q message %d", line, i+1), m)
			for _, bad := range []string{"<!channel>", "<!here>", "<@U024BE7LH>"} {
				if strings.Contains(text, bad) {
					t.Errorf("%q: user text formed %s", line, bad)
				}
			}
		}
		if r.Outcome == bot.OutcomeOK && !hasShareButton(msgs[len(msgs)-1]) {
			t.Errorf("%q: answer has no Share in channel button", line)
		}
	}
	for _, c := range eng.Commands() {
		if !seen[c.Name] {
			t.Errorf("command %q was never answered", c.Name)
		}
	}
}

func hasShareButton(m wire) bool {
	for _, b := range m.Blocks {
		if b.Type == "actions" && b.BlockID == shareBlockID {
			return true
		}
	}
	return false
}

func TestUserTextNeutralised(t *testing.T) {
	r := &bot.Reply{Outcome: bot.OutcomeNotFound, Title: "No actor",
		Intro: bot.Text{{Text: "No actor “"}, {Text: "<!channel> @here `x` *b* <@U1>", User: true}, {Text: "” & more."}}}
	m := renderWire(t, r, "")[0]
	got := m.Blocks[1].Text.Text
	want := "No actor “`&lt;!channel&gt; @here ˋxˋ *b* &lt;@U1&gt;`” &amp; more."
	if got != want {
		t.Errorf("intro =\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(m.Text, "@here") {
		t.Errorf("fallback text %q can ping @here", m.Text)
	}
}

// stressReply is far larger than one Slack message: long sections, long
// bullets, a long preformatted block, many sources. Every bullet carries a
// marker word so tests can prove nothing was cut.
func stressReply() (*bot.Reply, []string) {
	r := &bot.Reply{Command: "stress", Outcome: bot.OutcomeOK, AsOf: "20 August 2025",
		Title: strings.Repeat("A very long title & more ", 12)}
	var markers []string
	for s := 0; s < 40; s++ {
		sec := bot.Section{Heading: fmt.Sprintf("Section %d <x>", s)}
		for b := 0; b < 6; b++ {
			mk := fmt.Sprintf("marker%03d%02d", s, b)
			markers = append(markers, mk)
			text := mk + " " + strings.Repeat("word & <b> ", 40*(b+1))
			sec.Bullets = append(sec.Bullets, bot.Bullet{Text: bot.Plain(text),
				Quote: "said " + mk, QuoteBy: "Someone", Cites: []bot.Cite{{Source: 1, Paras: []string{"p1", "p2"}}},
				Notes: []bot.Text{bot.Plain("Sources differ.")}})
		}
		if s%10 == 0 {
			mk := fmt.Sprintf("premarker%03d", s)
			markers = append(markers, mk)
			sec.Pre = mk + "\n" + strings.Repeat("col1  col2  col3 & <tag>\n", 300)
		}
		r.Sections = append(r.Sections, sec)
	}
	huge := "hugemarker " + strings.Repeat("x", 7000) // one word longer than a section
	markers = append(markers, "hugemarker")
	r.Sections = append(r.Sections, bot.Section{Bullets: []bot.Bullet{{Text: bot.Plain(huge)}}})
	for i := 1; i <= 25; i++ {
		mk := fmt.Sprintf("source%02d", i)
		markers = append(markers, mk)
		r.Sources = append(r.Sources, bot.Source{N: i, Doc: fmt.Sprintf("d%03d", i), Title: mk + " title", Date: "20 August 2025"})
	}
	return r, markers
}

func TestStressReplySplitNotCut(t *testing.T) {
	r, markers := stressReply()
	msgs := renderWire(t, r, "/stress")
	if len(msgs) < 3 {
		t.Fatalf("%d messages; a reply this large needs several", len(msgs))
	}
	var all strings.Builder
	for i, m := range msgs {
		all.WriteString(checkLimits(t, fmt.Sprintf("message %d", i+1), m))
	}
	text := all.String()
	for _, mk := range markers {
		if !strings.Contains(text, mk) {
			t.Errorf("%s missing from the rendered messages", mk)
		}
	}
	if got, want := strings.Count(text, "word &amp; &lt;b&gt;"), 40*6*40*7/2; got < want {
		t.Errorf("%d repeated phrases rendered, want at least %d", got, want)
	}
	if got := strings.Count(strings.ReplaceAll(text, "\n", ""), "x"); got < 7000 {
		t.Errorf("the 7,000-character word lost characters: %d x's", got)
	}
	if !hasShareButton(msgs[len(msgs)-1]) {
		t.Error("last message has no Share button")
	}
}

func TestGolden(t *testing.T) {
	eng := fixtureEngine(t)
	for _, line := range []string{"/stance poland", "/help", "/matrix", "/stance atlantis"} {
		r := eng.Handle(context.Background(), bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", Text: line})
		got, err := PreviewCommand(r, line)
		if err != nil {
			t.Fatal(err)
		}
		got, err = indentJSON(got)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join("testdata", "golden", strings.ReplaceAll(strings.TrimPrefix(line, "/"), " ", "_")+".json")
		if *update {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v (run go test ./bot/slack -run TestGolden -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; if the change is intended, run with -update\ngot:\n%s", line, name, got)
		}
	}
}

func TestPreviewHasNoButton(t *testing.T) {
	r := fixtureEngine(t).Handle(context.Background(), bot.Request{Text: "/stance poland"})
	b, err := Preview(r)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []wire
	if err := jsonUnmarshal(b, &msgs); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || hasShareButton(msgs[0]) || msgs[0].ResponseType != "" {
		t.Errorf("preview of a post: %d messages, button %v, response_type %q", len(msgs), hasShareButton(msgs[0]), msgs[0].ResponseType)
	}
	checkLimits(t, "preview", msgs[0])
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"line one\nline two", 12, []string{"line one", "line two"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"ab&amp;cd", 5, []string{"ab", "&amp;", "cd"}},
		{"ééééé", 2, []string{"éé", "éé", "é"}},
	}
	for _, tt := range tests {
		got := splitText(tt.in, tt.limit)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}
