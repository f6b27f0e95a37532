package digest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

// fakeClock is the bubble's clock (testing/synctest) moved to the time a
// test sets: sleeping takes no real time, and time moves only while every
// goroutine of the test waits.
type fakeClock struct {
	mu     sync.Mutex
	offset time.Duration
	slept  time.Duration
}

func newClock(at time.Time) *fakeClock {
	c := &fakeClock{}
	c.Set(at)
	return c
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.slept += d
		c.mu.Unlock()
	}
	return digest.SystemClock{}.Sleep(ctx, d)
}

// bubble runs f with a fake clock (see fakeClock).
func bubble(t *testing.T, f func(t *testing.T)) { synctest.Test(t, f) }

// post is one message a fake platform accepted.
type post struct {
	channel string
	title   string
	part    int
	id      string
	key     string
}

// fakePoster is a platform that remembers what it accepted. Each digest
// makes parts messages (1 if unset). fail, when set, decides the outcome
// of the n-th request (1-based) for a channel before the platform accepts
// it; lost, after it accepted it (an answer that never arrived).
type fakePoster struct {
	mu      sync.Mutex
	posts   []post
	calls   map[string]int
	finds   int
	parts   int
	fail    func(channel string, n int) error
	lost    func(channel string, n int) error
	findErr error
	// findBusy is how many Find calls answer 429 first.
	findBusy int
	// afterFind, when set, runs after the n-th Find has made its answer:
	// what it does, the answer does not see.
	afterFind func(n int)
}

func (p *fakePoster) Parts(*bot.Reply) int { return max(p.parts, 1) }

func (p *fakePoster) Spacing() (time.Duration, time.Duration) { return time.Second, 0 }

func (p *fakePoster) Send(_ context.Context, channel string, r *bot.Reply, m bot.PostMark) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[channel]++
	n := p.calls[channel]
	if p.fail != nil {
		if err := p.fail(channel, n); err != nil {
			return "", err
		}
	}
	id := fmt.Sprintf("m%d", len(p.posts)+1)
	p.posts = append(p.posts, post{channel, r.Title, m.Part, id, m.Key})
	if p.lost != nil {
		if err := p.lost(channel, n); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (p *fakePoster) Find(_ context.Context, channel string, r *bot.Reply, m bot.PostMark) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finds++
	if p.findErr != nil {
		return nil, p.findErr
	}
	if p.findBusy > 0 {
		p.findBusy--
		return nil, transientErr{wait: 3 * time.Second}
	}
	ids := make([]string, max(p.parts, 1))
	for _, x := range p.posts {
		if x.channel == channel && x.key == m.Key && x.part < len(ids) {
			ids[x.part] = x.id
		}
	}
	if p.afterFind != nil {
		p.afterFind(p.finds)
	}
	return ids, nil
}

// firstID returns the id of the first message of a digest posted to channel.
func (p *fakePoster) firstID(channel string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.posts {
		if x.channel == channel && x.part == 0 {
			return x.id
		}
	}
	return ""
}

// partsPosted returns the message indexes posted to channel, in order.
func (p *fakePoster) partsPosted(channel string) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for _, x := range p.posts {
		if x.channel == channel {
			out = append(out, x.part)
		}
	}
	return out
}

func (p *fakePoster) count(channel string) int { return len(p.partsPosted(channel)) }

func (p *fakePoster) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

func (p *fakePoster) requests(channel string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[channel]
}

// errs a poster may return.
type transientErr struct{ wait time.Duration }

func (e transientErr) Error() string             { return "fake: 429 too many requests" }
func (e transientErr) RetryAfter() time.Duration { return e.wait }

type permanentErr struct{}

func (permanentErr) Error() string   { return "fake: channel_not_found" }
func (permanentErr) Permanent() bool { return true }

// platformErr is one poster's error type for every failure, as the real
// posters have: what it says is in its fields.
type platformErr struct{ permanent, unknown bool }

