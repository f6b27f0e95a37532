package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest/digesttest"
)

// fakeWebAPI is a Slack Web API on 127.0.0.1 that answers chat.postMessage
// from a script, one response per call, and records what it was sent.
type fakeWebAPI struct {
	mu     sync.Mutex
	script []func(w http.ResponseWriter) // the last one repeats
	posts  []wire
	srv    *httptest.Server
}

func newFakeWebAPI(t *testing.T, script ...func(w http.ResponseWriter)) *fakeWebAPI {
	f := &fakeWebAPI{script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWebAPI) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	auth := r.Header.Get("Authorization") == "Bearer xoxb-test" || r.Form.Get("token") == "xoxb-test"
	if r.URL.Path != "/chat.postMessage" || !auth {
		http.Error(w, "unexpected call", http.StatusBadRequest)
		return
	}
	m := wire{Channel: r.Form.Get("channel"), Text: r.Form.Get("text")}
	json.Unmarshal([]byte(r.Form.Get("blocks")), &m.Blocks)
	f.mu.Lock()
	f.posts = append(f.posts, m)
	step := f.script[min(len(f.posts), len(f.script))-1]
	f.mu.Unlock()
	step(w)
}

func (f *fakeWebAPI) calls() []wire {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]wire(nil), f.posts...)
}

func okPost(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true,"channel":"C1","ts":"1700000000.000100"}`)
}

func apiError(code string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":false,"error":%q}`, code)
	}
}

func rateLimited(seconds int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", fmt.Sprint(seconds))
		w.WriteHeader(http.StatusTooManyRequests)
	}
}

func serverError(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }

// testPoster returns a poster against api whose sleeps advance the fake
// clock instead of waiting, and records them.
func testPoster(t *testing.T, api *fakeWebAPI) (*Poster, *[]time.Duration) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	a, err := New(&countingEngine{}, Options{SigningSecret: testSecret, BotToken: "xoxb-test",
		APIURL: api.srv.URL, Now: clock.Now, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	p := a.Poster()
	var slept []time.Duration
	p.sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			slept = append(slept, d)
			clock.Advance(d)
		}
		return ctx.Err()
	}
	return p, &slept
}

func testReply() *bot.Reply {
	return &bot.Reply{Command: "demands", Outcome: bot.OutcomeOK, Title: "Demands & trades",
		Sections: []bot.Section{{Heading: "Stated", Bullets: []bot.Bullet{{Text: bot.Plain("A claim <b>."), Cites: []bot.Cite{{Source: 1, Paras: []string{"p3"}}}}}}},
		Sources:  []bot.Source{{N: 1, Doc: "d001", Title: "A document", Date: "20 August 2025"}}}
}

func TestPosterPostsBlocks(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p, _ := testPoster(t, api)
	ts, err := digesttest.PostFirst(context.Background(), p, "C1", testReply())
	if err != nil || ts != "1700000000.000100" {
		t.Fatalf("Post = %q, %v", ts, err)
	}
	posts := api.calls()
	if len(posts) != 1 || posts[0].Channel != "C1" || posts[0].Text != "Demands &amp; trades" {
		t.Fatalf("posted %+v", posts)
	}
	checkLimits(t, "post", posts[0])
	if hasShareButton(posts[0]) {
		t.Error("a channel post carries a Share button")
	}
}

func TestPosterHonoursRetryAfter(t *testing.T) {
	api := newFakeWebAPI(t, rateLimited(7), okPost)
	p, slept := testPoster(t, api)
	if _, err := digesttest.PostFirst(context.Background(), p, "C1", testReply()); err != nil {
		t.Fatal(err)
	}
	if n := len(api.calls()); n != 2 {
		t.Fatalf("%d calls, want 2", n)
	}
	if len(*slept) == 0 || (*slept)[0] != 7*time.Second {
		t.Errorf("slept %v, want 7s first (Retry-After)", *slept)
	}
}

