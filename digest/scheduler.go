package digest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/bot"
)

// Options configures a Scheduler. Zero values take the defaults noted.
type Options struct {
	Store     Store
	Schedules []*Job // from config
	// Builder returns what builds the digests (the engine), when needed.
	Builder func() Builder
	Grace   time.Duration // how old a missed slot may be and still post
	Clock   Clock         // SystemClock
	Log     *slog.Logger  // slog.Default()
	Owner   string        // this instance in the ledger; host name and a random suffix
	// Lease is how long a claim holds without a heartbeat before another
	// instance may take the slot over; 30s. It is renewed every Lease/6
	// while the slot is delivered, and every Lease/6 each instance looks
	// for slots whose lease ran out.
	Lease time.Duration
	// Rounds bounds the delivery rounds of a slot: its claim, then
	// takeovers and retries after a failed round; 8.
	Rounds int
	// RetryDelay is the wait before the round after a failed one, doubled
	// each round up to 5 minutes (or RetryDelay, if longer); 15s. Short
	// first waits post a slot soon after a platform that stalled for a
	// minute or two comes back; the doubling spreads 8 rounds over about
	// 17 minutes for longer outages.
	RetryDelay time.Duration
	Tries      int           // failed tries of a message, or a check, in a round; 3
	Backoff    time.Duration // first wait after a failed try; doubled each time; 2s
	Timeout    time.Duration // one request to a platform; 10s
	Workers    int           // slots delivered at once; 32
	// Settle is how long a check that found a message missing waits to
	// look again before the message is posted: a request sent earlier,
	// by this instance or one that stopped, may reach a platform that
	// stalled only after the check; 10s.
	Settle time.Duration
	// Counted, when set, is told of every slot's outcome per platform:
	// "posted", "failed" or "skipped" (for metrics).
	Counted func(platform, result string)
}

// Scheduler posts digests on their schedules, each slot once across
// restarts and replicas: the timetable finds due slots, the ledger claims
// them and holds their lease, delivery posts them.
type Scheduler struct {
	opts     Options
	clock    Clock
	log      *slog.Logger
	times    *timetable
	ledger   *ledger
	delivery *delivery
	content  content
	wg       sync.WaitGroup
}

// New returns a scheduler. Add posters before Run.
func New(o Options) *Scheduler {
	o = withDefaults(o)
	s := &Scheduler{opts: o, clock: o.Clock, log: o.Log, content: content{builder: o.Builder, store: o.Store}}
	s.times = &timetable{schedules: o.Schedules, store: o.Store, grace: o.Grace, log: o.Log, count: s.count,
		cursors: map[cursorKey]time.Time{}, ledger: map[cursorKey]time.Time{}, jobLast: map[string]time.Time{}, running: map[string]bool{}}
	s.ledger = &ledger{store: o.Store, owner: o.Owner, lease: o.Lease, rounds: o.Rounds, retryDelay: o.RetryDelay,
		clock: o.Clock, log: o.Log, inflight: map[SlotKey]bool{}}
	s.delivery = &delivery{clock: o.Clock, log: o.Log, tries: o.Tries, backoff: o.Backoff, maxWait: time.Minute,
		timeout: o.Timeout, settle: o.Settle, posters: map[string]Poster{}, pacers: map[string]*pacer{}}
	return s
}

func withDefaults(o Options) Options {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Owner == "" {
		o.Owner = instanceID()
	}
	setDefault(&o.Lease, 30*time.Second)
	setDefault(&o.RetryDelay, 15*time.Second)
	setDefault(&o.Backoff, 2*time.Second)
	setDefault(&o.Timeout, 10*time.Second)
	setDefault(&o.Settle, 10*time.Second)
	setDefault(&o.Rounds, 8)
	setDefault(&o.Tries, 3)
	setDefault(&o.Workers, 32)
	return o
}

func setDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

func instanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

// AddPoster sets the poster of a platform, by its name in targets.
func (s *Scheduler) AddPoster(platform string, p Poster) { s.delivery.addPoster(platform, p) }

// Owner is this instance's name in the ledger.
func (s *Scheduler) Owner() string { return s.opts.Owner }

// Schedules are the configured jobs.
func (s *Scheduler) Schedules() []*Job { return s.opts.Schedules }

// Run ticks at every minute boundary and, between them, sweeps for slots
// whose owner stopped or whose retry is due (every Lease/6), until ctx
// ends; then it waits for deliveries in progress. Catch-up after downtime
// happens on the first tick.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("digest scheduler started", "owner", s.opts.Owner, "schedules", len(s.opts.Schedules), "grace", s.opts.Grace.String())
	s.spawn(ctx, s.Tick)
	for {
		now := s.clock.Now()
		minute := now.Truncate(time.Minute).Add(time.Minute)
		next := now.Add(s.opts.Lease / 6)
		if minute.Before(next) {
			next = minute
		}
		if err := s.clock.Sleep(ctx, next.Sub(now)); err != nil {
			break
		}
		if next.Equal(minute) {
			s.spawn(ctx, s.Tick)
		} else {
			s.spawn(ctx, s.Sweep)
		}
	}
	s.wg.Wait()
	s.log.Info("digest scheduler stopped")
	return nil
}

