package digest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/bot"
)

// Builder makes digest content; *bot.Engine is one.
type Builder interface {
	DigestKind(kind string) (string, error)
	Digest(kind string, prev *bot.Snapshot) (*bot.Reply, *bot.Snapshot, error)
}

// Options configures a Scheduler. Zero values take the defaults noted.
type Options struct {
	Store     Store
	Schedules []*Job        // from config, see Schedules
	Grace     time.Duration // how old a missed slot may be and still post
	Clock     Clock         // SystemClock
	Log       *slog.Logger  // slog.Default()
	Owner     string        // this instance in the ledger; host name and a random suffix
	Lease     time.Duration // how long a claim is held before others may retry it; 10m
	// MaxAttempts bounds delivery rounds per slot (claim, then retries of
	// a pending slot after its lease); 3.
	MaxAttempts int
	RetryDelay  time.Duration // between rounds after a transient failure; 5m
	Tries       int           // posts per round; 4
	Backoff     time.Duration // first wait between posts of a round; 2s
	Workers     int           // slots delivered at once; 32
	Limits      map[string]Limits
	// Counted, when set, is told of every slot's outcome per platform:
	// "posted", "failed" or "skipped" (for metrics).
	Counted func(platform, result string)
}

// onTime is how late a tick may find a slot and still count it as on time,
// whatever the grace period.
const onTime = 2 * time.Minute

// Scheduler posts digests on their schedules, each slot once across
// restarts and replicas, and serves the /digest command.
type Scheduler struct {
	opts     Options
	store    Store
	clock    Clock
	log      *slog.Logger
	delivery *delivery
	builder  atomic.Pointer[builderBox]

	mu       sync.Mutex
	cursors  map[cursorKey]time.Time // last time each (job, target) was looked at
	ledger   map[cursorKey]time.Time // latest slot in the store, loaded once
	jobLast  map[string]time.Time    // latest slot of any target of a job
	loaded   bool
	running  map[string]bool  // jobs with a tick in progress
	inflight map[SlotKey]bool // slots being delivered by this instance
	pruned   time.Time
	wg       sync.WaitGroup
}

type builderBox struct{ b Builder }

type cursorKey struct{ job, target string }

// New returns a scheduler. Attach a Builder and add posters before Run.
func New(o Options) *Scheduler {
	o = withDefaults(o)
	s := &Scheduler{opts: o, store: o.Store, clock: o.Clock, log: o.Log,
		cursors: map[cursorKey]time.Time{}, ledger: map[cursorKey]time.Time{}, jobLast: map[string]time.Time{},
		running: map[string]bool{}, inflight: map[SlotKey]bool{}}
	s.delivery = &delivery{clock: o.Clock, log: o.Log, attempts: o.Tries, backoff: o.Backoff,
		maxWait: time.Minute, timeout: 30 * time.Second,
		posters: map[string]Poster{}, pacers: map[string]*pacer{}, limits: o.Limits}
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
	setDefault(&o.Lease, 10*time.Minute)
	setDefault(&o.RetryDelay, 5*time.Minute)
	setDefault(&o.Backoff, 2*time.Second)
	setDefault(&o.MaxAttempts, 3)
	setDefault(&o.Tries, 4)
	setDefault(&o.Workers, 32)
	if o.Limits == nil {
		o.Limits = DefaultLimits()
	}
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

// Attach sets what builds the digests (the engine). Call it before Run.
func (s *Scheduler) Attach(b Builder) { s.builder.Store(&builderBox{b}) }

// AddPoster sets the poster of a platform ("slack", "discord", "console").
func (s *Scheduler) AddPoster(platform string, p Poster) { s.delivery.addPoster(platform, p) }

// Owner is this instance's name in the ledger.
func (s *Scheduler) Owner() string { return s.opts.Owner }

func (s *Scheduler) build() (Builder, error) {
	if b := s.builder.Load(); b != nil {
		return b.b, nil
	}
	return nil, errors.New("digest: no content builder attached")
}

// Run ticks at every minute boundary until ctx ends, then waits for
// deliveries in progress. Catch-up after downtime happens on the first tick.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("digest scheduler started", "owner", s.opts.Owner, "schedules", len(s.opts.Schedules), "grace", s.opts.Grace.String())
	s.spawnTick(ctx)
	for {
		now := s.clock.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		if err := s.clock.Sleep(ctx, next.Sub(now)); err != nil {
			break
		}
		s.spawnTick(ctx)
	}
	s.wg.Wait()
	s.log.Info("digest scheduler stopped")
	return nil
}

