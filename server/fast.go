package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"

	"github.com/briefbot/briefbot/webhook"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// fastServer is the listener's HTTP/1.1 server. valyala/fasthttp parses
// requests and writes answers with far less work per request than
// net/http (it reuses every buffer and builds no header map), which is
// most of what a signed callback costs once its answer is cached.
// Webhooks are answered on it directly; every other route goes to the
// net/http mux through fasthttpadaptor, with the same hardening as
// before.
func (s *Server) fastServer() *fasthttp.Server {
	mux := fasthttpadaptor.NewFastHTTPHandler(s.handler)
	return &fasthttp.Server{
		Handler: func(c *fasthttp.RequestCtx) {
			if c.IsPost() {
				if rt, ok := s.hooks[string(c.Path())]; ok {
					s.serveHook(c, rt)
					return
				}
			}
			mux(c)
		},
		ReadTimeout:           readTimeout,
		WriteTimeout:          writeTimeout,
		IdleTimeout:           idleTimeout,
		ReadBufferSize:        maxHeaderBytes,
		WriteBufferSize:       writeBuffer,
		MaxRequestBodySize:    MaxBodyBytes,
		NoDefaultServerHeader: true,
		NoDefaultContentType:  true,
		CloseOnShutdown:       true,
		Logger:                fastLog{s.log},
		ErrorHandler:          requestError,
	}
}

// requestError answers a request the server could not read.
func requestError(c *fasthttp.RequestCtx, err error) {
	var small *fasthttp.ErrSmallBuffer
	var netErr net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		c.Error(fmt.Sprintf("request body is larger than %d bytes\n", MaxBodyBytes), http.StatusRequestEntityTooLarge)
	case errors.As(err, &small):
		c.Error("request headers are too large\n", http.StatusRequestHeaderFieldsTooLarge)
	case errors.As(err, &netErr) && netErr.Timeout():
		c.Error("request timeout\n", http.StatusRequestTimeout)
	default:
		c.Error("malformed request\n", http.StatusBadRequest)
	}
}

// serveHook answers a webhook. The request's context is the process's, not
// the connection's: what a handler starts in the background outlives it.
func (s *Server) serveHook(c *fasthttp.RequestCtx, rt webhook.Route) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panicked", "method", "POST", "path", rt.Path,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			c.Response.Reset()
			writeFast(c, internalError)
		}
	}()
	req := webhook.Request{Path: rt.Path, RemoteAddr: c.RemoteAddr().String(), Header: fastHeader{&c.Request.Header}}
	if body := c.PostBody(); int64(len(body)) > rt.Limit {
		req.TooLarge = true
	} else {
		req.Body = body
	}
	writeFast(c, rt.Serve(context.Background(), &req))
}

var internalError = webhook.Response{
	Status:      http.StatusInternalServerError,
	ContentType: "application/json",
	Body:        []byte(`{"error":"internal error; the server logged the details"}` + "\n"),
}

func writeFast(c *fasthttp.RequestCtx, r webhook.Response) {
	c.SetStatusCode(r.Status)
	c.Response.Header.Set("X-Content-Type-Options", "nosniff")
	if r.ContentType != "" {
		c.SetContentType(r.ContentType)
	}
	c.Response.SetBodyRaw(r.Body)
}

// fastHeader reads the request's headers for a webhook.
type fastHeader struct{ h *fasthttp.RequestHeader }

func (f fastHeader) Get(name string) string { return string(f.h.Peek(name)) }

var _ webhook.Header = fastHeader{}

// fastLog passes the HTTP server's own messages (malformed requests,
// connection errors) to the log as warnings.
type fastLog struct{ log *slog.Logger }

func (f fastLog) Printf(format string, args ...any) {
	f.log.Warn("http server", "msg", fmt.Sprintf(format, args...))
}