func (s *Scheduler) spawn(ctx context.Context, f func(context.Context, time.Time)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f(ctx, s.clock.Now())
	}()
}

// Tick does everything due at now: posts due slots, takes over slots whose
// lease expired, and prunes old ledger entries. It returns when its
// deliveries are done. Tests call it directly with the times they need.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) {
	s.times.begin(now)
	jobs := s.times.jobs(ctx)
	if err := s.times.load(ctx); err != nil {
		s.log.Error("digest: read ledger", "err", err)
		return
	}
	started := s.times.start(jobs)
	defer s.times.end(started)
	due := s.times.due(started, now)
	items := append(due, s.stale(ctx, jobs, now)...)
	resolved := s.deliverAll(ctx, items)
	s.times.advance(due, resolved[:len(due)])
	s.ledger.prune(ctx, now)
}

// Sweep takes over slots whose lease expired (their owner stopped, or a
// failed round waits for its retry).
func (s *Scheduler) Sweep(ctx context.Context, now time.Time) {
	s.deliverAll(ctx, s.stale(ctx, s.times.jobs(ctx), now))
}

// stale returns pending slots whose lease expired, and gives up on those
// out of rounds or whose job is gone.
func (s *Scheduler) stale(ctx context.Context, jobs []*Job, now time.Time) []item {
	recs, err := s.ledger.stale(ctx, now)
	if err != nil {
		s.log.Error("digest: list pending slots", "err", err)
		return nil
	}
	byID := map[string]*Job{}
	for _, j := range jobs {
		byID[j.ID] = j
	}
	var items []item
	for _, r := range recs {
		j, ok := byID[r.Job]
		t, terr := ParseTarget(r.Target)
		switch {
		case !ok || terr != nil:
			s.ledger.giveUp(ctx, r, "schedule or subscription no longer exists", now)
		case r.Rounds >= s.opts.Rounds:
			s.ledger.giveUp(ctx, r, fmt.Sprintf("gave up after %d rounds; last error: %s", r.Rounds, orNone(r.Error)), now)
			s.count(t, "failed")
		default:
			items = append(items, item{job: j, target: t, at: r.At, reclaim: true, rounds: r.Rounds, sent: r.Sent, firstID: r.MessageID, unsure: r.Unsure})
		}
	}
	return items
}

func orNone(s string) string {
	if s == "" {
		return "none recorded (the instance holding it stopped)"
	}
	return s
}

// deliverAll delivers items with a bounded number of workers and reports
// which claims resolved (won, or lost to another instance). Each runs
// inside cron.Recover, so a panic is logged and the others go on.
func (s *Scheduler) deliverAll(ctx context.Context, items []item) []bool {
	resolved := make([]bool, len(items))
	if len(items) == 0 {
		return resolved
	}
	guard := cron.NewChain(cron.Recover(cronLogger{s.log}))
	cache := newContentCache()
	sem := make(chan struct{}, s.opts.Workers)
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			resolved[i] = true // a panic is not retried by the cursor
			guard.Then(cron.FuncJob(func() {
				_, err := s.deliverOne(ctx, it, cache)
				resolved[i] = !errors.Is(err, errClaim)
			})).Run()
		}()
	}
	wg.Wait()
	return resolved
}

var (
	errInflight = errors.New("digest: slot is being delivered by this instance")
	errClaimed  = errors.New("digest: slot already claimed")
	errClaim    = errors.New("digest: claim failed")
)

// deliverOne claims the slot, and only if this instance won, builds the
// digest, checks the platform if an earlier round may have posted, posts
// what is missing and records the outcome.
func (s *Scheduler) deliverOne(ctx context.Context, it item, cache *contentCache) (string, error) {
	key := it.key()
	if !s.ledger.startInflight(key) {
		return "", errInflight
	}
	defer s.ledger.endInflight(key)
	log := s.log.With("job", key.Job, "target", key.Target, "slot", key.At.Format(time.RFC3339))
	won, round, err := s.ledger.claim(ctx, it)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("digest: claim slot", "err", err)
		}
		return "", fmt.Errorf("%w: %v", errClaim, err)
	}
	if !won {
		log.Debug("digest: slot already claimed")
		return "", errClaimed
	}
	alive, stop := s.ledger.hold(ctx, key, s.opts.Timeout)
	defer stop()
	p, snap, err := s.prepare(ctx, it, cache, alive)
	if errors.Is(err, errUnchanged) {
		return "", s.skip(ctx, log, it)
	}
	if err == nil && it.unsure {
		err = s.check(ctx, log, key, p)
	}
	if err == nil {
		err = s.delivery.send(ctx, p)
	}
	return s.finish(ctx, log, it, round, p, snap, err)
}

