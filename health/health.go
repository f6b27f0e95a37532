// Package health answers the liveness and readiness probes. Readiness is a
// list of named checks (briefs loaded, store reachable, each platform
// connected); notes add facts worth seeing that do not make the process
// unready, such as a refused reload while the previous set is still served.
package health

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// checkTimeout bounds one check, so a hung dependency makes the probe say
// "not ready" rather than hang the probe.
const checkTimeout = 2 * time.Second

// CheckFunc reports whether one part is ready; detail is a short human
// description shown either way (e.g. "58 briefs, 5 documents").
type CheckFunc func(ctx context.Context) (detail string, err error)

// NoteFunc returns a fact to show beside the checks, or "" for none.
type NoteFunc func() string

// Checker holds the readiness checks. Checks may be added at any time.
type Checker struct {
	mu     sync.Mutex
	checks []named[CheckFunc]
	notes  []named[NoteFunc]
}

type named[F any] struct {
	name string
	fn   F
}

// Add registers a check that must pass for the process to be ready.
func (c *Checker) Add(name string, fn CheckFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks = append(c.checks, named[CheckFunc]{name, fn})
}

// Note registers a fact shown in the readiness report that never makes the
// process unready.
func (c *Checker) Note(name string, fn NoteFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.notes = append(c.notes, named[NoteFunc]{name, fn})
}

// Report is the readiness answer.
type Report struct {
	Ready  bool     `json:"ready"`
	Checks []Result `json:"checks"`
	Notes  []Result `json:"notes,omitempty"`
}

// Result is one check or note.
type Result struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Check runs every check concurrently and reports.
func (c *Checker) Check(ctx context.Context) Report {
	c.mu.Lock()
	checks := append([]named[CheckFunc](nil), c.checks...)
	notes := append([]named[NoteFunc](nil), c.notes...)
	c.mu.Unlock()

	rep := Report{Ready: true, Checks: make([]Result, len(checks))}
	var wg sync.WaitGroup
	for i, ch := range checks {
		wg.Go(func() { rep.Checks[i] = run(ctx, ch) })
	}
	wg.Wait()
	for _, r := range rep.Checks {
		rep.Ready = rep.Ready && r.OK
	}
	for _, n := range notes {
		if s := n.fn(); s != "" {
			rep.Notes = append(rep.Notes, Result{Name: n.name, OK: false, Detail: s})
		}
	}
	return rep
}

func run(ctx context.Context, ch named[CheckFunc]) Result {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	type answer struct {
		detail string
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- answer{err: fmt.Errorf("check panicked: %v", p)}
			}
		}()
		d, err := ch.fn(ctx)
		done <- answer{d, err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			return Result{Name: ch.name, OK: false, Detail: a.err.Error()}
		}
		return Result{Name: ch.name, OK: true, Detail: a.detail}
	case <-ctx.Done():
		return Result{Name: ch.name, OK: false, Detail: "no answer within " + checkTimeout.String()}
	}
}

// ReadyHandler answers GET /readyz: 200 with the report when every check
// passes, 503 with the report naming what is not ready otherwise.
func (c *Checker) ReadyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := c.Check(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !rep.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	})
}
