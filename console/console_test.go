package console

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
)

func loadSet() (*briefs.Set, error) { return briefs.LoadDirs("", "") }

func newServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	set, err := loadSet()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Engine == nil {
		opts.Engine = bot.New(set, bot.Options{})
	}
	mux := http.NewServeMux()
	New(opts).Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, url, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

type askReply struct {
	Command  string `json:"command"`
	Outcome  string `json:"outcome"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Sources  []any  `json:"sources"`
	Previews map[string]struct {
		Forms []struct {
			Form    string            `json:"form"`
			Label   string            `json:"label"`
			Payload json.RawMessage   `json:"payload"`
			Files   map[string]string `json:"files"`
		} `json:"forms"`
		Error string `json:"error"`
	} `json:"previews"`
}

// fakeRender renders each form as {"form": …, "command": …} and attaches a
// one-pixel GIF.
func fakeRender(got **bot.Reply) func(*bot.Reply, string, []string) (map[string][]byte, map[string][]byte, error) {
	return func(r *bot.Reply, command string, forms []string) (map[string][]byte, map[string][]byte, error) {
		*got = r
		out := map[string][]byte{}
		for _, f := range forms {
			out[f] = []byte(`{"form":"` + f + `","command":"` + command + `"}`)
		}
		return out, map[string][]byte{"dot.gif": []byte("GIF89a\x01\x00\x01\x00")}, nil
	}
}

// TestAskReturnsReplyAndPreviews: the answer comes with each platform's
// rendering of it in every form a user meets it: the private reply to the
// command typed and, for an answer that can be shared, the shared post;
// attached files come as data: URLs; a renderer's error, invalid JSON or
// panic is reported in its place.
func TestAskReturnsReplyAndPreviews(t *testing.T) {
	var got *bot.Reply
	fail := func(err error) func(*bot.Reply, string, []string) (map[string][]byte, map[string][]byte, error) {
		return func(*bot.Reply, string, []string) (map[string][]byte, map[string][]byte, error) { return nil, nil, err }
	}
	srv := newServer(t, Options{Previews: []Preview{
		{Platform: "slack", Render: fakeRender(&got)},
		{Platform: "discord", Render: fail(errors.New("too long for an embed"))},
		{Platform: "broken", Render: func(*bot.Reply, string, []string) (map[string][]byte, map[string][]byte, error) {
			return map[string][]byte{FormPrivate: []byte("{not json")}, nil, nil
		}},
		{Platform: "panics", Render: func(*bot.Reply, string, []string) (map[string][]byte, map[string][]byte, error) {
			panic("renderer bug")
		}},
	}})
	resp, body := post(t, srv.URL+"/api/ask", "application/json", `{"command": "  /stance poland "}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var r askReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Command != "stance" || r.Outcome != "ok" || !strings.Contains(r.Title, "Poland") || len(r.Sources) == 0 || !strings.Contains(r.Text, "Sources") {
		t.Errorf("reply %+v", r)
	}
	if got == nil || got.Title != r.Title {
		t.Error("the preview was not rendered from the same reply")
	}
	forms := r.Previews["slack"].Forms
	if len(forms) != 2 || forms[0].Form != FormPrivate || forms[1].Form != FormShared ||
		string(forms[0].Payload) != `{"form":"private","command":"/stance poland"}` || forms[0].Label == "" {
		t.Errorf("slack forms %+v", forms)
	}
	if u := forms[0].Files["dot.gif"]; !strings.HasPrefix(u, "data:image/gif;base64,") {
		t.Errorf("attached file as %q", u)
	}
	if r.Previews["discord"].Error != "too long for an embed" {
		t.Errorf("discord preview error %q", r.Previews["discord"].Error)
	}
	if r.Previews["broken"].Error == "" || r.Previews["panics"].Error == "" {
		t.Errorf("invalid JSON or a panic in a renderer was not reported: %+v", r.Previews)
	}

	// An answer that is not an answer (unknown actor) has no shared form.
	_, body = post(t, srv.URL+"/api/ask", "application/json", `{"command": "/stance narnia"}`)
	r = askReply{}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if forms := r.Previews["slack"].Forms; len(forms) != 1 || forms[0].Form != FormPrivate {
		t.Errorf("unknown actor: slack forms %+v", forms)
	}
}

func TestAskUnknownActor(t *testing.T) {
	srv := newServer(t, Options{})
	_, body := post(t, srv.URL+"/api/ask", "application/json", `{"command": "/stance atlantis"}`)
	var r askReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Outcome != "not_found" || !strings.Contains(r.Text, "atlantis") {
		t.Errorf("unknown actor: %+v", r)
	}
}

