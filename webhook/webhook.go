// Package webhook is the transport-neutral form of a platform's signed
// callback: a POST whose headers and body are all a handler needs, and an
// answer made of a status, a content type and a body.
//
// Adapters write their hottest endpoints (slash commands, interactions) as
// a Handler. The server answers them on its fast path without building a
// net/http request; HTTP wraps the same Handler for net/http, which tests
// and any other server use.
package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Header reads one request header by name; http.Header satisfies it.
type Header interface {
	Get(name string) string
}

var _ Header = http.Header(nil)

// Request is a callback as the server received it.
type Request struct {
	Path       string
	RemoteAddr string
	Header     Header
	Body       []byte
	// TooLarge says the body was over the route's limit; Body is then
	// empty.
	TooLarge bool
}

// Response is a handler's answer. An empty ContentType with an empty Body
// is a bare status. The server may send Body after the handler returns,
// so nothing may change it afterwards.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// Handler answers a callback. It must not keep r or its body after it
// returns: the server reuses them.
type Handler func(ctx context.Context, r *Request) Response

// Route is a handler with the path it answers (POST only) and the largest
// body it reads.
type Route struct {
	Path  string
	Limit int64
	Serve Handler
}

// HTTP returns a net/http handler for the route: it reads at most
// Limit+1 bytes of the body, calls the handler and writes its answer.
func HTTP(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := Request{Path: r.URL.Path, RemoteAddr: r.RemoteAddr, Header: r.Header}
		body, err := readBody(r, rt.Limit)
		switch {
		case errors.Is(err, errTooLarge):
			req.TooLarge = true
		case err != nil:
			write(w, Text(http.StatusBadRequest, "could not read the request body\n"))
			return
		default:
			req.Body = body
		}
		write(w, rt.Serve(r.Context(), &req))
	})
}

var errTooLarge = errors.New("body too large")

// readBody reads the body if it is at most limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || int64(len(body)) > limit {
		return nil, errTooLarge
	}
	return body, err
}

// write sends resp on w.
func write(w http.ResponseWriter, resp Response) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if resp.ContentType != "" {
		h.Set("Content-Type", resp.ContentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// Text is a plain-text answer.
func Text(status int, msg string) Response {
	return Response{Status: status, ContentType: "text/plain; charset=utf-8", Body: []byte(msg)}
}

// Mux mounts routes on a net/http ServeMux: plain handlers as they are,
// webhooks through HTTP.
type Mux struct{ *http.ServeMux }

// Webhook mounts rt as POST rt.Path.
func (m Mux) Webhook(rt Route) { m.Handle("POST "+rt.Path, HTTP(rt)) }
