// Package server is briefbot's HTTP server: one mux that every adapter
// mounts its routes on, a fast path for the platforms' signed callbacks,
// hardened timeouts, and a clean shutdown that lets in-flight requests
// finish.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/briefbot/briefbot/webhook"
)

// Server serves every HTTP route of the process.
type Server struct {
	addr    string
	mux     *http.ServeMux
	handler http.Handler // the hardened mux, or what SetHandler set
	hooks   map[string]webhook.Route
	log     *slog.Logger
}

// Timeouts and limits of the server.
const (
	readTimeout     = 10 * time.Second
	writeTimeout    = 15 * time.Second
	idleTimeout     = 60 * time.Second
	maxHeaderBytes  = 16 << 10
	shutdownTimeout = 10 * time.Second
	// writeBuffer holds a whole answer with its headers, so that one
	// write sends it.
	writeBuffer = 16 << 10
)

// New returns a server for addr.
func New(addr string, log *slog.Logger) *Server {
	mux := http.NewServeMux()
	s := &Server{addr: addr, mux: mux, handler: harden(log, mux), hooks: map[string]webhook.Route{}, log: log}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	return s
}

// Mux is where adapters mount their routes.
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Webhook mounts rt as POST rt.Path: on the mux, and on the fast path the
// listener answers it by.
func (s *Server) Webhook(rt webhook.Route) {
	webhook.Mux{ServeMux: s.mux}.Webhook(rt)
	s.hooks[rt.Path] = rt
}

// SetHandler wraps the mux (e.g. with metrics). The body cap and panic
// recovery stay outermost. Webhooks keep their fast path.
func (s *Server) SetHandler(h http.Handler) { s.handler = harden(s.log, h) }

// Listen binds the address, so callers know it is taken before serving.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("server: listen on %s: %w", s.addr, err)
	}
	return ln, nil
}

// Serve serves on ln until ctx ends, then shuts down, letting in-flight
// requests finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.fastServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.ShutdownWithContext(shutCtx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}
