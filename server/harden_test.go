package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// start serves s on a free loopback port until the test ends.
func start(t *testing.T, s *Server) string {
	t.Helper()
	s.addr = "127.0.0.1:0"
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
	var called atomic.Bool
	s.Mux().HandleFunc("POST /any", func(w http.ResponseWriter, r *http.Request) {
		called.Store(true)
		_, readErr = io.ReadAll(r.Body)
	})
	base := start(t, s)

	// A declared oversized body is answered 413 from its headers and the
	// connection closed; a client still sending sees the close instead.
	big := strings.Repeat("x", MaxBodyBytes+1)
	resp, err := http.Post(base+"/any", "text/plain", strings.NewReader(big))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("declared oversized body: status %d, want 413", resp.StatusCode)
		}
	}

	// A chunked body declares no length: it is refused at the cap, and
	// the handler never reads past it.
	resp, err = http.Post(base+"/any", "text/plain", io.MultiReader(strings.NewReader(big)))
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge && readErr == nil {
			t.Errorf("a chunked body past the cap was read whole (status %d)", resp.StatusCode)
		}
	}
	if called.Load() {
		t.Error("the handler ran for a body past the cap")
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
	srv := New(":0", slog.New(slog.DiscardHandler)).fastServer()
	if srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.ReadBufferSize == 0 || srv.MaxRequestBodySize != MaxBodyBytes {
		t.Errorf("server lacks a timeout, header limit or body cap: %+v", srv)
	}
}

func TestOversizedHeadersRefused(t *testing.T) {
	s := New("", slog.New(slog.DiscardHandler))
	base := start(t, s)
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("h", maxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("headers past %d bytes answered %d", maxHeaderBytes, resp.StatusCode)
		}
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

// TestDeclaredOversizedBodyAnswered413: the answer comes from the headers
// alone, before any of the body is sent.
func TestDeclaredOversizedBodyAnswered413(t *testing.T) {
	s := New("", slog.New(slog.DiscardHandler))
	base := start(t, s)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /any HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", MaxBodyBytes+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}
