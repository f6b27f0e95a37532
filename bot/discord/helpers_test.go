package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
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
)

// counter counts the requests the engine answered.
type counter struct{ n atomic.Int64 }

func (c *counter) observe(bot.Request, *bot.Reply, time.Duration) { c.n.Add(1) }

// shippedEngine serves the embedded corpus and briefs, as briefbot serve does.
func shippedEngine(tb testing.TB, c *counter, extra ...bot.Command) *bot.Engine {
	tb.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		tb.Fatalf("shipped briefs do not load: %v", err)
	}
	return newEngine(set, c, extra)
}

// shippedEngineWith serves the shipped briefs with a command prefix.
func shippedEngineWith(tb testing.TB, prefix string, extra ...bot.Command) *bot.Engine {
	tb.Helper()
	set, err := briefs.LoadDirs("", "")
	if err != nil {
		tb.Fatalf("shipped briefs do not load: %v", err)
	}
	return bot.New(set, bot.Options{Extra: extra, Prefix: prefix})
}

// fixtureEngine serves the small, stable brief set of bot/testdata.
func fixtureEngine(tb testing.TB, c *counter) *bot.Engine {
	tb.Helper()
	corpus, err := seeds.Load(seeds.Embedded())
	if err != nil {
		tb.Fatal(err)
	}
	dir := "../testdata/briefs"
	set, problems := briefs.Load(os.DirFS(dir), dir, corpus)
	if len(problems) > 0 {
		tb.Fatal(problems)
	}
	return newEngine(set, c, nil)
}

func newEngine(set *briefs.Set, c *counter, extra []bot.Command) *bot.Engine {
	opts := bot.Options{Extra: extra}
	if c != nil {
		opts.Observe = c.observe
	}
	return bot.New(set, opts)
}

// testKey is a key pair made for the test, standing in for the
// application's.
type testKey struct {
	pub  ed25519.PublicKey
	priv ed25519.PrivateKey
}

func newTestKey(tb testing.TB) testKey {
	tb.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return testKey{pub: pub, priv: priv}
}

func (k testKey) hex() string { return hex.EncodeToString(k.pub) }

// signed builds a request to the endpoint signed over ts+body.
func (k testKey) signed(body []byte, ts time.Time) *http.Request {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(k.priv, append([]byte(stamp), body...))
	r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	return r
}

// fakeDiscord is a stand-in for Discord's REST API on 127.0.0.1. It
// records every request and answers with respond, or 200 {} by default.
type fakeDiscord struct {
	srv     *httptest.Server
	mu      sync.Mutex
	calls   []call
	respond func(c call, n int) (status int, header http.Header, body string)
}

type call struct {
	Method, Path string
	Query        string
	Header       http.Header
	Body         []byte
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDiscord) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := call{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	n := len(f.calls)
	respond := f.respond
	f.mu.Unlock()
	status, header, out := http.StatusOK, http.Header(nil), `{"id":"900000000000000001"}`
	if respond != nil {
		status, header, out = respond(c, n)
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, out)
}

func (f *fakeDiscord) all() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// waitCalls waits until at least n requests arrived.
func (f *fakeDiscord) waitCalls(t *testing.T, n int) []call {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got := f.all(); len(got) >= n {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("fake Discord got %d requests, want %d", len(f.all()), n)
	return nil
}

// newHTTPAdapter is an adapter in HTTP mode whose REST calls go to fake.
func newHTTPAdapter(t *testing.T, e *bot.Engine, k testKey, apiURL string) *Adapter {
	t.Helper()
	a, err := New(e, Options{Mode: ModeHTTP, AppID: "100000000000000001", PublicKey: k.hex(), APIURL: apiURL, Naming: e.Naming(bot.PlatformDiscord)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Interaction payloads as Discord sends them.

func pingJSON(id string) []byte {
	return []byte(`{"id":"` + id + `","application_id":"100000000000000001","type":1,"token":"tok","version":1}`)
}

type opt struct {
	Name    string `json:"name"`
	Type    int    `json:"type"`
	Value   any    `json:"value,omitempty"`
	Focused bool   `json:"focused,omitempty"`
}

func commandJSON(id string, typ int, name string, perms int64, opts ...opt) []byte {
	in := map[string]any{
		"id": id, "application_id": "100000000000000001", "type": typ, "token": "tok-" + id,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001", "version": 1,
		"member": map[string]any{"permissions": strconv.FormatInt(perms, 10),
			"user": map[string]any{"id": "200000000000000001", "username": "tester"}},
		"data": map[string]any{"id": "500000000000000001", "name": name, "type": 1, "options": opts},
	}
	b, _ := json.Marshal(in)
	return b
}

func buttonJSON(id, customID string) []byte {
	in := map[string]any{
		"id": id, "application_id": "100000000000000001", "type": 3, "token": "tok-" + id,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001", "version": 1,
		"member": map[string]any{"permissions": "0", "user": map[string]any{"id": "200000000000000002"}},
		"data":   map[string]any{"custom_id": customID, "component_type": 2},
	}
	b, _ := json.Marshal(in)
	return b
}

// decoded is a response as Discord reads it.
type decoded struct {
	Type int `json:"type"`
	Data struct {
		Content         string            `json:"content"`
		Flags           int               `json:"flags"`
		Embeds          []json.RawMessage `json:"embeds"`
		Components      []json.RawMessage `json:"components"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
			Users []string `json:"users"`
			Roles []string `json:"roles"`
		} `json:"allowed_mentions"`
		Choices []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"choices"`
	} `json:"data"`
}

func decode(t *testing.T, b []byte) decoded {
	t.Helper()
	var d decoded
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, b)
	}
	return d
}

func serve(a *Adapter, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	a.Handler().ServeHTTP(w, r)
	return w
}

func contains(s []byte, sub string) bool { return strings.Contains(string(s), sub) }

var _ = context.Background

// decodeMultipart reads a multipart/form-data request: payload_json as a
// decoded message (wrapped as an interaction response's data), and the
// files by name.
func decodeMultipart(t *testing.T, c call) (decoded, map[string][]byte) {
	t.Helper()
	_, params, err := mime.ParseMediaType(c.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		t.Fatalf("%s %s: not multipart: %q", c.Method, c.Path, c.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(c.Body), params["boundary"])
	var d decoded
	files := map[string][]byte{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		body, _ := io.ReadAll(part)
		if part.FormName() == "payload_json" {
			d = decode(t, []byte(`{"data":`+string(body)+`}`))
			continue
		}
		files[part.FileName()] = body
	}
	return d, files
}
