package slack

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/webhook"
)

// BenchmarkSignedStance sends a signed /stance poland through the real
// HTTP handler: verification, decoding, the engine, Block Kit rendering and
// the JSON response. Each iteration is a different user, so the duplicate
// check never short-cuts the work.
func BenchmarkSignedStance(b *testing.B) {
	now := time.Unix(1_760_000_000, 0)
	a := newTestAdapter(b, shippedEngine(b), newClock(now), Options{})
	mux := http.NewServeMux()
	a.Routes(webhook.Mux{ServeMux: mux})
	ts := strconv.FormatInt(now.Unix(), 10)
	bodies := make([]string, 4096)
	sigs := make([]string, len(bodies))
	for i := range bodies {
		bodies[i] = commandBody("/stance", "poland", "U"+strconv.Itoa(i), "")
		sigs[i] = Sign(testSecret, now.Unix(), []byte(bodies[i]))
	}
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%len(bodies) == 0 {
			// A body sent again is a replay (empty 200) and a
			// duplicate: start both memories afresh so that every
			// iteration does the whole work.
			a.commands = newDedup(commandWindow, a.commands.now)
			a.verifier.replays = newReplays()
		}
		j := i % len(bodies)
		r, _ := http.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(bodies[j]))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sigs[j])
		w.status, w.n = 0, 0
		mux.ServeHTTP(w, r)
		if w.status != http.StatusOK || w.n == 0 {
			b.Fatalf("status %d, %d bytes", w.status, w.n)
		}
	}
}

// BenchmarkRenderStance is the Block Kit rendering alone.
func BenchmarkRenderStance(b *testing.B) {
	r := shippedEngine(b).Handle(b.Context(), requestFor("/stance poland"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PreviewCommand(r, "/stance poland"); err != nil {
			b.Fatal(err)
		}
	}
}

type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}
func (w *discardWriter) WriteHeader(s int) { w.status = s }
