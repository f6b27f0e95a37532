package discord

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// checkMessages fails t if any message passes one of Discord's limits.
func checkMessages(t *testing.T, what string, msgs []message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatalf("%s: no messages", what)
	}
	for i, m := range msgs {
		where := fmt.Sprintf("%s: message %d", what, i+1)
		if size(m.Content) > maxContent {
			t.Errorf("%s: content %d > %d", where, size(m.Content), maxContent)
		}
		if len(m.Embeds) == 0 || len(m.Embeds) > maxEmbeds {
			t.Errorf("%s: %d embeds", where, len(m.Embeds))
		}
		total, content := 0, 0
		for j, e := range m.Embeds {
			total += checkEmbed(t, fmt.Sprintf("%s embed %d", where, j+1), e)
			content += size(e.Description) + len(e.Fields)
			if e.Image != nil {
				content++
			}
		}
		if i > 0 && content == 0 {
			t.Errorf("%s: a message that holds only its title and the footer", where)
		}
		if total > maxEmbedTotal {
			t.Errorf("%s: %d characters in embeds > %d", where, total, maxEmbedTotal)
		}
	}
}

func checkEmbed(t *testing.T, where string, e *discordgo.MessageEmbed) int {
	t.Helper()
	n := size(e.Title) + size(e.Description)
	if size(e.Title) > maxTitle {
		t.Errorf("%s: title %d > %d", where, size(e.Title), maxTitle)
	}
	if size(e.Description) > maxDescription {
		t.Errorf("%s: description %d > %d", where, size(e.Description), maxDescription)
	}
	if len(e.Fields) > maxFields {
		t.Errorf("%s: %d fields > %d", where, len(e.Fields), maxFields)
	}
	for _, f := range e.Fields {
		n += size(f.Name) + size(f.Value)
		if f.Name == "" || size(f.Name) > maxFieldName || f.Value == "" || size(f.Value) > maxFieldValue {
			t.Errorf("%s: field %q: name %d, value %d", where, f.Name, size(f.Name), size(f.Value))
		}
	}
	if e.Footer != nil {
		n += size(e.Footer.Text)
		if size(e.Footer.Text) > maxFooter {
			t.Errorf("%s: footer %d > %d", where, size(e.Footer.Text), maxFooter)
		}
	}
	if n == 0 && (e.Image == nil || !strings.HasPrefix(e.Image.URL, "attachment://")) {
		t.Errorf("%s: empty embed", where)
	}
	return n
}

// checkPreviewMentions fails t unless every payload allows no mentions.
func checkPreviewMentions(t *testing.T, what string, raw []byte) {
	t.Helper()
	var payloads []struct {
		AllowedMentions *struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(raw, &payloads); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for i, p := range payloads {
		am := p.AllowedMentions
		if am == nil || am.Parse == nil || len(am.Parse)+len(am.Users)+len(am.Roles) != 0 {
			t.Errorf("%s: payload %d allowed_mentions %+v", what, i+1, am)
		}
	}
	if !strings.Contains(string(raw), `"parse": []`) {
		t.Errorf("%s: no empty parse list in the JSON", what)
	}
}

// TestRenderEveryCommand renders every command of the table, bare and with
// each of its examples, over the shipped briefs.
func TestRenderEveryCommand(t *testing.T) {
	e := shippedEngine(t, nil)
	for _, cmd := range e.Commands() {
		for _, text := range append([]string{"/" + cmd.Name}, cmd.Examples...) {
			r := e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: text})
			checkMessages(t, text, render(r))
			for _, preview := range []func() ([]byte, error){
				func() ([]byte, error) { return Preview(r) },
				func() ([]byte, error) { return PreviewReply(r, text) },
			} {
				raw, err := preview()
				if err != nil {
					t.Fatal(err)
				}
				checkPreviewMentions(t, text, raw)
			}
		}
	}
}

