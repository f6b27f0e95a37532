package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// MaxBodyBytes caps the body of every request. Routes that expect less set a
// lower cap of their own with http.MaxBytesReader.
const MaxBodyBytes = 1 << 20

// harden wraps h so that no request body is read past MaxBodyBytes and a
// panic in any handler is logged with its stack and answered with a clean
// 500, never taking the process down.
func harden(log *slog.Logger, h http.Handler) http.Handler {
	return recoverPanics(log, limitBody(MaxBodyBytes, h))
}

// limitBody refuses bodies declared larger than max and stops reading
// undeclared (chunked) ones at max.
func limitBody(max int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, fmt.Sprintf("request body is larger than %d bytes", max), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into a logged stack and a 500.
// http.ErrAbortHandler is passed on: it is the sanctioned way to abort a
// response and the server does not log it.
func recoverPanics(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &trackingWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			log.Error("handler panicked", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if rw.wrote {
				// Too late for a clean status; cut the connection so the
				// client sees a broken response rather than a partial one.
				panic(http.ErrAbortHandler)
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintln(w, `{"error":"internal error; the server logged the details"}`)
		}()
		h.ServeHTTP(rw, r)
	})
}

// trackingWriter notes whether a response has begun.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wrote = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// Safely runs fn and recovers a panic in it, logging the stack under the
// job's name. It reports whether fn returned normally.
func Safely(log *slog.Logger, job string, fn func()) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("job panicked", "job", job, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			ok = false
		}
	}()
	fn()
	return true
}
