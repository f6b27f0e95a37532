package discord

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestHTTPResponseReused: two users asking the same command get the same
// bytes (encoded once), each still verified, counted and run; a command
// too long for a custom id gets its own fresh button key each time.
func TestHTTPResponseReused(t *testing.T) {
	var c counter
	k := newTestKey(t)
	a := newHTTPAdapter(t, shippedEngine(t, &c), k, newFakeDiscord(t).srv.URL)
	poland := opt{Name: "actor", Type: 3, Value: "poland"}
	w1 := serve(a, k.signed(commandJSON("rc1", 2, "stance", 0, poland), time.Now()))
	w2 := serve(a, k.signed(commandJSON("rc2", 2, "stance", 0, poland), time.Now()))
	if w1.Code != http.StatusOK || w2.Code != http.StatusOK {
		t.Fatalf("status %d, %d", w1.Code, w2.Code)
	}
	if w1.Body.String() != w2.Body.String() {
		t.Errorf("same command, different answers:\n%s\n%s", w1.Body, w2.Body)
	}
	if got := w2.Header().Get("Content-Length"); got != "" && got != strconv.Itoa(w2.Body.Len()) {
		t.Errorf("Content-Length %s for a %d-byte body", got, w2.Body.Len())
	}
	if c.n.Load() != 2 {
		t.Errorf("engine ran %d times, want 2", c.n.Load())
	}
	if n := len(a.responses.m); n != 1 {
		t.Errorf("%d cached responses, want 1", n)
	}
	// A replay of the first is still refused: the cache is after the checks.
	if w := serve(a, k.signed(commandJSON("rc1", 2, "stance", 0, poland), time.Now())); w.Code != http.StatusConflict {
		t.Errorf("replayed id: %d, want 409", w.Code)
	}
	// Text too long for a custom id gets a fresh stored key per answer,
	// so its response is never reused.
	if key := responseKey("/stance " + strings.Repeat("x", maxCustomID)); key != "" {
		t.Errorf("long command cached under %q", key)
	}
}
