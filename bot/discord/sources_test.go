package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// TestHTTPShowSources: an answer that cites paragraphs carries Show
// sources; pressing it answers the presser alone with the paragraphs word
// for word, without a ping.
func TestHTTPShowSources(t *testing.T) {
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, newFakeDiscord(t).srv.URL)
	w := serve(a, k.signed(commandJSON("ss1", 2, "stance", 0, opt{Name: "actor", Type: 3, Value: "poland"}), time.Now()))
	id := buttonCustomID(t, decode(t, w.Body.Bytes()), "Show sources")
	if id != "sources:/stance poland" {
		t.Errorf("custom id %q", id)
	}
	w = serve(a, k.signed(buttonJSON("ss2", id), time.Now()))
	if w.Code != http.StatusOK {
		t.Fatalf("show sources: %d %s", w.Code, w.Body)
	}
	d := decode(t, w.Body.Bytes())
	if d.Type != 4 || d.Data.Flags&64 == 0 {
		t.Errorf("type %d flags %d, want a private message", d.Type, d.Data.Flags)
	}
	if len(d.Data.Components) != 0 {
		t.Error("the sources answer has buttons")
	}
	checkNoMentions(t, "sources", d)
	var v any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprint(v)
	for _, want := range []string{`> Defense Minister Władysław Kosiniak-Kamysz rejects the deployment of Polish troops.`, "Sources, word for word"} {
		if !strings.Contains(body, want) {
			t.Errorf("sources answer lacks %q:\n%s", want, body)
		}
	}
	// An expired long id answers privately, running nothing.
	n := c.n.Load()
	w = serve(a, k.signed(buttonJSON("ss3", "sourceskey:NOPE"), time.Now()))
	if d := decode(t, w.Body.Bytes()); d.Data.Flags&64 == 0 || c.n.Load() != n || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("expired button: flags %d, %d runs: %s", d.Data.Flags, c.n.Load()-n, w.Body)
	}
}

// TestNoShowSourcesWithoutParagraphs: help cites nothing and gets no Show
// sources button; its Share button stays.
func TestNoShowSourcesWithoutParagraphs(t *testing.T) {
	msgs, err := PreviewReply(&bot.Reply{Outcome: bot.OutcomeOK, Private: true, Title: "Help",
		Sections: []bot.Section{{Bullets: []bot.Bullet{{Text: bot.Plain("/stance")}}}}}, "/help")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(msgs), "Show sources") || !strings.Contains(string(msgs), "Share in channel") {
		t.Errorf("buttons: %s", msgs)
	}
}

// TestLinksAndAttribution: citations link to a document's address, the
// sources then go in a field (a footer cannot link), and a reported claim
// carries whom it rests on.
func TestLinksAndAttribution(t *testing.T) {
	r := &bot.Reply{Outcome: bot.OutcomeOK, Title: "T", AsOf: "20 August 2025",
		Sections: []bot.Section{{Heading: "H", Bullets: []bot.Bullet{{Text: bot.Plain("A claim."), AccordingTo: "four European officials",
			Cites: []bot.Cite{{Source: 1, Paras: []string{"p3"}}, {Source: 2, Paras: []string{"p1"}}}}}}},
		Sources: []bot.Source{{N: 1, Doc: "d1", Title: "One", Date: "undated", URL: "https://example.org/a"}, {N: 2, Doc: "d2", Title: "Two", Date: "undated"}}}
	msgs := render(r)
	e := msgs[0].Embeds[0]
	var fields strings.Builder
	for _, f := range e.Fields {
		fields.WriteString(f.Name + "\n" + f.Value + "\n")
	}
	for _, want := range []string{`[\[1 ¶3\]](<https://example.org/a>)\[2 ¶1\]`, "*Reported, according to four European officials.*", "[One](<https://example.org/a>)"} {
		if !strings.Contains(fields.String(), want) {
			t.Errorf("lacks %q:\n%s", want, fields.String())
		}
	}
	if e.Footer == nil || strings.Contains(e.Footer.Text, "d1: One") || !strings.Contains(e.Footer.Text, "As of 20 August 2025") {
		t.Errorf("footer %+v", e.Footer)
	}
}
