package slack

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

// hugeReply is the shipped /timeline multiplied thirty times, every bullet
// tagged item0001, item0002, … so that what was sent can be counted.
func hugeReply(t *testing.T) (*bot.Reply, int) {
	t.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Fatal(err)
	}
	base := bot.New(set, bot.Options{}).Handle(context.Background(), bot.Request{Platform: bot.PlatformCLI, Text: "/timeline"})
	out := *base
	out.Sections = nil
	n := 0
	for k := 0; k < 30; k++ {
		for _, s := range base.Sections {
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
	if n < 200 {
		t.Fatalf("the multiplied answer has %d items; it must be huge", n)
	}
	return &out, n
}

var cutNotice = regexp.MustCompile(`Cut short: (\d+) of (\d+) items not shown`)

// checkNothingDroppedSilently checks that sent holds items 1..k in order
// with none missing, and that its notice counts the rest.
func checkNothingDroppedSilently(t *testing.T, sent string, total int) {
	t.Helper()
	m := cutNotice.FindStringSubmatch(sent)
	if m == nil {
		t.Fatal("the answer was cut without saying so")
	}
	hidden, _ := strconv.Atoi(m[1])
	if all, _ := strconv.Atoi(m[2]); all != total {
		t.Errorf("the notice counts %d items, the answer has %d", all, total)
	}
	shown := total - hidden
	if shown < 1 {
		t.Fatalf("nothing of the answer was shown (%d hidden)", hidden)
	}
	for i := 1; i <= total; i++ {
		if got := strings.Contains(sent, fmt.Sprintf("item%04d ", i)); got != (i <= shown) {
			t.Fatalf("item %d sent: %v; the notice says the first %d were shown", i, got, shown)
		}
	}
}

func TestHugeAnswerCappedWithNotice(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	huge, total := hugeReply(t)
	a := newTestAdapter(t, &countingEngine{fixed: huge}, clock, Options{})
	ru := newFakeResponseURL(t)
	w := serve(a, signedRequest("/slack/commands", commandBody("/huge", "", "U1", ru.srv.URL), clock.Now()))
	a.bg.Wait()
	msgs := append([]wire{decodeWire(t, w.Body.Bytes())}, ru.got()...)
	if len(msgs) != bot.MaxMessages {
		t.Fatalf("%d messages, want %d (bot.MaxMessages, the same on Discord)", len(msgs), bot.MaxMessages)
	}
	var sent string
	for i, m := range msgs {
		sent += checkLimits(t, fmt.Sprintf("message %d", i+1), m)
	}
	checkNothingDroppedSilently(t, sent, total)
	last := checkLimits(t, "last", msgs[len(msgs)-1])
	if !cutNotice.MatchString(last) || !strings.Contains(last, "/ask") {
		t.Error("the last message does not say the answer was cut and what to ask instead")
	}
	if !hasShareButton(msgs[len(msgs)-1]) {
		t.Error("the last message lost its Share button")
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

func TestHugeShareCappedSharedByAndAudited(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	huge, total := hugeReply(t)
	audit := &recordingAuditor{}
	a := newTestAdapter(t, &countingEngine{fixed: huge}, clock, Options{ConsoleURL: "https://briefs.example.org", Audit: audit})
	ru := newFakeResponseURL(t)
	serve(a, signedRequest("/slack/interactivity", shareBody("U1", "C1", "1700000000.000200", "/huge", ru.srv.URL), clock.Now()))
	a.bg.Wait()
	var public []wire
	for _, p := range ru.got() {
		if p.ResponseType == inChannel {
			public = append(public, p)
		}
	}
	if len(public) != bot.MaxMessages {
		t.Fatalf("%d messages shared, want %d (bot.MaxMessages, the same on Discord)", len(public), bot.MaxMessages)
	}
	var sent string
	for i, m := range public {
		sent += checkLimits(t, fmt.Sprintf("shared %d", i+1), m)
	}
	checkNothingDroppedSilently(t, sent, total)
	if last := checkLimits(t, "last", public[len(public)-1]); !strings.Contains(last, "<https://briefs.example.org/#%2Fhuge|") {
		t.Errorf("the last message does not link the console's reader view: …%s", last[max(0, len(last)-300):])
	}
	if !strings.Contains(checkLimits(t, "first", public[0]), "Shared by <@U1>") {
		t.Error("the share does not say who shared it")
	}
	if len(audit.es) != 1 {
		t.Fatalf("%d audit entries, want 1", len(audit.es))
	}
	e := audit.es[0]
	if e.Action != bot.AuditShare || e.Platform != bot.PlatformSlack || e.Channel != "C1" || e.User != "U1" || e.Command != "/huge" || e.At.IsZero() {
		t.Errorf("audit entry %+v", e)
	}
}

// TestCutNoticeNamesCommandsAsRegistered checks that the narrower commands
// a cut answer suggests are named as Slack registers them (a prefix).
func TestCutNoticeNamesCommandsAsRegistered(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	huge, _ := hugeReply(t)
	names := bot.NewNaming(bot.PlatformSlack, "bb-", fixtureEngine(t).Commands())
	a := newTestAdapter(t, &countingEngine{fixed: huge}, clock, Options{Naming: names})
	ru := newFakeResponseURL(t)
	serve(a, signedRequest("/slack/commands", commandBody("/bb-timeline", "", "U1", ru.srv.URL), clock.Now()))
	a.bg.Wait()
	rest := ru.got()
	if len(rest) == 0 {
		t.Fatal("no follow-ups")
	}
	last := checkLimits(t, "last", rest[len(rest)-1])
	if !strings.Contains(last, "/bb-ask") || !strings.Contains(last, "/bb-sources") || strings.Contains(last, " /ask") {
		t.Errorf("the notice does not name the commands as registered: …%s", last[max(0, len(last)-300):])
	}
}