func (s *Scheduler) spawnTick(ctx context.Context) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.Tick(ctx, s.clock.Now())
	}()
}

// item is one slot to deliver to one target.
type item struct {
	job     *Job
	target  Target
	at      time.Time
	reclaim bool   // a pending slot whose lease expired
	tries   int    // rounds so far, for a reclaim
	sent    int    // messages already posted, for a reclaim of a split digest
	firstID string // the first message's id, when sent > 0
}

func (it item) key() SlotKey {
	return SlotKey{Job: it.job.ID, Target: it.target.String(), At: it.at.UTC()}
}

// Tick does everything due at now: posts due slots (the latest missed one
// if within the grace period), retries pending slots whose lease expired,
// and prunes old ledger entries. It returns when its deliveries are done.
// Tests call it directly with the times they need.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) {
	jobs := s.Jobs(ctx)
	if err := s.loadLedger(ctx); err != nil {
		s.log.Error("digest: read ledger", "err", err)
		return
	}
	started := s.startJobs(jobs)
	defer s.endJobs(started)
	items := s.due(started, now)
	items = append(items, s.stale(ctx, jobs, now)...)
	s.deliverAll(ctx, items)
	s.prune(ctx, now)
}

// Jobs returns the configured schedules and the subscriptions in the store.
func (s *Scheduler) Jobs(ctx context.Context) []*Job {
	jobs := append([]*Job(nil), s.opts.Schedules...)
	subs, err := s.store.Subscriptions(ctx)
	if err != nil {
		s.log.Error("digest: read subscriptions", "err", err)
		return jobs
	}
	for _, sub := range subs {
		j, err := SubscriptionJob(sub)
		if err != nil {
			s.log.Error("digest: bad subscription", "subscription", sub.ID, "err", err)
			continue
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// loadLedger reads the latest slot of every (job, target) once, so that
// after a restart each resumes where it stopped.
func (s *Scheduler) loadLedger(ctx context.Context) error {
	s.mu.Lock()
	loaded := s.loaded
	s.mu.Unlock()
	if loaded {
		return nil
	}
	recs, err := s.store.Latest(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.ledger[cursorKey{r.Job, r.Target}] = r.At
		if r.At.After(s.jobLast[r.Job]) {
			s.jobLast[r.Job] = r.At
		}
	}
	s.loaded = true
	return nil
}

// startJobs marks jobs running and returns those that were not already:
// a job still delivering from an earlier tick is left alone, and its
// cursor not moved, so the next tick catches up.
func (s *Scheduler) startJobs(jobs []*Job) []*Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Job
	for _, j := range jobs {
		if s.running[j.ID] {
			s.log.Warn("digest: previous run still in progress, skipping this tick", "job", j.ID)
			continue
		}
		s.running[j.ID] = true
		out = append(out, j)
	}
	return out
}

func (s *Scheduler) endJobs(jobs []*Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range jobs {
		delete(s.running, j.ID)
	}
}

// due finds, for every job and target, the latest slot since it was last
// looked at. Older missed slots are skipped and logged, and so is the
// latest when it is older than the grace period.
func (s *Scheduler) due(jobs []*Job, now time.Time) []item {
	var items []item
	for _, j := range jobs {
		for _, t := range j.Targets {
			if it, ok := s.dueFor(j, t, now); ok {
				items = append(items, it)
			}
		}
	}
	return items
}

func (s *Scheduler) dueFor(j *Job, t Target, now time.Time) (item, bool) {
	after := s.cursor(j, t)
	s.setCursor(j, t, now)
	if !now.After(after) {
		return item{}, false
	}
	latest, passed := dueSlots(j.sched, j.Zone, after, now)
	if latest.IsZero() {
		return item{}, false
	}
	log := s.log.With("job", j.ID, "target", t.String())
	if passed > 0 {
		log.Warn("digest: missed slots skipped (only the latest is posted)", "skipped", passed, "since", after.UTC().Format(time.RFC3339))
	}
	for range passed {
		s.count(t, "skipped")
	}
	if age := now.Sub(latest); age > max(s.opts.Grace, onTime) {
		log.Warn("digest: missed slot older than the grace period, skipped", "slot", latest.UTC().Format(time.RFC3339), "age", age.Round(time.Second).String(), "grace", s.opts.Grace.String())
		s.count(t, "skipped")
		return item{}, false
	}
	return item{job: j, target: t, at: latest}, true
}

// cursor is where to look from for (job, target): when it was last looked
// at; else its latest slot in the ledger; else just before the job's latest
// slot for another target (a fan-out cut short); else when the job began.
func (s *Scheduler) cursor(j *Job, t Target) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := cursorKey{j.ID, t.String()}
	if c, ok := s.cursors[k]; ok {
		return c
	}
	if at, ok := s.ledger[k]; ok {
		return at
	}
	if at, ok := s.jobLast[j.ID]; ok {
		return at.Add(-time.Nanosecond)
	}
	return j.Since
}

func (s *Scheduler) setCursor(j *Job, t Target, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors[cursorKey{j.ID, t.String()}] = now
}

// stale returns pending slots whose lease expired (a crash between claim
// and post, or a failed round waiting for its retry), and gives up on those
// out of attempts or whose job is gone.
func (s *Scheduler) stale(ctx context.Context, jobs []*Job, now time.Time) []item {
	recs, err := s.store.Stale(ctx, now, 1000)
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
		if s.isInflight(r.SlotKey) {
			continue
		}
		j, ok := byID[r.Job]
		t, terr := ParseTarget(r.Target)
		switch {
		case !ok || terr != nil:
			s.giveUp(ctx, r, "schedule or subscription no longer exists", now)
		case r.Attempts >= s.opts.MaxAttempts:
			s.giveUp(ctx, r, fmt.Sprintf("gave up after %d attempts; last error: %s", r.Attempts, orNone(r.Error)), now)
		default:
			items = append(items, item{job: j, target: t, at: r.At, reclaim: true, tries: r.Attempts, sent: r.Sent, firstID: r.MessageID})
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

func (s *Scheduler) giveUp(ctx context.Context, r Record, msg string, now time.Time) {
	s.log.Error("digest: slot failed", "job", r.Job, "target", r.Target, "slot", r.At.Format(time.RFC3339), "attempts", r.Attempts, "err", msg)
	if err := s.store.GiveUp(ctx, r.SlotKey, msg, now); err != nil {
		s.log.Error("digest: record failure", "job", r.Job, "target", r.Target, "err", err)
	}
}

// deliverAll delivers items with a bounded number of workers. Each runs
// inside cron.Recover, so a panic is logged and the others go on.
func (s *Scheduler) deliverAll(ctx context.Context, items []item) {
	if len(items) == 0 {
		return
	}
	guard := cron.NewChain(cron.Recover(cronLogger{s.log}))
	content := newContentCache()
	sem := make(chan struct{}, s.opts.Workers)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			guard.Then(cron.FuncJob(func() { s.deliverOne(ctx, it, content) })).Run()
		}()
	}
	wg.Wait()
}

// deliverOne claims the slot, and only if this instance won, builds the
// digest, posts it and records the outcome.
func (s *Scheduler) deliverOne(ctx context.Context, it item, content *contentCache) (string, error) {
	key := it.key()
	if !s.startInflight(key) {
		return "", errInflight
	}
	defer s.endInflight(key)
	log := s.log.With("job", key.Job, "target", key.Target, "slot", key.At.Format(time.RFC3339))
	won, round, err := s.claim(ctx, it)
	if err != nil {
		log.Error("digest: claim slot", "err", err)
		return "", err
	}
	if !won {
		log.Debug("digest: slot already claimed")
		return "", errClaimed
	}
	reply, snap, err := s.render(ctx, it, content)
	if err != nil {
		err = permanentError{err}
		s.fail(ctx, log, it, round, err)
		return "", err
	}
	id := it.firstID
	sent := func(i, of int, msgID string) error {
		if i == 0 {
			id = msgID
		}
		if i+1 == of {
			return nil // the last one: posted() records the slot
		}
		return s.progress(ctx, it, i+1, id)
	}
	tries, err := s.delivery.deliver(ctx, it.target, reply, it.sent, sent)
	if err != nil {
		s.fail(ctx, log.With("tries", tries), it, round, err)
		return "", err
	}
	s.posted(ctx, log, it, id, snap)
	return id, nil
}

// progress records that the first n messages of a split digest are posted.
// It fails when the slot is no longer this instance's (its lease ran out
// and another took it over), which stops the post before it repeats.
func (s *Scheduler) progress(ctx context.Context, it item, n int, firstID string) error {
	err := s.store.Progress(context.WithoutCancel(ctx), it.key(), s.opts.Owner, n, firstID, s.clock.Now())
	if err != nil {
		return permanentError{fmt.Errorf("digest: %d messages posted, but recording it failed: %w", n, err)}
	}
	return nil
}

var (
	errInflight = errors.New("digest: slot is being delivered by this instance")
	errClaimed  = errors.New("digest: slot already claimed")
)

// PostNow posts one digest of kind to t at once, through the same claim,
// delivery and ledger as scheduled slots (job "manual").
func (s *Scheduler) PostNow(ctx context.Context, kind string, t Target) (string, error) {
	b, err := s.build()
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

func (s *Scheduler) claim(ctx context.Context, it item) (bool, int, error) {
	now := s.clock.Now()
	if it.reclaim {
		won, err := s.store.Reclaim(ctx, it.key(), s.opts.Owner, now, s.opts.Lease, s.opts.MaxAttempts)
		return won, it.tries + 1, err
	}
	won, err := s.store.Claim(ctx, it.key(), s.opts.Owner, now, s.opts.Lease)
	return won, 1, err
}

func (s *Scheduler) posted(ctx context.Context, log *slog.Logger, it item, id string, snap *bot.Snapshot) {
	ctx = context.WithoutCancel(ctx)
	now := s.clock.Now()
	if err := s.store.Posted(ctx, it.key(), s.opts.Owner, id, now); err != nil {
		log.Error("digest: posted, but recording it failed", "message_id", id, "err", err)
	}
	if snap != nil {
		if err := s.saveSnapshot(ctx, it.target, snap, now); err != nil {
			log.Error("digest: save snapshot", "err", err)
		}
	}
	log.Info("digest posted", "kind", it.job.Kind, "message_id", id, "late", now.Sub(it.at).Round(time.Second).String())
	s.count(it.target, "posted")
}

func (s *Scheduler) count(t Target, result string) {
	if s.opts.Counted != nil {
		s.opts.Counted(t.Platform, result)
	}
}

// fail records a failed round: final when the error is permanent or the
// rounds are used up, else the slot is retried after RetryDelay.
func (s *Scheduler) fail(ctx context.Context, log *slog.Logger, it item, round int, err error) {
	ctx = context.WithoutCancel(ctx)
	now := s.clock.Now()
	final := IsPermanent(err) || round >= s.opts.MaxAttempts
	msg := err.Error()
	if !final {
		msg = fmt.Sprintf("%s (attempt %d of %d; will retry)", msg, round, s.opts.MaxAttempts)
	}
	log.Error("digest: delivery failed", "attempt", round, "final", final, "err", err)
	if final {
		s.count(it.target, "failed")
	}
	if rerr := s.store.Failed(ctx, it.key(), s.opts.Owner, msg, now, now.Add(s.opts.RetryDelay), final); rerr != nil {
		log.Error("digest: record failure", "err", rerr)
	}
}

func (s *Scheduler) startInflight(k SlotKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[k] {
		return false
	}
	s.inflight[k] = true
	return true
}

func (s *Scheduler) endInflight(k SlotKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inflight, k)
}

func (s *Scheduler) isInflight(k SlotKey) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight[k]
}