func TestAskRefusesBadRequests(t *testing.T) {
	srv := newServer(t, Options{})
	for _, tc := range []struct {
		name, ctype, body string
		status            int
	}{
		{"form post", "application/x-www-form-urlencoded", "command=/help", http.StatusUnsupportedMediaType},
		{"text post", "text/plain", `{"command":"/help"}`, http.StatusUnsupportedMediaType},
		{"not json", "application/json", "/help", http.StatusBadRequest},
		{"unknown field", "application/json", `{"command":"/help","user":"x"}`, http.StatusBadRequest},
		{"two values", "application/json", `{"command":"/help"}{"command":"/help"}`, http.StatusBadRequest},
		{"too big", "application/json", `{"command":"` + strings.Repeat("a", maxAskBody) + `"}`, http.StatusBadRequest},
		{"charset is fine", "application/json; charset=utf-8", `{"command":"/help"}`, http.StatusOK},
	} {
		resp, body := post(t, srv.URL+"/api/ask", tc.ctype, tc.body)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, resp.StatusCode, tc.status, body)
		}
		if tc.status != 200 && !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: error answer %q is not JSON with an error", tc.name, body)
		}
	}
}

func TestAskLongCommandAnsweredPlainly(t *testing.T) {
	srv := newServer(t, Options{})
	_, body := post(t, srv.URL+"/api/ask", "application/json", `{"command":"/stance `+strings.Repeat("a", 5000)+`"}`)
	var r askReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if r.Outcome != "usage" {
		t.Errorf("a 5,000-byte command: outcome %q, want usage", r.Outcome)
	}
}

func TestCommandsFromTheTable(t *testing.T) {
	srv := newServer(t, Options{})
	_, body := get(t, srv.URL+"/api/commands")
	var cmds []commandInfo
	if err := json.Unmarshal(body, &cmds); err != nil {
		t.Fatal(err)
	}
	set, _ := loadSet()
	table := bot.New(set, bot.Options{}).Commands()
	if len(cmds) != len(table) {
		t.Fatalf("%d commands, the table has %d", len(cmds), len(table))
	}
	for i, c := range table {
		if cmds[i].Name != c.Name || cmds[i].Usage != c.Usage() || len(cmds[i].Args) != len(c.Args) {
			t.Errorf("row %d: %+v, table %s", i, cmds[i], c.Usage())
		}
	}
}

func TestComplete(t *testing.T) {
	srv := newServer(t, Options{})
	_, body := get(t, srv.URL+"/api/complete?kind=actor&q=po")
	var cs []bot.Choice
	if err := json.Unmarshal(body, &cs); err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 || cs[0].Value != "poland" {
		t.Errorf("complete actor po: %+v", cs)
	}
	_, body = get(t, srv.URL+"/api/complete?kind=actor&q=zzzz")
	if strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("no match answered %q, want []", body)
	}
	for _, q := range []string{"kind=text&q=a", "kind=actor&n=0", "kind=actor&n=999", "kind=actor&q=" + strings.Repeat("a", 300)} {
		if resp, _ := get(t, srv.URL+"/api/complete?"+q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, resp.StatusCode)
		}
	}
}