func TestPosterPermanentError(t *testing.T) {
	for _, code := range []string{"channel_not_found", "not_in_channel", "invalid_auth"} {
		api := newFakeWebAPI(t, apiError(code))
		p, _ := testPoster(t, api)
		_, err := digesttest.PostFirst(context.Background(), p, "C0NOPE", testReply())
		if !IsPermanent(err) {
			t.Errorf("%s: IsPermanent(%v) = false", code, err)
		}
		if err == nil || !strings.Contains(err.Error(), "C0NOPE") || !strings.Contains(err.Error(), code) {
			t.Errorf("%s: error %v does not name the channel and the cause", code, err)
		}
		if n := len(api.calls()); n != 1 {
			t.Errorf("%s: %d attempts, want 1 (no retry)", code, n)
		}
	}
}

func TestPosterTransientRetriedWithBound(t *testing.T) {
	api := newFakeWebAPI(t, serverError, apiError("internal_error"), okPost)
	p, slept := testPoster(t, api)
	if _, err := digesttest.PostFirst(context.Background(), p, "C1", testReply()); err != nil {
		t.Fatalf("transient errors then success: %v", err)
	}
	// Waits mix pacing (one post per second) and backoff (500ms, then 1s).
	var total time.Duration
	for _, d := range *slept {
		total += d
	}
	if n := len(api.calls()); n != 3 || total < firstBackoff+2*firstBackoff {
		t.Errorf("%d attempts after waits %v, want 3 attempts and backoff of at least %v", n, *slept, 3*firstBackoff)
	}

	api = newFakeWebAPI(t, serverError)
	p, _ = testPoster(t, api)
	_, err := digesttest.PostFirst(context.Background(), p, "C1", testReply())
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v, want a transient error", err)
	}
	if n := len(api.calls()); n != maxAttempts {
		t.Errorf("%d attempts, want %d", n, maxAttempts)
	}
}

func TestPosterPacesPerChannel(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p, slept := testPoster(t, api)
	p.every = 0 // the channel's pacing alone; TestWorkspacePacing covers both
	for _, ch := range []string{"C1", "C1", "C2", "C1"} {
		if _, err := digesttest.PostFirst(context.Background(), p, ch, testReply()); err != nil {
			t.Fatal(err)
		}
	}
	// C1 waits a second before its second post; C2 is free, and by the
	// time of C1's third post the fake clock has moved on a second.
	want := []time.Duration{time.Second, time.Second}
	if fmt.Sprint(*slept) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", *slept, want)
	}
}

func TestPosterWithoutToken(t *testing.T) {
	a := newTestAdapter(t, &countingEngine{}, newClock(time.Now()), Options{})
	_, err := digesttest.PostFirst(context.Background(), a.Poster(), "C1", testReply())
	if !IsPermanent(err) || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
		t.Errorf("err = %v, want a permanent error naming SLACK_BOT_TOKEN", err)
	}
}

func TestPosterSplitsLongReplies(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p, _ := testPoster(t, api)
	r, _ := stressReply()
	if _, err := digesttest.PostFirst(context.Background(), p, "C1", r); err != nil {
		t.Fatal(err)
	}
	posts := api.calls()
	if len(posts) < 3 {
		t.Fatalf("%d posts for a huge reply", len(posts))
	}
	for i, m := range posts {
		checkLimits(t, fmt.Sprintf("post %d", i+1), m)
	}
}

// TestTurnMeasuredFromActualStart: a channel's turn is claimed at the time
// the message actually starts, so waiting callers that wake late (a stalled
// process) still go out a full interval apart, never in a burst.
func TestTurnMeasuredFromActualStart(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	p := &Poster{now: clock.Now, last: map[string]time.Time{}}
	if wait := p.claim("C1"); wait != 0 {
		t.Fatalf("first message waited %v", wait)
	}
	if wait := p.claim("C1"); wait != postInterval {
		t.Fatalf("second message may start in %v, want %v", wait, postInterval)
	}
	if wait := p.claim("C2"); wait != 0 {
		t.Fatalf("another channel waited %v", wait)
	}
	clock.Advance(5 * postInterval) // both C1 callers were asleep far too long
	if wait := p.claim("C1"); wait != 0 {
		t.Fatalf("after the stall, the first caller waited %v", wait)
	}
	if wait := p.claim("C1"); wait != postInterval {
		t.Fatalf("after the stall, the second caller may start in %v, want a full %v", wait, postInterval)
	}
}