// retention is how long ledger entries are kept.
const retention = 90 * 24 * time.Hour

// prune deletes old ledger entries, at most hourly.
func (s *Scheduler) prune(ctx context.Context, now time.Time) {
	s.mu.Lock()
	if now.Sub(s.pruned) < time.Hour {
		s.mu.Unlock()
		return
	}
	s.pruned = now
	s.mu.Unlock()
	if n, err := s.store.Prune(ctx, now.Add(-retention)); err != nil {
		s.log.Error("digest: prune ledger", "err", err)
	} else if n > 0 {
		s.log.Info("digest: pruned ledger", "rows", n)
	}
}

// render builds the digest for one target. Overview and topic digests are
// built once per tick and shared; "changes" depends on the target.
func (s *Scheduler) render(ctx context.Context, it item, content *contentCache) (*bot.Reply, *bot.Snapshot, error) {
	b, err := s.build()
	if err != nil {
		return nil, nil, err
	}
	if it.job.Kind != bot.DigestChanges {
		r, err := content.get(it.job.Kind, func() (*bot.Reply, error) {
			r, _, err := b.Digest(it.job.Kind, nil)
			return r, err
		})
		return r, nil, err
	}
	prev, err := s.loadSnapshot(ctx, it.target)
	if err != nil {
		return nil, nil, err
	}
	return b.Digest(bot.DigestChanges, prev)
}

