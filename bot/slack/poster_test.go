package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// fakeWebAPI is a Slack Web API on 127.0.0.1 that answers chat.postMessage
// from a script, one response per call, records what it was sent, and
// answers conversations.history with history.
type fakeWebAPI struct {
	mu      sync.Mutex
	script  []func(w http.ResponseWriter) // the last one repeats
	posts   []wire
	meta    []string     // each post's metadata, as sent
	history []url.Values // each conversations.history request
	pages   []string     // conversations.history answers, in order; the last repeats
	srv     *httptest.Server
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
	switch {
	case !auth:
		http.Error(w, "unexpected call", http.StatusBadRequest)
	case r.URL.Path == "/conversations.history":
		f.mu.Lock()
		f.history = append(f.history, r.Form)
		page := f.pages[min(len(f.history), len(f.pages))-1]
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, page)
	case r.URL.Path == "/chat.postMessage":
		m := wire{Channel: r.Form.Get("channel"), Text: r.Form.Get("text")}
		json.Unmarshal([]byte(r.Form.Get("blocks")), &m.Blocks)
		f.mu.Lock()
		f.posts = append(f.posts, m)
		f.meta = append(f.meta, r.Form.Get("metadata"))
		step := f.script[min(len(f.posts), len(f.script))-1]
		f.mu.Unlock()
		step(w)
	default:
		http.Error(w, "unexpected call", http.StatusBadRequest)
	}
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

func testPoster(t *testing.T, api *fakeWebAPI) *Poster {
	a, err := New(&countingEngine{}, Options{SigningSecret: testSecret, BotToken: "xoxb-test",
		APIURL: api.srv.URL, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return a.Poster()
}

func testReply() *bot.Reply {
	return &bot.Reply{Command: "demands", Outcome: bot.OutcomeOK, Title: "Demands & trades",
		Sections: []bot.Section{{Heading: "Stated", Bullets: []bot.Bullet{{Text: bot.Plain("A claim <b>."), Cites: []bot.Cite{{Source: 1, Paras: []string{"p3"}}}}}}},
		Sources:  []bot.Source{{N: 1, Doc: "d001", Title: "A document", Date: "20 August 2025"}}}
}

var testMark = bot.PostMark{Key: "schedule:daily|slack:C1|2025-06-02T05:00:00Z", At: time.Date(2025, 6, 2, 5, 0, 0, 0, time.UTC)}

// TestPosterPostsBlocksWithMetadata: one request per Send, the reply's
// blocks, and the mark as message metadata.
func TestPosterPostsBlocksWithMetadata(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p := testPoster(t, api)
	ts, err := p.Send(t.Context(), "C1", testReply(), testMark)
	if err != nil || ts != "1700000000.000100" {
		t.Fatalf("Send = %q, %v", ts, err)
	}
	calls := api.calls()
	if len(calls) != 1 || calls[0].Channel != "C1" || len(calls[0].Blocks) == 0 || !strings.Contains(calls[0].Text, "Demands") {
		t.Fatalf("posted %+v", calls)
	}
	var md struct {
		EventType    string         `json:"event_type"`
		EventPayload map[string]any `json:"event_payload"`
	}
	if err := json.Unmarshal([]byte(api.meta[0]), &md); err != nil || md.EventType != markEventType || md.EventPayload["key"] != testMark.Key || md.EventPayload["part"] != 0.0 {
		t.Fatalf("metadata %s (%v)", api.meta[0], err)
	}
}

// TestPosterErrorsAnswerTheRetryPolicy: one request per failure, each
// classified for the caller's retry policy.
func TestPosterErrorsAnswerTheRetryPolicy(t *testing.T) {
	for _, tc := range []struct {
		name               string
		step               func(http.ResponseWriter)
		permanent, unknown bool
		retryAfter         time.Duration
	}{
		{"channel_not_found", apiError("channel_not_found"), true, false, 0},
		{"not_in_channel", apiError("not_in_channel"), true, false, 0},
		{"invalid_auth", apiError("invalid_auth"), true, false, 0},
		{"internal_error", apiError("internal_error"), false, true, 0},
		{"ratelimited", rateLimited(7), false, false, 7 * time.Second},
		{"502", serverError, false, true, 0},
	} {
		api := newFakeWebAPI(t, tc.step)
		_, err := testPoster(t, api).Send(t.Context(), "C0NOPE", testReply(), testMark)
		var pe *PostError
		if !errors.As(err, &pe) || pe.Permanent() != tc.permanent || pe.OutcomeUnknown() != tc.unknown || pe.RetryAfter() != tc.retryAfter {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), "C0NOPE") || len(api.calls()) != 1 {
			t.Errorf("%s: %v after %d requests", tc.name, err, len(api.calls()))
		}
	}
}

func TestPosterUnreachableIsNotUnknown(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	p := testPoster(t, api)
	api.srv.Close()
	_, err := p.Send(t.Context(), "C1", testReply(), testMark)
	var pe *PostError
	if !errors.As(err, &pe) || pe.OutcomeUnknown() || pe.Permanent() {
		t.Fatalf("refused connection: %v", err)
	}
}

func TestPosterWithoutToken(t *testing.T) {
	a, err := New(&countingEngine{}, Options{SigningSecret: testSecret, Log: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Poster().Send(t.Context(), "C1", testReply(), testMark)
	if !IsPermanent(err) || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
		t.Fatalf("err = %v", err)
	}
}

func TestPosterSplitsLongReplies(t *testing.T) {
	r := testReply()
	for i := range 60 {
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("S%d", i), Bullets: []bot.Bullet{{Text: bot.Plain(strings.Repeat("x", 2500))}}})
	}
	api := newFakeWebAPI(t, okPost)
	p := testPoster(t, api)
	n := p.Parts(r)
	if n < 2 || n != len(Render(r, "")) {
		t.Fatalf("Parts = %d", n)
	}
	m := testMark
	m.Part = n - 1
	if _, err := p.Send(t.Context(), "C1", r, m); err != nil {
		t.Fatal(err)
	}
	if got, want := api.calls()[0].Text, Render(r, "")[n-1].Text; got != want {
		t.Errorf("part %d posted %q, want %q", n-1, got, want)
	}
	m.Part = n
	if _, err := p.Send(t.Context(), "C1", r, m); !IsPermanent(err) {
		t.Errorf("a part past the end: %v", err)
	}
}

