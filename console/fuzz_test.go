package console

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/briefbot/briefbot/bot"
)

// FuzzAPI feeds arbitrary bodies to POST /api/ask and arbitrary queries to
// GET /api/complete: never a panic or a 5xx, and always a JSON answer.
func FuzzAPI(f *testing.F) {
	set, err := loadSet()
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	New(Options{Engine: bot.New(set, bot.Options{})}).Routes(mux)
	f.Add([]byte(`{"command":"/stance poland"}`), "actor", "pol", "5")
	f.Add([]byte(`{"command":"<!channel> @here"}{}`), "person", "zelensk", "x")
	f.Add([]byte(`{"command":"/compare france","extra":1}`), "bogus", "", "26")
	f.Add([]byte("\xff\xfe"), "document", "d00", "-1")
	f.Fuzz(func(t *testing.T, body []byte, kind, q, n string) {
		for _, r := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/api/ask", bytes.NewReader(body)),
			httptest.NewRequest(http.MethodGet, "/api/complete?"+url.Values{"kind": {kind}, "q": {q}, "n": {n}}.Encode(), nil),
		} {
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code >= 500 || w.Header().Get("Content-Type") == "" || w.Body.Len() == 0 {
				t.Fatalf("%s %s: %d %q %.200q", r.Method, r.URL, w.Code, w.Header().Get("Content-Type"), w.Body.String())
			}
		}
	})
}