func (s *Scheduler) loadSnapshot(ctx context.Context, t Target) (*bot.Snapshot, error) {
	return LoadSnapshot(ctx, s.store, t)
}

// LoadSnapshot reads the snapshot behind t's previous "changes" digest;
// nil when there was none.
func LoadSnapshot(ctx context.Context, st Store, t Target) (*bot.Snapshot, error) {
	data, ok, err := st.Snapshot(ctx, t.String())
	if err != nil || !ok {
		return nil, err
	}
	var snap bot.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return nil, fmt.Errorf("digest: snapshot of %s: %w", t, err)
	}
	return &snap, nil
}

func (s *Scheduler) saveSnapshot(ctx context.Context, t Target, snap *bot.Snapshot, now time.Time) error {
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	return s.store.SaveSnapshot(ctx, t.String(), data, now)
}

// contentCache builds each kind of digest once per tick.
type contentCache struct {
	mu    sync.Mutex
	kinds map[string]*cached
}

type cached struct {
	once sync.Once
	r    *bot.Reply
	err  error
}

func newContentCache() *contentCache { return &contentCache{kinds: map[string]*cached{}} }

func (c *contentCache) get(kind string, build func() (*bot.Reply, error)) (*bot.Reply, error) {
	c.mu.Lock()
	e, ok := c.kinds[kind]
	if !ok {
		e = &cached{}
		c.kinds[kind] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.r, e.err = build() })
	return e.r, e.err
}

// cronLogger adapts slog to cron.Logger for cron.Recover.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Info("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