// TestRenderEveryBrief renders the answer about every actor, option,
// person and document the briefs know.
func TestRenderEveryBrief(t *testing.T) {
	e := shippedEngine(t, nil)
	for kind, cmd := range map[bot.ArgKind]string{bot.ArgActor: "/stance ", bot.ArgOption: "/options ", bot.ArgPerson: "/who ", bot.ArgDocument: "/sources "} {
		for _, c := range e.Complete(kind, "", 1000) {
			text := cmd + c.Value
			r := e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: text})
			if r.Outcome != bot.OutcomeOK {
				t.Errorf("%s: %s", text, r.Outcome)
			}
			checkMessages(t, text, render(r))
		}
	}
}

// stressReply passes every limit several times over.
func stressReply() *bot.Reply {
	r := &bot.Reply{Command: "stress", Outcome: bot.OutcomeOK, Private: true,
		Title: strings.Repeat("Long title ", 40), AsOf: "1 August 2025",
		Intro: bot.Text{{Text: strings.Repeat("intro ", 1000)}, {Text: "@everyone <@123> **bold**", User: true}}}
	for s := 0; s < 12; s++ {
		sec := bot.Section{Heading: fmt.Sprintf("Section %d %s", s, strings.Repeat("h", 300))}
		for b := 0; b < 30; b++ {
			sec.Bullets = append(sec.Bullets, bot.Bullet{
				Text:  bot.Plain(fmt.Sprintf("mark-%d-%d %s", s, b, strings.Repeat("claim words ", 20+b*5))),
				Quote: strings.Repeat("quoted ", b), QuoteBy: "Someone",
				Cites: []bot.Cite{{Source: 1, Paras: []string{"p1", "p2"}}},
				Notes: []bot.Text{bot.Plain("Sources differ — on the numbers")},
			})
		}
		r.Sections = append(r.Sections, sec)
	}
	r.Sections = append(r.Sections, bot.Section{Heading: "Matrix", Pre: strings.Repeat("row | cell | cell | ```\n", 800)})
	for i := 1; i <= 200; i++ {
		r.Sources = append(r.Sources, bot.Source{N: i, Doc: fmt.Sprintf("d%03d", i), Title: "A document title", Outlet: "Outlet", Date: "1 August 2025"})
	}
	return r
}

func TestRenderStressSplitsWithoutLoss(t *testing.T) {
	r := stressReply()
	msgs := render(r)
	checkMessages(t, "stress", msgs)
	if len(msgs) < 5 {
		t.Errorf("stress reply fits %d messages; expected many", len(msgs))
	}
	var all strings.Builder
	for _, m := range msgs {
		for _, e := range m.Embeds {
			all.WriteString(e.Description + "\n")
			for _, f := range e.Fields {
				all.WriteString(f.Value + "\n")
			}
			if e.Footer != nil {
				all.WriteString(e.Footer.Text + "\n")
			}
		}
	}
	text := all.String()
	for s := range 12 {
		for b := range 30 {
			if n := strings.Count(text, fmt.Sprintf("mark-%d-%d ", s, b)); n != 1 {
				t.Fatalf("bullet mark-%d-%d appears %d times", s, b, n)
			}
		}
	}
	if got, want := strings.Count(text, "row | cell"), 800; got != want {
		t.Errorf("matrix rows: %d, want %d", got, want)
	}
	if got, want := strings.Count(text, "claim words"), countWords(r); got != want {
		t.Errorf("claim words: %d, want %d (text was cut)", got, want)
	}
	if !strings.Contains(text, "d200") || !strings.Contains(text, "As of 1 August 2025") {
		t.Error("sources or date missing")
	}
	for _, bad := range []string{"@everyone", "<@123>", "*bold*"} {
		if !escaped(text, bad) {
			t.Errorf("user text %q not neutralised", bad)
		}
	}
}

func countWords(r *bot.Reply) int {
	n := 0
	for _, s := range r.Sections {
		for _, b := range s.Bullets {
			n += strings.Count(b.Text.String(), "claim words")
		}
	}
	return n
}

