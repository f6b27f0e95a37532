package slack

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// TestBurstFromOneUserLimited sends 40 different commands from one user
// through the real routes: the burst is answered, the rest get the polite
// private refusal, and the limit never stands in for the signature check
// or the duplicate check.
func TestBurstFromOneUserLimited(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	limiter := bot.NewLimiter(bot.Limits{User: bot.Rate{PerMinute: 20, Burst: 10}, Channel: bot.Rate{PerMinute: 600, Burst: 100}})
	set := fixtureEngine(t).Set()
	a := newTestAdapter(t, bot.New(set, bot.Options{Limiter: limiter, Now: clock.Now}), clock, Options{})
	answered, limited := 0, 0
	for i := 0; i < 40; i++ {
		w := serve(a, signedRequest("/slack/commands", commandBody("/stance", fmt.Sprint("actor", i), "U1", ""), clock.Now()))
		m := decodeWire(t, w.Body.Bytes())
		text := checkLimits(t, "reply", m)
		if m.ResponseType != ephemeral {
			t.Fatalf("reply %d is %q, want ephemeral", i, m.ResponseType)
		}
		if strings.Contains(text, "try again in") {
			limited++
		} else {
			answered++
		}
	}
	if answered != 10 || limited != 30 {
		t.Errorf("%d answered, %d refused; want 10 and 30", answered, limited)
	}
	// Over the limit, a forged request is still refused as forged...
	bad := signedRequest("/slack/commands", commandBody("/stance", "x", "U1", ""), clock.Now())
	bad.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64))
	if w := serve(a, bad); w.Code != http.StatusUnauthorized {
		t.Errorf("forged request over the limit: status %d, want 401", w.Code)
	}
	// ...and a duplicate is still dropped as a duplicate, not answered.
	clock.Advance(time.Second)
	if w := serve(a, signedRequest("/slack/commands", commandBody("/stance", "actor39", "U1", ""), clock.Now())); w.Body.Len() != 0 {
		t.Errorf("a duplicate over the limit got an answer: %.100s", w.Body.String())
	}
	// Another user in the channel is answered.
	w := serve(a, signedRequest("/slack/commands", commandBody("/help", "", "U2", ""), clock.Now()))
	if strings.Contains(w.Body.String(), "try again in") {
		t.Error("a second user was refused for the first one's burst")
	}
}

// TestShareOverLimitStaysPrivate checks that a share pressed over the
// limit posts the polite refusal to the presser alone, never in the channel.
func TestShareOverLimitStaysPrivate(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	limiter := bot.NewLimiter(bot.Limits{User: bot.Rate{PerMinute: 1, Burst: 1}})
	a := newTestAdapter(t, bot.New(fixtureEngine(t).Set(), bot.Options{Limiter: limiter, Now: clock.Now}), clock, Options{})
	ru := newFakeResponseURL(t)
	serve(a, signedRequest("/slack/commands", commandBody("/help", "", "U1", ""), clock.Now()))
	serve(a, signedRequest("/slack/interactivity", shareBody("U1", "C1", "1700000000.000300", "/stance poland", ru.srv.URL), clock.Now()))
	a.bg.Wait()
	posts := ru.got()
	if len(posts) == 0 {
		t.Fatal("the presser was told nothing")
	}
	for _, p := range posts {
		if p.ResponseType == inChannel {
			t.Fatal("a share over the limit posted in the channel")
		}
		if text := checkLimits(t, "refusal", p); !strings.Contains(text, "try again in") {
			t.Errorf("private reply %q, want the polite refusal", text)
		}
	}
}