// TestPosterFindsMarkedMessages: Find reads conversations.history since
// just before the slot, with metadata, page by page within a bound, and
// recognises each part by the mark's key.
func TestPosterFindsMarkedMessages(t *testing.T) {
	r := testReply()
	for i := range 60 {
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("S%d", i), Bullets: []bot.Bullet{{Text: bot.Plain(strings.Repeat("x", 2500))}}})
	}
	msg := func(ts, key string, part int) string {
		return fmt.Sprintf(`{"type":"message","ts":%q,"metadata":{"event_type":%q,"event_payload":{"key":%q,"part":%d}}}`, ts, markEventType, key, part)
	}
	api := newFakeWebAPI(t, okPost)
	api.pages = []string{
		`{"ok":true,"has_more":true,"response_metadata":{"next_cursor":"c2"},"messages":[` + msg("1.1", testMark.Key, 1) + `,` + msg("1.2", "another slot", 0) + `,{"type":"message","ts":"1.3","text":"hi"}]}`,
		`{"ok":true,"has_more":false,"messages":[` + msg("1.0", testMark.Key, 0) + `]}`,
	}
	p := testPoster(t, api)
	ids, err := p.Find(t.Context(), "C1", r, testMark)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != p.Parts(r) || ids[0] != "1.0" || ids[1] != "1.1" || ids[2] != "" {
		t.Fatalf("found %q", ids)
	}
	if len(api.history) != 2 || api.history[1].Get("cursor") != "c2" || api.history[0].Get("include_all_metadata") != "1" ||
		api.history[0].Get("oldest") != fmt.Sprintf("%d.000000", testMark.At.Add(-time.Minute).Unix()) {
		t.Fatalf("history requests %v", api.history)
	}

	endless := newFakeWebAPI(t, okPost)
	endless.pages = []string{`{"ok":true,"has_more":true,"response_metadata":{"next_cursor":"more"},"messages":[]}`}
	if _, err := testPoster(t, endless).Find(t.Context(), "C1", r, testMark); err == nil || len(endless.history) != findPages {
		t.Fatalf("a channel too busy to check: %v after %d pages", err, len(endless.history))
	}
}

func TestPosterSpacing(t *testing.T) {
	api := newFakeWebAPI(t, okPost)
	perChannel, overall := testPoster(t, api).Spacing()
	if perChannel != time.Second || overall != time.Second/DefaultPostRate {
		t.Fatalf("Spacing = %v, %v", perChannel, overall)
	}
}