// prepare renders the digest for the item and sets up its post.
func (s *Scheduler) prepare(ctx context.Context, it item, cache *contentCache, alive func() error) (*post, *bot.Snapshot, error) {
	key := it.key()
	p := &post{target: it.target, mark: bot.PostMark{Key: key.String(), At: key.At}, alive: alive}
	out, err := s.content.render(ctx, it, cache)
	if err != nil {
		return p, nil, permanentError{err}
	}
	// Skip only before anything of the slot may have been posted.
	if out.unchanged && it.job.SkipUnchanged && it.sent == 0 && !it.unsure {
		return p, nil, errUnchanged
	}
	reply, snap := out.reply, out.snap
	n, err := s.delivery.parts(it.target, reply)
	if err != nil {
		return p, nil, err
	}
	p.reply, p.ids = reply, make([]string, n)
	for i := 0; i < it.sent && i < n; i++ {
		p.ids[i] = "(posted)"
	}
	if it.sent > 0 && n > 0 {
		p.ids[0] = it.firstID
	}
	p.sent = func(i int, id string) error {
		if i+1 == n {
			return nil // the last one: finish records the slot posted
		}
		return s.ledger.progress(ctx, key, i+1, p.firstID())
	}
	return p, snap, nil
}

// errUnchanged is a "changes" digest with nothing to list, for a job that
// skips those.
var errUnchanged = errors.New("nothing changed since the previous digest here; not posted")

// skip records a slot skipped because nothing changed. The target's
// snapshot stays that of its last posted digest, so the next one lists
// everything since.
func (s *Scheduler) skip(ctx context.Context, log *slog.Logger, it item) error {
	if err := s.opts.Store.Skipped(context.WithoutCancel(ctx), it.key(), s.opts.Owner, errUnchanged.Error(), s.clock.Now()); err != nil {
		log.Error("digest: record a skipped slot", "err", err)
		return err
	}
	log.Info("digest skipped: nothing changed", "kind", it.job.Kind)
	s.count(it.target, "skipped")
	return nil
}

// check looks on the platform for what an earlier round may have posted
// and records what it found; the post then resumes after the last message
// found.
func (s *Scheduler) check(ctx context.Context, log *slog.Logger, key SlotKey, p *post) error {
	if err := p.alive(); err != nil {
		return err
	}
	found, err := s.delivery.check(ctx, p)
	if err != nil {
		return unknownError{fmt.Errorf("could not check the platform for an earlier round's messages: %w", err)}
	}
	log.Info("digest: checked the platform before posting", "found", found)
	if err := s.ledger.checked(ctx, key, found, p.next(), p.firstID()); err != nil {
		return fmt.Errorf("%w: %v", errLeaseLost, err)
	}
	return nil
}

// finish records the round's outcome.
func (s *Scheduler) finish(ctx context.Context, log *slog.Logger, it item, round int, p *post, snap *bot.Snapshot, err error) (string, error) {
	key := it.key()
	switch {
	case errors.Is(err, errLeaseLost):
		log.Warn("digest: stopped; the slot is left to the instance that can record it", "err", err)
		return "", err
	case err != nil && ctx.Err() != nil:
		s.ledger.release(ctx, log, key, err)
		return "", err
	case err != nil:
		if s.ledger.failed(ctx, log, key, round, err) {
			s.count(it.target, "failed")
		}
		return "", err
	}
	id := p.firstID()
	if !s.ledger.posted(ctx, log, key, id) {
		return id, nil
	}
	now := s.clock.Now()
	if snap != nil {
		if err := s.content.saveSnapshot(context.WithoutCancel(ctx), it.target, it.job.Kind, snap, now); err != nil {
			log.Error("digest: save snapshot", "err", err)
		}
	}
	log.Info("digest posted", "kind", it.job.Kind, "message_id", id, "round", round, "late", now.Sub(it.at).Round(time.Second).String())
	s.count(it.target, "posted")
	return id, nil
}

func (s *Scheduler) count(t Target, result string) {
	if s.opts.Counted != nil {
		s.opts.Counted(t.Platform, result)
	}
}

// PostNow posts one digest of kind to t at once, through the same claim,
// delivery and ledger as scheduled slots (job "manual").
func (s *Scheduler) PostNow(ctx context.Context, kind string, t Target) (string, error) {
	b, err := s.content.builderNow()
	if err != nil {
		return "", err
	}
	if kind, err = b.DigestKind(kind); err != nil {
		return "", err
	}
	now := s.clock.Now().Truncate(time.Second)
	j := &Job{ID: "manual", Name: "manual", Kind: kind, Zone: time.UTC, Targets: []Target{t}, Since: now}
	id, err := s.deliverOne(ctx, item{job: j, target: t, at: now}, newContentCache())
	if errors.Is(err, errClaimed) || errors.Is(err, errInflight) {
		err = fmt.Errorf("digest: a digest to %s was already sent or tried this second; try again", t)
	}
	return id, err
}

// Status lists every job with its next run after now and the last result
// of each target; see Report.
func (s *Scheduler) Status(ctx context.Context, now time.Time, keep func(Target) bool) ([]JobStatus, error) {
	return Report(ctx, s.opts.Store, s.opts.Schedules, now, keep)
}

// cronLogger adapts slog to cron.Logger for cron.Recover.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Info("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