// TestPosterResumes: a post started at message from sends only the rest, in
// order, and tells sent of each; an error from sent stops the post.
func TestPosterResumes(t *testing.T) {
	r, _ := stressReply()
	full := newFakeWebAPI(t, okPost)
	p, _ := testPoster(t, full)
	if _, err := digesttest.PostFirst(context.Background(), p, "C1", r); err != nil {
		t.Fatal(err)
	}
	all := full.calls()
	if len(all) < 3 {
		t.Fatalf("%d messages; the test needs a reply of at least 3", len(all))
	}

	rest := newFakeWebAPI(t, okPost)
	p, _ = testPoster(t, rest)
	var told []int
	err := p.Post(context.Background(), "C1", r, 2, func(i, of int, _ string) error {
		if of != len(all) {
			t.Errorf("sent told of %d messages, want %d", of, len(all))
		}
		told = append(told, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := rest.calls()
	if len(got) != len(all)-2 || got[0].Text != all[2].Text || got[len(got)-1].Text != all[len(all)-1].Text {
		t.Fatalf("resumed post sent %d messages, want messages 3..%d of the full post", len(got), len(all))
	}
	if len(told) != len(got) || told[0] != 2 {
		t.Errorf("sent told of %v", told)
	}

	stopped := newFakeWebAPI(t, okPost)
	p, _ = testPoster(t, stopped)
	stop := errors.New("lease lost")
	err = p.Post(context.Background(), "C1", r, 0, func(int, int, string) error { return stop })
	if !errors.Is(err, stop) || len(stopped.calls()) != 1 {
		t.Fatalf("err %v after %d messages; want the hook's error after 1", err, len(stopped.calls()))
	}
}

// TestWorkspacePacing: besides one message per second per channel, the
// poster keeps to its rate across the workspace, however many channels a
// digest goes to.
func TestWorkspacePacing(t *testing.T) {
	clock := newClock(time.Unix(1_760_000_000, 0))
	p := newPoster(nil, testLogger(), clock.Now, 4) // one message per 250ms
	if wait := p.claim("C1"); wait != 0 {
		t.Fatalf("first message waited %v", wait)
	}
	if wait := p.claim("C2"); wait != 250*time.Millisecond {
		t.Fatalf("a message to another channel may start in %v, want 250ms", wait)
	}
	clock.Advance(250 * time.Millisecond)
	if wait := p.claim("C2"); wait != 0 {
		t.Fatalf("after the workspace gap, C2 waited %v", wait)
	}
	clock.Advance(250 * time.Millisecond)
	if wait := p.claim("C1"); wait != 500*time.Millisecond {
		t.Fatalf("C1 again after 500ms may start in %v, want the rest of its second", wait)
	}

	api := newFakeWebAPI(t, okPost)
	a, err := New(&countingEngine{}, Options{SigningSecret: testSecret, BotToken: "xoxb-test", APIURL: api.srv.URL, Now: clock.Now, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	p = a.Poster()
	var slept time.Duration
	p.sleep = func(ctx context.Context, d time.Duration) error {
		slept += d
		clock.Advance(d)
		return ctx.Err()
	}
	for i := range 10 {
		if _, err := digesttest.PostFirst(context.Background(), p, fmt.Sprintf("C%d", i), testReply()); err != nil {
			t.Fatal(err)
		}
	}
	if want := 9 * time.Second / DefaultPostRate; slept != want || len(api.calls()) != 10 {
		t.Errorf("10 channels at the default rate: %d posts, slept %v; want 10 posts, %v", len(api.calls()), slept, want)
	}
}
