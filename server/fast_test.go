package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/webhook"
)

func TestWebhookOnTheFastPath(t *testing.T) {
	var logs bytes.Buffer
	s := New("", slog.New(slog.NewTextHandler(&logs, nil)))
	type seen struct {
		path, sig, body string
		tooLarge        bool
	}
	got := make(chan seen, 1)
	s.Webhook(webhook.Route{Path: "/hook", Limit: 10, Serve: func(_ context.Context, r *webhook.Request) webhook.Response {
		got <- seen{r.Path, r.Header.Get("X-Signature"), string(r.Body), r.TooLarge}
		return webhook.Response{Status: 202, ContentType: "application/json", Body: []byte(`{"ok":true}`)}
	}})
	s.Webhook(webhook.Route{Path: "/boom", Limit: 10, Serve: func(context.Context, *webhook.Request) webhook.Response {
		panic("hook broke")
	}})
	base := start(t, s)

	req, _ := http.NewRequest("POST", base+"/hook", strings.NewReader("0123456789"))
	req.Header.Set("x-signature", "abc")
	resp, body := do(t, req)
	if resp.StatusCode != 202 || body != `{"ok":true}` || resp.Header.Get("Content-Type") != "application/json" ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("answer %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if g := <-got; g != (seen{"/hook", "abc", "0123456789", false}) {
		t.Errorf("handler saw %+v", g)
	}

	resp, _ = do(t, mustRequest(t, "POST", base+"/hook", "01234567890"))
	if g := <-got; !g.tooLarge || g.body != "" || resp.StatusCode != 202 {
		t.Errorf("a body past the route's limit: handler saw %+v", g)
	}

	resp, _ = do(t, mustRequest(t, "GET", base+"/hook", ""))
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on a webhook: %d, want 405 from the mux", resp.StatusCode)
	}

	resp, body = do(t, mustRequest(t, "POST", base+"/boom", "x"))
	if resp.StatusCode != 500 || strings.Contains(body, "hook broke") || !strings.Contains(logs.String(), "hook broke") {
		t.Errorf("panicking webhook: %d %q; log:\n%s", resp.StatusCode, body, logs.String())
	}
	resp, body = do(t, mustRequest(t, "GET", base+"/healthz", ""))
	if resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("/healthz after a panic: %d %q", resp.StatusCode, body)
	}
}

// TestWebhookSameOnTheMux: the mux serves a webhook as the fast path does,
// so tests with httptest see what users see.
func TestWebhookSameOnTheMux(t *testing.T) {
	s := New("", slog.New(slog.DiscardHandler))
	s.Webhook(webhook.Route{Path: "/hook", Limit: 4, Serve: func(_ context.Context, r *webhook.Request) webhook.Response {
		if r.TooLarge {
			return webhook.Text(413, "too large\n")
		}
		return webhook.Text(200, "got "+string(r.Body))
	}})
	base := start(t, s)
	for _, body := range []string{"abcd", "abcde"} {
		fast, fastBody := do(t, mustRequest(t, "POST", base+"/hook", body))
		rec := &recorder{header: http.Header{}}
		s.Mux().ServeHTTP(rec, mustRequest(t, "POST", "/hook", body))
		if fast.StatusCode != rec.status || fastBody != rec.body.String() || fast.Header.Get("Content-Type") != rec.header.Get("Content-Type") {
			t.Errorf("body %q: fast path %d %q, mux %d %q", body, fast.StatusCode, fastBody, rec.status, rec.body.String())
		}
	}
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

func mustRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}
