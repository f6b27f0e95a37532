package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTP(t *testing.T) {
	var got Request
	h := HTTP(Route{Path: "/hook", Limit: 5, Serve: func(_ context.Context, r *Request) Response {
		got = *r
		return Response{Status: 201, ContentType: "application/json", Body: []byte(`{}`)}
	}})
	cases := []struct {
		name     string
		body     io.Reader
		length   int64 // -1: chunked
		tooLarge bool
		want     string
	}{
		{"within the limit", strings.NewReader("12345"), 5, false, "12345"},
		{"declared too large", strings.NewReader("123456"), 6, true, ""},
		{"chunked, too large", strings.NewReader("123456"), -1, true, ""},
		{"chunked, within", strings.NewReader("123"), -1, false, "123"},
	}
	for _, c := range cases {
		got = Request{}
		req := httptest.NewRequest("POST", "/hook", c.body)
		req.ContentLength = c.length
		req.Header.Set("X-Sig", "s")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 201 || rec.Body.String() != "{}" || rec.Header().Get("Content-Type") != "application/json" ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: answer %d %q %v", c.name, rec.Code, rec.Body.String(), rec.Header())
		}
		if got.TooLarge != c.tooLarge || string(got.Body) != c.want || got.Path != "/hook" || got.Header.Get("X-Sig") != "s" {
			t.Errorf("%s: handler saw %+v", c.name, got)
		}
	}
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestHTTPUnreadableBody(t *testing.T) {
	called := false
	h := HTTP(Route{Path: "/hook", Limit: 5, Serve: func(context.Context, *Request) Response {
		called = true
		return Response{Status: 200}
	}})
	req := httptest.NewRequest("POST", "/hook", failingBody{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if called || rec.Code != http.StatusBadRequest {
		t.Errorf("unreadable body: handler called %v, status %d", called, rec.Code)
	}
}