func TestDigests(t *testing.T) {
	srv := newServer(t, Options{})
	_, body := get(t, srv.URL+"/api/digests")
	if !strings.Contains(string(body), `"enabled":false`) {
		t.Errorf("without a feed: %s", body)
	}
	at := time.Date(2025, 8, 22, 8, 0, 0, 0, time.UTC)
	reply := &bot.Reply{Title: "Morning digest"}
	var rendered *bot.Reply
	renders := 0
	srv = newServer(t, Options{
		Digests: func() []Digest {
			return []Digest{{At: at, Name: "morning", Channel: "console", Reply: reply}}
		},
		Previews: []Preview{{Platform: "slack", Render: func(r *bot.Reply, cmd string, forms []string) (map[string][]byte, map[string][]byte, error) {
			renders++
			return fakeRender(&rendered)(r, cmd, forms)
		}}},
	})
	for range 2 {
		_, body = get(t, srv.URL+"/api/digests")
	}
	var d struct {
		Enabled bool `json:"enabled"`
		Digests []struct {
			Digest
			Previews map[string]struct {
				Forms []struct {
					Form string `json:"form"`
				} `json:"forms"`
			} `json:"previews"`
		} `json:"digests"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	if !d.Enabled || len(d.Digests) != 1 || d.Digests[0].Reply.Title != "Morning digest" || !d.Digests[0].At.Equal(at) {
		t.Errorf("digests %+v", d)
	}
	// Each digest is shown as the digest post it is, rendered once.
	if f := d.Digests[0].Previews["slack"].Forms; len(f) != 1 || f[0].Form != FormDigest || rendered != reply || renders != 1 {
		t.Errorf("digest previews %+v, rendered %d times", f, renders)
	}
}

func TestPageIsSelfContained(t *testing.T) {
	srv := newServer(t, Options{})
	resp, body := get(t, srv.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	page := string(body)
	for _, ref := range []string{"/console/app.js", "/console/app.css"} {
		if !strings.Contains(page, ref) {
			t.Errorf("page does not load %s", ref)
		}
		if r, _ := get(t, srv.URL+ref); r.StatusCode != 200 {
			t.Errorf("GET %s: %d", ref, r.StatusCode)
		}
	}
	for _, external := range []string{"http://", "https://", "//cdn", "<script>"} {
		if strings.Contains(page, external) {
			t.Errorf("page refers to %q: it must work offline with no inline script", external)
		}
	}
	_, js := get(t, srv.URL+"/console/app.js")
	if strings.Contains(string(js), "innerHTML") || strings.Contains(string(js), "insertAdjacentHTML") {
		t.Error("app.js writes HTML from strings")
	}
}

func TestForeignHostRefused(t *testing.T) {
	srv := newServer(t, Options{})
	for host, want := range map[string]int{
		"evil.example:8080": http.StatusForbidden,
		"localhost:8080":    http.StatusOK,
		"127.0.0.1:8080":    http.StatusOK,
		"[::1]:8080":        http.StatusOK,
		"192.168.1.20":      http.StatusOK,
	} {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/api/commands", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// TestEachPreviewNamesItsPlatformsCommands: with a prefix, the console's
// hints name commands as the console takes them and say how each platform
// previewed names them where it differs; each preview is rendered from
// the reply with that platform's names, the console's own answer keeps
// the console's.
func TestEachPreviewNamesItsPlatformsCommands(t *testing.T) {
	set, err := loadSet()
	if err != nil {
		t.Fatal(err)
	}
	var slackGot, discordGot *bot.Reply
	srv := newServer(t, Options{Engine: bot.New(set, bot.Options{Prefix: "bb-"}), Previews: []Preview{
		{Platform: bot.PlatformSlack, Render: fakeRender(&slackGot)},
		{Platform: bot.PlatformDiscord, Render: fakeRender(&discordGot)},
	}})
	_, body := get(t, srv.URL+"/api/commands")
	var cmds []commandInfo
	if err := json.Unmarshal(body, &cmds); err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		if !strings.HasPrefix(c.Name, "bb-") || !strings.HasPrefix(c.Usage, "/bb-") {
			t.Errorf("%s: usage %q", c.Name, c.Usage)
		}
		for _, ex := range c.Examples {
			if !strings.HasPrefix(ex, "/bb-") {
				t.Errorf("%s: example %q", c.Name, ex)
			}
		}
		want := map[string]string(nil)
		if c.Name == "bb-who" {
			want = map[string]string{bot.PlatformSlack: "/bb-whois <person>"}
			// Typed text may also say /who, /whois or /bb-whois: the
			// hints know them all.
			for _, also := range []string{"who", "whois", "bb-whois"} {
				if !slices.Contains(c.Also, also) {
					t.Errorf("%s: also %v lacks %q", c.Name, c.Also, also)
				}
			}
		}
		if bare := strings.TrimPrefix(c.Name, "bb-"); !slices.Contains(c.Also, bare) {
			t.Errorf("%s: also %v lacks the name without the prefix", c.Name, c.Also)
		}
		if !maps.Equal(c.Platforms, want) {
			t.Errorf("%s: platforms %v, want %v", c.Name, c.Platforms, want)
		}
	}
	_, body = post(t, srv.URL+"/api/ask", "application/json", `{"command": "/bb-help"}`)
	var r askReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "/bb-who <person>") || !strings.Contains(bot.RenderText(slackGot), "/bb-whois <person>") ||
		!strings.Contains(bot.RenderText(discordGot), "/bb-who <person>") || strings.Contains(bot.RenderText(discordGot), "whois") {
		t.Errorf("console:\n%s\nslack preview:\n%s\ndiscord preview:\n%s", r.Text, bot.RenderText(slackGot), bot.RenderText(discordGot))
	}
}
