package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/seeds"
	"github.com/briefbot/briefbot/webhook"
)

const testSecret = "test-signing-secret"

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countingEngine runs the real engine (or a fixed reply) and counts calls,
// to prove whether a command ran.
type countingEngine struct {
	next  Engine
	fixed *bot.Reply
	calls atomic.Int32
	mu    sync.Mutex
	reqs  []bot.Request
}

func (e *countingEngine) Handle(ctx context.Context, req bot.Request) *bot.Reply {
	e.calls.Add(1)
	e.mu.Lock()
	e.reqs = append(e.reqs, req)
	e.mu.Unlock()
	if e.fixed != nil {
		return e.fixed
	}
	return e.next.Handle(ctx, req)
}

func (e *countingEngine) lastRequest() bot.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.reqs[len(e.reqs)-1]
}

// fixtureEngine is an engine over the small, stable brief set in
// bot/testdata/briefs, for golden files.
func fixtureEngine(t testing.TB) *bot.Engine {
	t.Helper()
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	set, problems := briefs.Load(os.DirFS("../testdata/briefs"), "bot/testdata/briefs", corpus)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return bot.New(set, bot.Options{})
}

// prefixedEngine is fixtureEngine with a command prefix.
func prefixedEngine(t testing.TB, prefix string) *bot.Engine {
	t.Helper()
	return bot.New(fixtureEngine(t).Set(), bot.Options{Prefix: prefix})
}

// shippedEngine is an engine over the embedded, shipped briefs, or the
// fixture set while the shipped one does not validate.
func shippedEngine(t testing.TB) *bot.Engine {
	t.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		t.Logf("shipped briefs do not validate now; using bot/testdata/briefs (%d bytes of problems)", len(err.Error()))
		return fixtureEngine(t)
	}
	return bot.New(set, bot.Options{})
}

func testLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newTestAdapter returns an HTTP-mode adapter over engine with a fake clock.
func newTestAdapter(t testing.TB, engine Engine, clock *fakeClock, opts Options) *Adapter {
	t.Helper()
	opts.SigningSecret = testSecret
	opts.Now = clock.Now
	opts.Log = testLogger()
	if opts.Mode == "" {
		opts.Mode = ModeHTTP
	}
	a, err := New(engine, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// commandBody is a slash command form as Slack sends it.
func commandBody(cmd, text, user, responseURL string) string {
	v := url.Values{}
	v.Set("token", "unused")
	v.Set("team_id", "T1")
	v.Set("channel_id", "C1")
	v.Set("user_id", user)
	v.Set("command", cmd)
	v.Set("text", text)
	if responseURL != "" {
		v.Set("response_url", responseURL)
	}
	return v.Encode()
}

// signedRequest builds a request signed at ts.
func signedRequest(path, body string, ts time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
	r.Header.Set("X-Slack-Signature", Sign(testSecret, ts.Unix(), []byte(body)))
	return r
}

// serve runs r through the adapter's real routes.
func serve(a *Adapter, r *http.Request) *httptest.ResponseRecorder {
	mux := http.NewServeMux()
	a.Routes(webhook.Mux{ServeMux: mux})
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

// wire is a message as Slack receives it, decoded generically so tests
// check the JSON actually sent.
type wire struct {
	Channel         string      `json:"channel"`
	ResponseType    string      `json:"response_type"`
	ReplaceOriginal *bool       `json:"replace_original"`
	Text            string      `json:"text"`
	Blocks          []wireBlock `json:"blocks"`
}

type wireBlock struct {
	Type     string     `json:"type"`
	BlockID  string     `json:"block_id"`
	Text     *wireText  `json:"text"`
	Elements []wireElem `json:"elements"`
	// Rows are a table block's cells: raw_text with text, or rich_text
	// with elements.
	Rows [][]wireCell `json:"rows"`
}

// wireCell is one cell of a table block.
type wireCell struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Elements []struct {
		Type     string     `json:"type"`
		Elements []wireText `json:"elements"`
	} `json:"elements"`
}

// text returns what the cell shows.
func (c wireCell) text() string {
	if c.Type == "raw_text" {
		return c.Text
	}
	var b strings.Builder
	for _, e := range c.Elements {
		for _, t := range e.Elements {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

type wireText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// wireElem is a context element (a text object) or a button.
type wireElem struct {
	Type     string          `json:"type"`
	Text     json.RawMessage `json:"text"`
	Value    string          `json:"value"`
	ActionID string          `json:"action_id"`
}

// text returns the element's text whether it is a string or an object.
func (e wireElem) text() string {
	var s string
	if json.Unmarshal(e.Text, &s) == nil {
		return s
	}
	var t wireText
	json.Unmarshal(e.Text, &t)
	return t.Text
}

func decodeWire(t testing.TB, b []byte) wire {
	t.Helper()
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatalf("not a message: %v\n%s", err, b)
	}
	return w
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func indentJSON(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	err := jsonIndent(&buf, b)
	return buf.Bytes(), err
}

func requestFor(line string) bot.Request {
	return bot.Request{Platform: bot.PlatformSlack, UserID: "U1", ChannelID: "C1", Text: line}
}
