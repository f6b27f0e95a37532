package digest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/briefs"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

// fakeClock jumps instead of sleeping.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.slept += d
		c.mu.Unlock()
	}
	return ctx.Err()
}

// post is one message a fake poster received.
type post struct {
	channel string
	title   string
	part    int // index of the message within the digest
	id      string
}

// fakePoster records posts. Each digest makes parts messages (1 if
// unset); fail, when set, decides the outcome of the n-th message tried
// (1-based) for a channel.
type fakePoster struct {
	mu    sync.Mutex
	posts []post
	calls map[string]int
	parts int
	fail  func(channel string, n int) error
}

func (p *fakePoster) Post(_ context.Context, channel string, r *bot.Reply, from int, sent func(i, of int, id string) error) error {
	of := max(p.parts, 1)
	for i := from; i < of; i++ {
		id, err := p.postOne(channel, r, i)
		if err != nil {
			return err
		}
		if sent != nil {
			if err := sent(i, of, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *fakePoster) postOne(channel string, r *bot.Reply, part int) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[channel]++
	if p.fail != nil {
		if err := p.fail(channel, p.calls[channel]); err != nil {
			return "", err
		}
	}
	id := fmt.Sprintf("m%d", len(p.posts)+1)
	p.posts = append(p.posts, post{channel, r.Title, part, id})
	return id, nil
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

func (p *fakePoster) count(channel string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, x := range p.posts {
		if x.channel == channel {
			n++
		}
	}
	return n
}

func (p *fakePoster) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

// errs a poster may return.
type transientErr struct{ wait time.Duration }

func (e transientErr) Error() string             { return "fake: 429 too many requests" }
func (e transientErr) RetryAfter() time.Duration { return e.wait }

type permanentErr struct{}

func (permanentErr) Error() string   { return "fake: channel_not_found" }
func (permanentErr) Permanent() bool { return true }

func testEngine(t testing.TB) *bot.Engine {
	t.Helper()
	set, err := briefs.LoadDirs("", filepath.Join("..", "bot", "testdata", "briefs"))
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(set, bot.Options{})
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

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
// second replica would have.
func stores(t *testing.T, fn func(t *testing.T, open func() digest.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, func() digest.Store {
			s, err := store.OpenSQLite(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		fn(t, func() digest.Store {
			s, err := store.OpenPostgres(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		})
	})
}

// schedule makes config-style jobs.
func schedule(t testing.TB, e *bot.Engine, since time.Time, scheds ...config.Schedule) []*digest.Job {
	t.Helper()
	jobs, err := digest.Schedules(scheds, map[string]bool{"slack": true, "discord": true}, e.DigestKind, since)
	if err != nil {
		t.Fatal(err)
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
	if o.Grace == 0 {
		o.Grace = time.Hour
	}
	r.sched = digest.New(o)
	r.sched.Attach(e)
	r.sched.AddPoster("slack", r.slack)
	r.sched.AddPoster("discord", r.disc)
	return r
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