func (e platformErr) Error() string {
	return fmt.Sprintf("fake: permanent %v, unknown %v", e.permanent, e.unknown)
}
func (e platformErr) Permanent() bool      { return e.permanent }
func (e platformErr) OutcomeUnknown() bool { return e.unknown }

type timeoutErr struct{}

func (timeoutErr) Error() string        { return "fake: timeout awaiting the answer" }
func (timeoutErr) OutcomeUnknown() bool { return true }

func testEngine(t testing.TB) *bot.Engine {
	t.Helper()
	set, err := briefs.LoadDirs("", filepath.Join("..", "bot", "testdata", "briefs"))
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(set, bot.Options{})
}

func quietLog() *slog.Logger {
	if os.Getenv("DIGEST_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func sqliteStore(t testing.TB) digest.Store {
	t.Helper()
	s, err := store.OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// stores runs fn against SQLite and, when configured, PostgreSQL. open
// returns a new handle on the same database each call, as a restarted or
// second replica would have. The test runs in parallel with the others
// that do: each has databases of its own and mostly waits on them.
func stores(t *testing.T, fn func(t *testing.T, open func() digest.Store)) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		bubble(t, func(t *testing.T) {
			fn(t, func() digest.Store {
				s, err := store.OpenSQLite(context.Background(), dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		bubble(t, func(t *testing.T) {
			fn(t, func() digest.Store {
				s, err := store.OpenPostgres(context.Background(), url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	})
}

// schedule makes config-style jobs.
func schedule(t testing.TB, e *bot.Engine, since time.Time, scheds ...config.Schedule) []*digest.Job {
	t.Helper()
	var jobs []*digest.Job
	for _, s := range scheds {
		kind, err := e.DigestKind(s.Kind)
		if err != nil {
			t.Fatal(err)
		}
		zone, err := digest.LoadZone(s.Zone)
		if err != nil {
			t.Fatal(err)
		}
		var targets []digest.Target
		for _, raw := range s.Targets {
			tg, err := digest.ParseTarget(raw)
			if err != nil {
				t.Fatal(err)
			}
			targets = append(targets, tg)
		}
		j, err := digest.NewJob(digest.Job{ID: "schedule:" + s.Name, Name: s.Name, Spec: s.Cron, Zone: zone, Kind: kind, Targets: targets, Since: since})
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

type rig struct {
	sched  *digest.Scheduler
	clock  *fakeClock
	slack  *fakePoster
	disc   *fakePoster
	store  digest.Store
	engine *bot.Engine
}

func newRig(t testing.TB, st digest.Store, e *bot.Engine, clock *fakeClock, owner string, jobs []*digest.Job, o digest.Options) *rig {
	r := &rig{clock: clock, slack: &fakePoster{}, disc: &fakePoster{}, store: st, engine: e}
	o.Store, o.Schedules, o.Clock, o.Owner = st, jobs, clock, owner
	if o.Log == nil {
		o.Log = quietLog()
	}
	switch {
	case o.Grace == 0:
		o.Grace = time.Hour
	case o.Grace < 0: // a test of no catch-up at all
		o.Grace = 0
	}
	o.Builder = func() digest.Builder { return e }
	r.sched = digest.New(o)
	r.sched.AddPoster("slack", r.slack)
	r.sched.AddPoster("discord", r.disc)
	return r
}

func (r *rig) sweep(at time.Time) {
	r.clock.Set(at)
	r.sched.Sweep(context.Background(), at)
}

func (r *rig) tick(at time.Time) {
	r.clock.Set(at)
	r.sched.Tick(context.Background(), at)
}

func latestRecord(t testing.TB, st digest.Store, job, target string) digest.Record {
	t.Helper()
	recs, err := st.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Job == job && r.Target == target {
			return r
		}
	}
	t.Fatalf("no ledger record for %s %s", job, target)
	return digest.Record{}
}
