package discord

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// hugeCommand answers /huge with the shipped /timeline multiplied until it
// is far past what one chat answer may take; every bullet starts with a tag
// item0001, item0002, … so that what was sent can be counted.
func hugeCommand(t *testing.T) (bot.Command, int) {
	t.Helper()
	base := shippedEngine(t, nil).Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: "/timeline"})
	huge, n := multiply(base, 30)
	if n < 200 {
		t.Fatalf("the multiplied answer has %d items; it must be huge", n)
	}
	return bot.Command{Name: "huge", Summary: "The timeline thirty times",
		Run: func(context.Context, bot.Request, string) *bot.Reply { return huge }}, n
}

// multiply repeats r's sections times times, tagging every bullet.
func multiply(r *bot.Reply, times int) (*bot.Reply, int) {
	out := *r
	out.Command, out.Sections = "huge", nil
	n := 0
	for k := 0; k < times; k++ {
		for _, s := range r.Sections {
			c := s
			c.Bullets = nil
			for _, b := range s.Bullets {
				n++
				b.Text = append(bot.Text{{Text: fmt.Sprintf("item%04d ", n)}}, b.Text...)
				c.Bullets = append(c.Bullets, b)
			}
			out.Sections = append(out.Sections, c)
		}
	}
	return &out, n
}

var cutNotice = regexp.MustCompile(`Cut short: (\d+) of (\d+) items not shown`)

// checkNothingDroppedSilently checks that the sent text holds items 1..k in
// order with none missing, and that its notice counts the rest.
func checkNothingDroppedSilently(t *testing.T, sent string, total int) {
	t.Helper()
	m := cutNotice.FindStringSubmatch(sent)
	if m == nil {
		t.Fatal("the answer was cut without saying so")
	}
	hidden, _ := strconv.Atoi(m[1])
	all, _ := strconv.Atoi(m[2])
	if all != total {
		t.Errorf("the notice counts %d items, the answer has %d", all, total)
	}
	shown := total - hidden
	if shown < 1 {
		t.Fatalf("nothing of the answer was shown (%d hidden)", hidden)
	}
	for i := 1; i <= total; i++ {
		tag := fmt.Sprintf("item%04d ", i)
		if got := strings.Contains(sent, tag); got != (i <= shown) {
			t.Fatalf("item %d sent: %v; the notice says the first %d were shown", i, got, shown)
		}
	}
	if !strings.Contains(sent, "/ask") && !strings.Contains(sent, "/#") {
		t.Error("the notice does not say where to read the rest")
	}
}

func TestHugeAnswerCappedWithNotice(t *testing.T) {
	fake := newFakeDiscord(t)
	huge, total := hugeCommand(t)
	a := newGatewayAdapter(t, shippedEngine(t, nil, huge), fake.srv.URL)
	a.onInteraction(nil, event(t, commandJSON("h1", 2, "huge", 0)))
	calls := fake.all()
	if len(calls) != bot.MaxMessages {
		t.Fatalf("%d messages sent, want %d (bot.MaxMessages)", len(calls), bot.MaxMessages)
	}
	var sent strings.Builder
	for _, c := range calls {
		sent.Write(c.Body)
	}
	checkNothingDroppedSilently(t, sent.String(), total)
	if last := string(calls[len(calls)-1].Body); !cutNotice.MatchString(last) {
		t.Error("the notice is not in the last message")
	}
}

func TestHugeShareCappedWithNoticeAndReaderURL(t *testing.T) {
	fake := newFakeDiscord(t)
	huge, total := hugeCommand(t)
	audit := &recordingAuditor{}
	a, err := New(shippedEngine(t, nil, huge), Options{Mode: ModeGateway, AppID: "100000000000000001", BotToken: "test-token",
		APIURL: fake.srv.URL, ConsoleURL: "https://briefs.example.org/", Audit: audit})
	if err != nil {
		t.Fatal(err)
	}
	a.onInteraction(nil, event(t, buttonJSON("h2", "share:/huge")))
	calls := fake.all()
	if n := len(calls); n != bot.MaxMessages+1 || calls[n-1].Method != "GET" {
		t.Fatalf("%d requests, want %d messages shared and the GET of the shared message's id", n, bot.MaxMessages)
	}
	calls = calls[:bot.MaxMessages]
	var sent strings.Builder
	for _, c := range calls {
		sent.Write(c.Body)
	}
	checkNothingDroppedSilently(t, sent.String(), total)
	if !strings.Contains(string(calls[len(calls)-1].Body), "https://briefs.example.org/#%2Fhuge") {
		t.Errorf("the last message does not link the console's reader view: %.300s", calls[len(calls)-1].Body)
	}
	if !strings.Contains(string(calls[0].Body), `Shared by \u003c@200000000000000002\u003e`) {
		t.Error("the share does not say who shared it")
	}
	if len(audit.es) != 1 {
		t.Fatalf("%d audit entries, want 1", len(audit.es))
	}
	e := audit.es[0]
	if e.Action != bot.AuditShare || e.Platform != bot.PlatformDiscord || e.Channel != "300000000000000001" ||
		e.User != "200000000000000002" || e.Command != "/huge" || e.MessageID != "900000000000000001" || e.At.IsZero() {
		t.Errorf("audit entry %+v", e)
	}
}

// recordingAuditor keeps audit entries.
type recordingAuditor struct {
	mu sync.Mutex
	es []bot.AuditEntry
}

func (r *recordingAuditor) Audit(_ context.Context, e bot.AuditEntry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.es = append(r.es, e)
	return nil
}
