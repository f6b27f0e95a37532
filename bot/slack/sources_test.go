package slack

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

func sourcesBody(user, channel, messageTs, command, responseURL string) string {
	p := map[string]any{
		"type":         "block_actions",
		"user":         map[string]string{"id": user},
		"channel":      map[string]string{"id": channel},
		"container":    map[string]any{"type": "message", "message_ts": messageTs, "channel_id": channel, "is_ephemeral": true},
		"response_url": responseURL,
		"actions":      []map[string]string{{"action_id": sourcesActionID, "block_id": sourcesBlockID, "type": "button", "value": command}},
	}
	b, _ := json.Marshal(p)
	return url.Values{"payload": {string(b)}}.Encode()
}

// TestAnswerHasShowSources: a private answer that cites paragraphs carries
// Show sources beside Share; one that cites none (help) carries neither.
func TestAnswerHasShowSources(t *testing.T) {
	e := fixtureEngine(t)
	msgs := Render(e.Handle(t.Context(), requestFor("/stance poland")), "/stance poland")
	last := msgs[len(msgs)-1].Blocks
	var ids []string
	for _, b := range last {
		if b.BlockType() == "actions" {
			ids = append(ids, b.ID())
		}
	}
	if strings.Join(ids, ",") != sourcesBlockID+","+shareBlockID {
		t.Errorf("action blocks %v, want Show sources then Share", ids)
	}
	for _, b := range Render(e.Handle(t.Context(), requestFor("/help")), "/help")[0].Blocks {
		if b.ID() == sourcesBlockID {
			t.Error("/help cites nothing but has Show sources")
		}
	}
}

// TestShowSourcesPrivately: pressing Show sources posts, privately and
// without replacing the answer, the cited paragraphs word for word; a
// double press posts once.
func TestShowSourcesPrivately(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	eng := &countingEngine{next: fixtureEngine(t)}
	a := newTestAdapter(t, eng, clock, Options{})
	ru := newFakeResponseURL(t)
	body := sourcesBody("U1", "C1", "1700000000.000200", "/stance poland", ru.srv.URL)
	for range 2 {
		if w := serve(a, signedRequest("/slack/interactivity", body, clock.Now())); w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
	}
	a.bg.Wait()
	posts := ru.got()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.ResponseType != ephemeral || p.ReplaceOriginal == nil || *p.ReplaceOriginal {
		t.Errorf("response_type %q, replace_original %v: want a private message beside the answer", p.ResponseType, p.ReplaceOriginal)
	}
	all := checkLimits(t, "sources", p)
	for _, want := range []string{">Defense Minister Władysław Kosiniak-Kamysz rejects the deployment of Polish troops.", "d000: Putin and the security guarantees", "Sources, word for word"} {
		if !strings.Contains(all, want) {
			t.Errorf("Show sources lacks %q:\n%s", want, all)
		}
	}
	if req := eng.lastRequest(); !req.Sources || req.Text != "/stance poland" {
		t.Errorf("engine asked %+v", req)
	}
}

// TestShowSourcesNeverCutSilently: when the paragraphs need more messages
// than a response_url takes, the last one names what was left out and the
// /sources commands that show it.
func TestShowSourcesNeverCutSilently(t *testing.T) {
	long := strings.Repeat("A paragraph of some length, word for word. ", 60)
	r := &bot.Reply{Outcome: bot.OutcomeOK, Title: "Sources, word for word: test", Private: true}
	for i := 1; i <= 12; i++ {
		r.Sources = append(r.Sources, bot.Source{N: i, Doc: "d" + string(rune('a'+i)), Title: "T", Date: "undated"})
		r.Sections = append(r.Sections, bot.Section{Heading: "doc", Bullets: []bot.Bullet{
			{Text: bot.Plain("¶1"), Cites: []bot.Cite{{Source: i, Paras: []string{"p1"}}}, Verbatim: long},
			{Text: bot.Plain("¶2"), Cites: []bot.Cite{{Source: i, Paras: []string{"p2"}}}, Verbatim: long},
		}})
	}
	if n := len(Render(r, "")); n <= maxResponseUses {
		t.Fatalf("the test reply fits in %d messages; make it longer", n)
	}
	msgs := fitMessages(r, maxResponseUses, bot.NewNaming(bot.PlatformSlack, "bb-", []bot.Command{{Name: "sources"}}))
	if len(msgs) > maxResponseUses {
		t.Fatalf("%d messages, limit %d", len(msgs), maxResponseUses)
	}
	var all strings.Builder
	for _, m := range msgs {
		all.WriteString(checkLimits(t, "fit", wireOf(t, m)))
	}
	text := all.String()
	if !strings.Contains(text, "Not shown here") || !strings.Contains(text, "• /bb-sources ") || !strings.Contains(text, "dm:p1 dm:p2") {
		t.Errorf("the left-out paragraphs are not named:\n%s", text[max(0, len(text)-600):])
	}
	for i := 1; i <= 12; i++ {
		doc := "d" + string(rune('a'+i))
		for _, p := range []string{"1", "2"} {
			shown := strings.Contains(text, "["+strconv.Itoa(i)+" ¶"+p+"]")
			named := strings.Contains(text, doc+":p"+p)
			if shown == named {
				t.Errorf("%s ¶%s: shown %v, named as left out %v; want one of them", doc, p, shown, named)
			}
		}
	}
}

func wireOf(t *testing.T, m Message) wire {
	b, err := marshal(newPayload(m, ephemeral))
	if err != nil {
		t.Fatal(err)
	}
	return decodeWire(t, b)
}

// TestCitationsLinkToDocuments: where a document has an address, its
// citation marks and its line in the sources link to it.
func TestCitationsLinkToDocuments(t *testing.T) {
	r := &bot.Reply{Outcome: bot.OutcomeOK, Title: "T",
		Sections: []bot.Section{{Bullets: []bot.Bullet{{Text: bot.Plain("A claim."), Cites: []bot.Cite{{Source: 1, Paras: []string{"p3"}}, {Source: 2, Paras: []string{"p1"}}}}}}},
		Sources:  []bot.Source{{N: 1, Doc: "d1", Title: "One", Date: "undated", URL: "https://example.org/a?x=1&y=2"}, {N: 2, Doc: "d2", Title: "Two", Date: "undated"}}}
	w := wireOf(t, Render(r, "")[0])
	all := checkLimits(t, "links", w)
	for _, want := range []string{"<https://example.org/a?x=1&amp;y=2|[1 ¶3]>[2 ¶1]", "d1: <https://example.org/a?x=1&amp;y=2|One>"} {
		if !strings.Contains(all, want) {
			t.Errorf("lacks %q:\n%s", want, all)
		}
	}
}