// TestRenderNeutralisesUserText: echoed input cannot format, mention or link.
func TestRenderNeutralisesUserText(t *testing.T) {
	r := &bot.Reply{Outcome: bot.OutcomeNotFound, Title: "No actor by that name", Private: true,
		Intro: bot.Text{{Text: "I don't know any actor called “"}, {Text: "@everyone @here <@&42> <#7> [x](https://evil.example) ||s|| `c` *i*", User: true}, {Text: "”."}}}
	d := render(r)[0].Embeds[0].Description
	for _, bad := range []string{"@everyone", "@here", "<@&42>", "<#7>", "](https://", "||s||", "`c`", "*i*"} {
		if !escaped(d, bad) {
			t.Errorf("description keeps %q: %s", bad, d)
		}
	}
	if !strings.Contains(d, `\@everyone`) || !strings.Contains(d, `\<\#7\>`) {
		t.Errorf("description %s", d)
	}
}

// escaped reports whether every occurrence of bad's first character in s,
// where bad would otherwise start, is escaped by a backslash, and bad's
// raw form does not occur unescaped.
func escaped(s, bad string) bool {
	for i := strings.Index(s, bad); i >= 0; {
		if i == 0 || s[i-1] != '\\' {
			return false
		}
		next := strings.Index(s[i+1:], bad)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return true
}

func TestSplitKeepsEscapes(t *testing.T) {
	s := strings.Repeat(`\*`, 100)
	for _, piece := range split(s, 7) {
		if trailingBackslashes(piece)%2 == 1 || size(piece) > 7 {
			t.Fatalf("piece %q", piece)
		}
	}
	if strings.Join(split(s, 7), "") != s {
		t.Error("split lost text")
	}
	if got := strings.Join(split("héllo wörld 🎉🎉🎉", 4), "|"); strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("split broke a character: %q", got)
	}
}

// TestGolden pins the embeds of a few answers over the fixture briefs.
// After a deliberate change run `go test ./bot/discord -run Golden -update`
// and review the diff.
func TestGolden(t *testing.T) {
	e := fixtureEngine(t, nil)
	for _, text := range []string{"/stance poland", "/compare uk poland", "/options", "/stance narnia", "/help"} {
		name := strings.NewReplacer("/", "", " ", "_").Replace(text)
		t.Run(name, func(t *testing.T) {
			got, err := PreviewReply(e.Handle(t.Context(), bot.Request{Platform: bot.PlatformDiscord, Text: text}), text)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s changed; run go test ./bot/discord -run Golden -update and review the diff.\ngot:\n%s", text, got)
			}
		})
	}
}

// TestFooterNeverAlone: when the last section only just fits a message,
// the footer (sources and date) does not go into a message of its own:
// the last field moves with it.
func TestFooterNeverAlone(t *testing.T) {
	var srcs []bot.Source
	for i := range 8 {
		srcs = append(srcs, bot.Source{N: i + 1, Doc: fmt.Sprintf("d%03d", i), Title: strings.Repeat("A long title of a document ", 4), Date: "1 January 2025"})
	}
	for fill := 5000; fill < 6000; fill += 37 {
		var bl []bot.Bullet
		for n := 0; n < fill; n += 500 {
			bl = append(bl, bot.Bullet{Text: bot.Plain(strings.Repeat("word ", 99)), Cites: []bot.Cite{{Source: 1, Paras: []string{"p1"}}}})
		}
		r := &bot.Reply{Outcome: bot.OutcomeOK, Title: "Title", Sections: []bot.Section{{Heading: "Section", Bullets: bl}}, Sources: srcs, AsOf: "1 January 2025"}
		msgs := render(r)
		checkMessages(t, fmt.Sprintf("fill %d", fill), msgs)
		last := msgs[len(msgs)-1].Embeds
		if f := last[len(last)-1].Footer; f == nil || !strings.Contains(f.Text, "d007") {
			t.Errorf("fill %d: the last embed has no footer with the sources", fill)
		}
	}
}
