package store

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store/storetest"
)

// hole forwards TCP connections to a database until stopped; stopped, it
// moves nothing, like a network partition, until let go again.
type hole struct {
	ln   net.Listener
	to   string
	mu   sync.Mutex
	gate chan struct{} // closed while open
}

func newHole(t *testing.T, to string) *hole {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &hole{ln: ln, to: to, gate: make(chan struct{})}
	close(h.gate)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go h.serve(c)
		}
	}()
	return h
}

func (h *hole) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", h.to)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	go h.pipe(up, c, done)
	go h.pipe(c, up, done)
	<-done
}

func (h *hole) pipe(dst io.Writer, src io.Reader, done chan<- struct{}) {
	defer func() { done <- struct{}{} }()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			h.mu.Lock()
			gate := h.gate
			h.mu.Unlock()
			<-gate
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (h *hole) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gate = make(chan struct{})
}

func (h *hole) open() {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(h.gate)
}

// TestStatementTimeoutOnAPartition: a database that stops answering
// without closing the connection fails a statement after the statement
// timeout instead of holding it, and the store works again once the
// database answers.
func TestStatementTimeoutOnAPartition(t *testing.T) {
	raw := storetest.PostgresURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	h := newHole(t, u.Host)
	u.Host = h.ln.Addr().String()
	s, err := OpenPostgres(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.timeout = 300 * time.Millisecond
	now := time.Now()
	key := digest.SlotKey{Job: "schedule:p", Target: "slack:C1", At: now.Truncate(time.Minute)}
	h.stop()
	start := time.Now()
	if _, err := s.Claim(context.Background(), key, "a", now, time.Minute); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("claim through a partition: %v after %v; want an error after about 300ms", err, time.Since(start))
	}
	if _, err := s.Latest(context.Background()); err == nil {
		t.Fatal("a query through a partition did not fail")
	}
	h.open()
	s.timeout = 10 * time.Second
	if won, err := s.Claim(context.Background(), key, "a", now, time.Minute); !won || err != nil {
		t.Fatalf("claim once the database answers: %v %v", won, err)
	}
}
