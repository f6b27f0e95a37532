package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// start serves s on a free loopback port until the test ends.
func start(t *testing.T, s *Server) string {
	t.Helper()
	s.srv.Addr = "127.0.0.1:0"
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestPanicIsAnsweredAndLogged(t *testing.T) {
	var logs bytes.Buffer
	s := New("", slog.New(slog.NewTextHandler(&logs, nil)))
	s.Mux().HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
	base := start(t, s)

	resp, err := http.Get(base + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(string(body), `"error"`) || strings.Contains(string(body), "kaboom") {
		t.Errorf("panic answered %d %q; want 500 with a JSON error that does not leak the panic", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "harden_test.go") {
		t.Errorf("log lacks the panic value and its stack:\n%s", logs.String())
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after a panic, /healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestBodyCapOnEveryRoute(t *testing.T) {
	s := New("", slog.New(slog.DiscardHandler))
	var readErr error
	s.Mux().HandleFunc("POST /any", func(w http.ResponseWriter, r *http.Request) {
		_, readErr = io.ReadAll(r.Body)
	})
	base := start(t, s)

	big := strings.Repeat("x", MaxBodyBytes+1)
	resp, err := http.Post(base+"/any", "text/plain", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("declared oversized body: status %d, want 413", resp.StatusCode)
	}

	// A chunked body declares no length: reading stops at the cap.
	resp, err = http.Post(base+"/any", "text/plain", io.MultiReader(strings.NewReader(big)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if readErr == nil {
		t.Error("a chunked body past the cap was read whole")
	}
}

func TestSetHandlerKeepsHardening(t *testing.T) {
	s := New("", slog.New(slog.DiscardHandler))
	s.SetHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("wrapped") }))
	base := start(t, s)
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("status %d, want 500 from the recovery SetHandler keeps", resp.StatusCode)
	}
}

func TestTimeoutsAndHeaderLimitSet(t *testing.T) {
	s := New(":0", slog.New(slog.DiscardHandler))
	if s.srv.ReadHeaderTimeout == 0 || s.srv.ReadTimeout == 0 || s.srv.WriteTimeout == 0 || s.srv.IdleTimeout == 0 || s.srv.MaxHeaderBytes == 0 {
		t.Errorf("server lacks a timeout or header limit: %+v", s.srv)
	}
}

func TestSafelyRecovers(t *testing.T) {
	var logs bytes.Buffer
	ok := Safely(slog.New(slog.NewTextHandler(&logs, nil)), "reload", func() { panic("job broke") })
	if ok || !strings.Contains(logs.String(), "job=reload") || !strings.Contains(logs.String(), "job broke") {
		t.Errorf("Safely = %v, log %q", ok, logs.String())
	}
	if !Safely(slog.New(slog.DiscardHandler), "fine", func() {}) {
		t.Error("Safely reported a normal return as a panic")
	}
}
