package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest/digesttest"
)

func newTestPoster(t *testing.T, fake *fakeDiscord, rate float64) *Poster {
	t.Helper()
	a, err := New(Options{Engine: shippedEngine(t, nil), Mode: ModeGateway, AppID: "1", BotToken: "secret-bot-token", APIURL: fake.srv.URL, PostRate: rate})
	if err != nil {
		t.Fatal(err)
	}
	p := a.Poster().(*Poster)
	p.backoff = time.Millisecond
	return p
}

func TestPosterPosts(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake, 25)
	r := shippedEngine(t, nil).Handle(t.Context(), bot.Request{Text: "/stance poland"})
	id, err := digesttest.PostFirst(t.Context(), p, "300000000000000001", r)
	if err != nil || id != "900000000000000001" {
		t.Fatalf("Post: %q, %v", id, err)
	}
	c := fake.all()[0]
	if c.Method != http.MethodPost || c.Path != "/api/v9/channels/300000000000000001/messages" || c.Header.Get("Authorization") != "Bot secret-bot-token" {
		t.Errorf("%s %s", c.Method, c.Path)
	}
	var body struct {
		Flags           int `json:"flags"`
		Components      []any
		AllowedMentions struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
		Embeds []struct {
			Title string `json:"title"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(c.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) != 0 || !strings.Contains(string(c.Body), `"parse":[]`) {
		t.Errorf("allowed mentions: %s", c.Body)
	}
	if body.Flags != 0 || len(body.Components) != 0 || len(body.Embeds) == 0 || !strings.Contains(body.Embeds[0].Title, "Poland") {
		t.Errorf("posted %s", c.Body)
	}
}

func TestPosterWaitsOut429(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(c call, n int) (int, http.Header, string) {
		if n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"0.05"}}, `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`
		}
		return http.StatusOK, nil, `{"id":"900000000000000002"}`
	}
	p := newTestPoster(t, fake, 25)
	start := time.Now()
	id, err := digesttest.PostFirst(t.Context(), p, "300000000000000001", &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"})
	if err != nil || id != "900000000000000002" {
		t.Fatalf("Post: %q, %v", id, err)
	}
	if n := len(fake.all()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("retried after %v, before retry_after", took)
	}
}

func TestPosterPermanentErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"message":"Unknown Channel","code":10003}`, "unknown channel"},
		{403, `{"message":"Missing Access","code":50001}`, "missing access"},
		{403, `{"message":"Missing Permissions","code":50013}`, "missing permissions"},
		{401, `{"message":"401: Unauthorized","code":0}`, "token was refused"},
	} {
		fake := newFakeDiscord(t)
		fake.respond = func(call, int) (int, http.Header, string) { return tc.status, nil, tc.body }
		p := newTestPoster(t, fake, 25)
		_, err := digesttest.PostFirst(t.Context(), p, "300000000000000009", &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"})
		if !IsPermanent(err) || !strings.Contains(err.Error(), "channel 300000000000000009") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d: %v (permanent %v)", tc.status, err, IsPermanent(err))
		}
		if n := len(fake.all()); n != 1 {
			t.Errorf("%d: %d requests; permanent errors are not retried", tc.status, n)
		}
		if strings.Contains(err.Error(), "secret-bot-token") {
			t.Errorf("error shows the token: %v", err)
		}
	}
}

func TestPosterBoundsRetries(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(call, int) (int, http.Header, string) {
		return http.StatusInternalServerError, nil, `{"message":"oops","code":0}`
	}
	p := newTestPoster(t, fake, 25)
	_, err := digesttest.PostFirst(t.Context(), p, "300000000000000001", &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"})
	var pe *PostError
	if !errors.As(err, &pe) || pe.Permanent || pe.Attempts != postAttempts {
		t.Fatalf("error %v", err)
	}
	if n := len(fake.all()); n != postAttempts {
		t.Errorf("%d requests, want %d", n, postAttempts)
	}
}

func TestPosterRefusesLongRateLimit(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.respond = func(call, int) (int, http.Header, string) {
		return http.StatusTooManyRequests, nil, `{"message":"slow down","retry_after":3600,"global":true}`
	}
	p := newTestPoster(t, fake, 25)
	start := time.Now()
	_, err := digesttest.PostFirst(t.Context(), p, "300000000000000001", &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"})
	if err == nil || IsPermanent(err) || time.Since(start) > 2*time.Second {
		t.Errorf("error %v after %v", err, time.Since(start))
	}
}

func TestPosterBadChannelAndNoToken(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake, 25)
	if _, err := digesttest.PostFirst(t.Context(), p, "#general", &bot.Reply{Title: "x"}); !IsPermanent(err) {
		t.Errorf("bad channel id: %v", err)
	}
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, nil), k, fake.srv.URL)
	if _, err := digesttest.PostFirst(t.Context(), a.Poster(), "300000000000000001", &bot.Reply{Title: "x"}); !IsPermanent(err) || !strings.Contains(err.Error(), "DISCORD_BOT_TOKEN") {
		t.Errorf("no token: %v", err)
	}
	if len(fake.all()) != 0 {
		t.Error("requests were sent")
	}
}

// TestPosterPacesFanOut: concurrent posts to many channels are spaced at
// the configured rate.
func TestPosterPacesFanOut(t *testing.T) {
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake, 20)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch := "30000000000000000" + string(rune('0'+i))
			if _, err := digesttest.PostFirst(t.Context(), p, ch, &bot.Reply{Outcome: bot.OutcomeOK, Title: "Digest"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// 10 requests at 20/s: the last starts 450ms after the first.
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("10 posts took %v; not paced", took)
	}
}

// TestPosterResumes: a post started at message from sends only the rest
// and tells sent of each; an error from sent stops the post.
func TestPosterResumes(t *testing.T) {
	r := stressReply()
	r.Sections, r.Sources = r.Sections[:2], r.Sources[:5]
	n := len(render(r))
	if n < 3 {
		t.Fatalf("%d messages; the test needs a reply of at least 3", n)
	}
	fake := newFakeDiscord(t)
	p := newTestPoster(t, fake, 25)
	var told []int
	err := p.Post(t.Context(), "300000000000000001", r, 2, func(i, of int, _ string) error {
		if of != n {
			t.Errorf("sent told of %d messages, want %d", of, n)
		}
		told = append(told, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(fake.all()); got != n-2 || len(told) != n-2 || told[0] != 2 {
		t.Fatalf("resumed post sent %d messages and told of %v; want messages 3..%d", got, told, n)
	}
	want, _ := json.Marshal(render(r)[2].messageSend())
	marks := regexp.MustCompile(`mark-\d+-\d+`)
	if w, g := marks.FindAllString(string(want), -1), marks.FindAllString(string(fake.all()[0].Body), -1); len(w) == 0 || fmt.Sprint(w) != fmt.Sprint(g) {
		t.Errorf("the first message resumed holds %v, want message 3's %v", g, w)
	}

	stopped := newFakeDiscord(t)
	p = newTestPoster(t, stopped, 25)
	stop := errors.New("lease lost")
	err = p.Post(t.Context(), "300000000000000001", r, 0, func(int, int, string) error { return stop })
	if !errors.Is(err, stop) || len(stopped.all()) != 1 {
		t.Fatalf("err %v after %d messages; want the hook's error after 1", err, len(stopped.all()))
	}
}
