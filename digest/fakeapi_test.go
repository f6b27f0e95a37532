package digest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is a chat platform's message endpoint on 127.0.0.1: it records
// every accepted message with its time, answers 429 to the first request
// for channels in limited, and a permanent error for channels in gone.
type fakeAPI struct {
	now      func() time.Time
	mu       sync.Mutex
	accepted map[string][]time.Time // channel → times of accepted messages
	requests []time.Time            // every request, for the global rate
	perChan  map[string][]time.Time // channel → times of every request to it
	limited  map[string]bool
	gone     map[string]bool
	seq      int
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{now: time.Now, accepted: map[string][]time.Time{}, perChan: map[string][]time.Time{}, limited: map[string]bool{}, gone: map[string]bool{}}
}

// decide records a request and says how to answer it.
func (f *fakeAPI) decide(channel string) (status string, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.requests = append(f.requests, now)
	f.perChan[channel] = append(f.perChan[channel], now)
	switch {
	case f.gone[channel]:
		return "gone", ""
	case f.limited[channel]:
		delete(f.limited, channel)
		return "limited", ""
	}
	f.seq++
	f.accepted[channel] = append(f.accepted[channel], now)
	return "ok", fmt.Sprint(f.seq)
}

// inMemory is an http.RoundTripper that hands requests to a handler in
// the same goroutine: no sockets, so a synctest bubble's clock moves only
// when the posters wait.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	m.h.ServeHTTP(w, r)
	resp := w.Result()
	resp.Request = r
	return resp, nil
}

// slackServer serves chat.postMessage.
func slackServer(f *fakeAPI) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			http.NotFound(w, r)
			return
		}
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch status, id := f.decide(r.FormValue("channel")); status {
		case "limited":
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
		case "gone":
			fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
		default:
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06s"}`, r.FormValue("channel"), id)
		}
	})
}

// discordServer serves POST /api/v*/channels/{id}/messages.
func discordServer(f *fakeAPI) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		if r.Method != http.MethodPost || len(parts) < 3 || parts[len(parts)-1] != "messages" {
			http.NotFound(w, r)
			return
		}
		channel := parts[len(parts)-2]
		w.Header().Set("Content-Type", "application/json")
		switch status, id := f.decide(channel); status {
		case "limited":
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Scope", "user")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"You are being rate limited.","retry_after":0.3,"global":false}`)
		case "gone":
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Unknown Channel","code":10003}`)
		default:
			json.NewEncoder(w).Encode(map[string]any{"id": "9" + id, "channel_id": channel, "content": ""})
		}
	})
}

// check reports duplicates and losses, and pacing: the smallest gap between
// two requests to one channel, and the most requests in any one second.
func (f *fakeAPI) check(t *testing.T, want []string, perMessage int) (minGap time.Duration, maxPerSecond int) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	minGap = time.Hour
	for _, ch := range want {
		if got := f.accepted[ch]; len(got) != perMessage {
			t.Errorf("channel %s: %d messages, want %d", ch, len(got), perMessage)
		}
		reqs := f.perChan[ch] // including those answered 429
		for i := 1; i < len(reqs); i++ {
			minGap = min(minGap, reqs[i].Sub(reqs[i-1]))
		}
	}
	reqs := append([]time.Time(nil), f.requests...)
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].Before(reqs[j]) })
	worst := 0
	for i, j := 0, 0; i < len(reqs); i++ {
		for reqs[i].Sub(reqs[j]) >= time.Second {
			j++
		}
		if i-j+1 > maxPerSecond {
			maxPerSecond, worst = i-j+1, i
		}
	}
	if maxPerSecond > 30 {
		var gaps []string
		for k := max(worst-40, 1); k <= worst; k++ {
			gaps = append(gaps, reqs[k].Sub(reqs[k-1]).Round(time.Millisecond).String())
		}
		t.Logf("gaps before the end of the busiest second: %s", strings.Join(gaps, " "))
	}
	return minGap, maxPerSecond
}
