// Package reload replaces the corpus and briefs while the bot runs. A
// reload loads and validates the whole new set first and swaps it in only
// when nothing is wrong; otherwise the previous set keeps being served and
// every problem is logged and remembered for the readiness report.
package reload

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briefbot/briefbot/briefs"
)

// Options configure a Reloader.
type Options struct {
	// Load reads and validates a complete set (briefs.LoadDirs).
	Load func() (*briefs.Set, error)
	// Swap makes a validated set the one every later request sees.
	Swap func(*briefs.Set)
	// Log receives one line per reload and one per problem.
	Log *slog.Logger
	// Counted, when set, is told the result of every reload (metrics).
	Counted func(ok bool)
}

// Reloader serialises reloads and remembers the last result.
type Reloader struct {
	opts Options
	mu   sync.Mutex // one reload at a time
	last atomic.Pointer[Status]
}

// Status is the result of one reload.
type Status struct {
	At       time.Time
	Trigger  string // "sighup", "watch"
	OK       bool
	Problems []string // every problem, when refused
}

// New returns a Reloader.
func New(opts Options) *Reloader {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Reloader{opts: opts}
}

// Reload loads the whole set and swaps it in when valid. trigger says what
// asked for it, for the log. A panic while loading is recovered and counts
// as a refused reload.
func (r *Reloader) Reload(trigger string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := time.Now()
	set, err := r.load()
	st := &Status{At: start, Trigger: trigger, OK: err == nil}
	if err != nil {
		st.Problems = problems(err)
		r.last.Store(st)
		r.count(false)
		r.opts.Log.Error("reload refused; still serving the previous set", "trigger", trigger, "problems", len(st.Problems))
		for _, p := range st.Problems {
			r.opts.Log.Error("reload problem", "trigger", trigger, "problem", p)
		}
		return fmt.Errorf("reload: %d problem(s); still serving the previous set", len(st.Problems))
	}
	r.opts.Swap(set)
	r.last.Store(st)
	r.count(true)
	r.opts.Log.Info("reloaded", "trigger", trigger, "briefs", len(set.Briefs), "documents", len(set.Corpus.Docs),
		"took_ms", float64(time.Since(start).Microseconds())/1000)
	return nil
}

func (r *Reloader) load() (set *briefs.Set, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.opts.Log.Error("reload panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			set, err = nil, fmt.Errorf("loading panicked: %v", p)
		}
	}()
	set, err = r.opts.Load()
	if err == nil && set == nil {
		err = errors.New("loading returned no set")
	}
	return set, err
}

func (r *Reloader) count(ok bool) {
	if r.opts.Counted != nil {
		r.opts.Counted(ok)
	}
}

// problems splits a load error into one line per problem.
func problems(err error) []string {
	var ps briefs.Problems
	if errors.As(err, &ps) {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.String()
		}
		return out
	}
	return []string{err.Error()}
}

// Last returns the result of the latest reload, or nil when there was none.
func (r *Reloader) Last() *Status { return r.last.Load() }

// Note is the readiness note: empty while the latest reload (if any)
// succeeded; otherwise what was refused and why, so /readyz shows that the
// process is serving an older set.
func (r *Reloader) Note() string {
	st := r.Last()
	if st == nil || st.OK {
		return ""
	}
	first := st.Problems[0]
	more := ""
	if n := len(st.Problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more; see the log)", n)
	}
	return fmt.Sprintf("last reload (%s, %s) failed, serving the previous set: %s%s",
		st.Trigger, st.At.UTC().Format(time.RFC3339), first, more)
}
