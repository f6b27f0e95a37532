package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// fake is the Slack Web API and Discord REST API as far as digests use
// them, behaving as the platforms document: Slack's chat.postMessage
// with message metadata and conversations.history (metadata only with
// include_all_metadata, newest first, cursor pages); Discord's create
// message (a repeated nonce with enforce_nonce returns the first message
// instead of posting again, within nonceWindow) and channel messages
// (newest first, without the nonce, which Discord does not keep). It
// records every message it accepts, one JSON line each, with the time it
// accepted it. While limited, a share of requests is refused with 429
// and Retry-After, as the platforms do when a bot goes too fast.
type fake struct {
	nonceWindow time.Duration

	mu      sync.Mutex
	rec     *os.File
	slack   map[string][]*slackMessage   // channel → messages, oldest first
	discord map[string][]*discordMessage // channel → messages, oldest first
	nonces  map[string]*discordMessage   // nonce → the message it created
	bucket  map[string][]time.Time       // Discord channel → recent creates
	lastTS  int64                        // last Slack ts, in microseconds
	seq     int64
	limit   limitRule
	stats   map[string]int
}

// limitRule is the share of requests refused with 429, and the wait asked.
type limitRule struct {
	share float64
	wait  time.Duration
}

// record is one accepted message, as the report reads it.
type record struct {
	Platform string    `json:"platform"`
	Channel  string    `json:"channel"`
	ID       string    `json:"id"`
	Key      string    `json:"key,omitempty"` // Slack: from the metadata
	Part     int       `json:"part"`
	Nonce    string    `json:"nonce,omitempty"`     // Discord
	CustomID string    `json:"custom_id,omitempty"` // Discord: the first component's
	At       time.Time `json:"at"`
}

func runFake(args []string) error {
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	portFile := fs.String("portfile", "", "write the address here once listening")
	recPath := fs.String("record", "posts.jsonl", "append accepted messages here")
	window := fs.Duration("nonce-window", 2*time.Minute, "how long Discord remembers a nonce")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rec, err := os.OpenFile(*recPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer rec.Close()
	f := &fake{nonceWindow: *window, rec: rec, slack: map[string][]*slackMessage{}, discord: map[string][]*discordMessage{},
		nonces: map[string]*discordMessage{}, bucket: map[string][]time.Time{}, stats: map[string]int{}}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if err := writePort(*portFile, ln.Addr().String()); err != nil {
		return err
	}
	log.Printf("fake platforms on http://%s (Slack: /api/, Discord: /api/v9/)", ln.Addr())
	go f.logStatsOnSignal()
	return http.Serve(ln, f.routes())
}

func (f *fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat.postMessage", f.slackPost)
	mux.HandleFunc("POST /api/conversations.history", f.slackHistory)
	mux.HandleFunc("POST /api/{version}/channels/{channel}/messages", f.discordCreate)
	mux.HandleFunc("GET /api/{version}/channels/{channel}/messages", f.discordList)
	mux.HandleFunc("GET /api/{version}/users/@me", discordMe)
	mux.HandleFunc("GET /api/{version}/channels/{channel}", discordChannel)
	mux.HandleFunc("GET /api/{version}/guilds/{guild}", discordGuild)
	mux.HandleFunc("GET /api/{version}/guilds/{guild}/members/{user}", discordMember)
	mux.HandleFunc("POST /_chaos/limit", f.setLimit)
	mux.HandleFunc("GET /_chaos/stats", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		json.NewEncoder(w).Encode(f.stats)
	})
	return mux
}

// setLimit sets the share of requests answered 429 and the Retry-After:
// POST /_chaos/limit?share=0.3&wait=2s; share=0 stops it.
func (f *fake) setLimit(w http.ResponseWriter, r *http.Request) {
	share, err1 := strconv.ParseFloat(r.FormValue("share"), 64)
	wait, err2 := time.ParseDuration(r.FormValue("wait"))
	if err1 != nil || err2 != nil || share < 0 || share > 1 {
		http.Error(w, "want share=0..1 and wait=DURATION", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.limit = limitRule{share: share, wait: wait}
	f.mu.Unlock()
	log.Printf("429 on %.0f%% of requests, Retry-After %s", share*100, wait)
}

// limited reports whether to refuse this request with 429, and counts it.
func (f *fake) limited(what string) (time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stats[what]++
	if f.limit.share > 0 && rand.Float64() < f.limit.share {
		f.stats[what+" 429"]++
		return f.limit.wait, true
	}
	return 0, false
}

// save appends an accepted message to the record; f.mu is held.
func (f *fake) save(r record) {
	line, _ := json.Marshal(r)
	if _, err := f.rec.Write(append(line, '\n')); err != nil {
		log.Printf("record: %v", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// logStatsOnSignal prints the request counts on SIGUSR1 and at the end.
func (f *fake) logStatsOnSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGINT)
	for s := range c {
		f.mu.Lock()
		out, _ := json.Marshal(f.stats)
		f.mu.Unlock()
		log.Printf("requests: %s", out)
		if s != syscall.SIGUSR1 {
			os.Exit(0)
		}
	}
}

func retryAfterHeader(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", fmt.Sprint(max(int(wait.Seconds()+0.999), 1)))
}
