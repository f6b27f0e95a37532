package digest

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// onTime is how late a slot may be found and still count as on time, if
// the scheduler was already running at the slot's time: during its own
// minute, by the tick at that minute (slots are whole minutes and the
// scheduler ticks at every minute boundary). Any other slot was missed
// (downtime, a tick skipped while an earlier run went on, a store error):
// of those only the latest is posted, and only if it is at most the grace
// period old, exactly; a grace of 0 posts only slots on time.
const onTime = time.Minute

// timetable knows the jobs and which of their slots are due: a cursor per
// (job, target) at the latest slot resolved (claimed by this instance or
// another, or skipped), loaded from the ledger after a restart.
type timetable struct {
	schedules []*Job
	store     Store
	grace     time.Duration
	started   time.Time // the first tick: slots before it were missed
	log       *slog.Logger
	count     func(t Target, result string)

	mu      sync.Mutex
	cursors map[cursorKey]time.Time // latest slot resolved of each (job, target)
	ledger  map[cursorKey]time.Time // latest slot in the store, loaded once
	jobLast map[string]time.Time    // latest slot of any target of a job
	loaded  bool
	running map[string]bool // jobs with a tick in progress
}

type cursorKey struct{ job, target string }

// item is one slot to deliver to one target.
type item struct {
	job     *Job
	target  Target
	at      time.Time
	reclaim bool   // a pending slot whose lease expired
	rounds  int    // rounds so far, for a reclaim
	sent    int    // messages already posted, for a reclaim of a split digest
	firstID string // the first message's id, when sent > 0
	unsure  bool   // messages may be on the platform beyond sent
}

func (it item) key() SlotKey {
	return SlotKey{Job: it.job.ID, Target: it.target.String(), At: it.at.UTC()}
}

// jobs returns the configured schedules and the subscriptions in the store.
func (tt *timetable) jobs(ctx context.Context) []*Job {
	jobs := append([]*Job(nil), tt.schedules...)
	subs, err := tt.store.Subscriptions(ctx)
	if err != nil {
		tt.log.Error("digest: read subscriptions", "err", err)
		return jobs
	}
	for _, sub := range subs {
		j, err := SubscriptionJob(sub)
		if err != nil {
			tt.log.Error("digest: bad subscription", "subscription", sub.ID, "err", err)
			continue
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// load reads the latest slot of every (job, target) once, so that after a
// restart each resumes where it stopped.
func (tt *timetable) load(ctx context.Context) error {
	tt.mu.Lock()
	loaded := tt.loaded
	tt.mu.Unlock()
	if loaded {
		return nil
	}
	recs, err := tt.store.Latest(ctx)
	if err != nil {
		return err
	}
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for _, r := range recs {
		tt.ledger[cursorKey{r.Job, r.Target}] = r.At
		if r.At.After(tt.jobLast[r.Job]) {
			tt.jobLast[r.Job] = r.At
		}
	}
	tt.loaded = true
	return nil
}

// begin notes the scheduler's first tick.
func (tt *timetable) begin(now time.Time) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	if tt.started.IsZero() {
		tt.started = now
	}
}

// start marks jobs running and returns those that were not already: a job
// still delivering from an earlier tick is left alone, and its cursor not
// moved, so the next tick catches up.
func (tt *timetable) start(jobs []*Job) []*Job {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	var out []*Job
	for _, j := range jobs {
		if tt.running[j.ID] {
			tt.log.Warn("digest: previous run still in progress, skipping this tick", "job", j.ID)
			continue
		}
		tt.running[j.ID] = true
		out = append(out, j)
	}
	return out
}

func (tt *timetable) end(jobs []*Job) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	for _, j := range jobs {
		delete(tt.running, j.ID)
	}
}

// due finds, for every job and target, the slots since its cursor: all of
// those less than onTime old, else the latest if within the grace period.
// Older missed slots are skipped and logged, and their cursor moved.
func (tt *timetable) due(jobs []*Job, now time.Time) []item {
	var items []item
	for _, j := range jobs {
		for _, t := range j.Targets {
			items = append(items, tt.dueFor(j, t, now)...)
		}
	}
	return items
}

func (tt *timetable) dueFor(j *Job, t Target, now time.Time) []item {
	after := tt.cursor(j, t)
	var recent []item
	var older time.Time
	skipped := 0
	for at := j.Next(after); !at.IsZero() && !at.After(now); at = j.Next(at) {
		if now.Sub(at) < onTime && !at.Before(tt.started) {
			recent = append(recent, item{job: j, target: t, at: at})
			continue
		}
		if !older.IsZero() {
			skipped++
		}
		older = at
		if skipped > 100_000 {
			break
		}
	}
	log := tt.log.With("job", j.ID, "target", t.String())
	if !older.IsZero() && len(recent) > 0 {
		skipped++ // the older ones give way to those on time
	}
	if skipped > 0 {
		log.Warn("digest: missed slots skipped (only the latest is posted)", "skipped", skipped, "since", after.UTC().Format(time.RFC3339))
		for range skipped {
			tt.count(t, "skipped")
		}
	}
	if len(recent) > 0 || older.IsZero() {
		if len(recent) > 0 && !older.IsZero() {
			tt.resolved(j, t, older)
		}
		return recent
	}
	if age := now.Sub(older); age > tt.grace {
		log.Warn("digest: missed slot older than the grace period, skipped", "slot", older.UTC().Format(time.RFC3339), "age", age.Round(time.Second).String(), "grace", tt.grace.String())
		tt.count(t, "skipped")
		tt.resolved(j, t, older)
		return nil
	}
	return []item{{job: j, target: t, at: older}}
}

// cursor is where to look from for (job, target): the latest slot resolved;
// else its latest slot in the ledger; else just before the job's latest
// slot for another target (a fan-out cut short); else when the job began.
func (tt *timetable) cursor(j *Job, t Target) time.Time {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	k := cursorKey{j.ID, t.String()}
	if c, ok := tt.cursors[k]; ok {
		return c
	}
	if at, ok := tt.ledger[k]; ok {
		return at
	}
	if at, ok := tt.jobLast[j.ID]; ok {
		return at.Add(-time.Nanosecond)
	}
	return j.Since
}

// resolved moves the cursor of (job, target) to at: its claim was won or
// lost to another instance, or it was skipped. A claim that failed on a
// database error leaves the cursor, so the slot is found again.
func (tt *timetable) resolved(j *Job, t Target, at time.Time) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	k := cursorKey{j.ID, t.String()}
	if c, ok := tt.cursors[k]; !ok || at.After(c) {
		tt.cursors[k] = at
	}
}

// advance moves each (job, target)'s cursor over its items in slot order,
// up to the first whose claim did not resolve.
func (tt *timetable) advance(items []item, resolved []bool) {
	type entry struct {
		at time.Time
		ok bool
	}
	byKey := map[cursorKey][]entry{}
	jobs := map[cursorKey]*Job{}
	targets := map[cursorKey]Target{}
	for i, it := range items {
		k := cursorKey{it.job.ID, it.target.String()}
		byKey[k] = append(byKey[k], entry{it.at, resolved[i]})
		jobs[k], targets[k] = it.job, it.target
	}
	for k, es := range byKey {
		slices.SortFunc(es, func(a, b entry) int { return a.at.Compare(b.at) })
		for _, e := range es {
			if !e.ok {
				break
			}
			tt.resolved(jobs[k], targets[k], e.at)
		}
	}
}
