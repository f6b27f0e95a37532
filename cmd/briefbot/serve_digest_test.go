package main

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/config"
)

// records keeps the messages of log records.
type records struct {
	mu   sync.Mutex
	msgs []string
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func (r *records) count(msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.Contains(m, msg) {
			n++
		}
	}
	return n
}

// TestServeWaitsForTheDatabase: a replica that starts while PostgreSQL
// does not answer retries for a while, saying so, before it gives up;
// the command line does not wait.
func TestServeWaitsForTheDatabase(t *testing.T) {
	t.Parallel() // it mostly waits: let the others run meanwhile
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing answers there now
	cfg := config.Defaults()
	cfg.DatabaseURL = config.Secret("postgres://postgres@" + addr + "/briefbot?sslmode=disable&connect_timeout=1")

	var logged records
	start := time.Now()
	if _, err := openDigests(t.Context(), &cfg, slog.New(&logged), 3*time.Second); err == nil {
		t.Fatal("opened a database that is not there")
	}
	if took := time.Since(start); took < 3*time.Second || logged.count("database not reachable") < 2 {
		t.Errorf("gave up after %v and %d retries; want about 3s of retries", took, logged.count("database not reachable"))
	}

	logged = records{}
	start = time.Now()
	if _, err := openDigests(t.Context(), &cfg, slog.New(&logged), 0); err == nil || time.Since(start) > 2*time.Second || logged.count("retrying") != 0 {
		t.Errorf("without a wait: %v after %v, %d retries", err, time.Since(start), logged.count("retrying"))
	}

	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := openDigests(ctx, &cfg, slog.New(&records{}), time.Minute); err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("a stop while waiting: %v after %v", err, time.Since(start))
	}
}
