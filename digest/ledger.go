package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ledger is the scheduler's side of the Store's ledger: claims and
// takeovers, the lease and its heartbeat, progress, outcomes, what checks
// found, pruning, and the slots this instance is delivering.
type ledger struct {
	store      Store
	owner      string
	lease      time.Duration
	rounds     int
	retryDelay time.Duration
	clock      Clock
	log        *slog.Logger

	mu       sync.Mutex
	inflight map[SlotKey]bool
	pruned   time.Time
}

// errLeaseLost stops a round whose slot this instance can no longer
// record: another took it over, or the database cannot be reached.
var errLeaseLost = errors.New("digest: lease lost (taken over, or the database is unreachable); stopped posting")

// claim claims a due slot or takes over a stale one, retrying a failing
// database for a short while. round is the round it starts.
func (l *ledger) claim(ctx context.Context, it item) (won bool, round int, err error) {
	wait := time.Second
	for try := 1; ; try++ {
		now := l.clock.Now()
		if it.reclaim {
			won, err = l.store.Reclaim(ctx, it.key(), l.owner, now, l.lease, l.rounds)
			round = it.rounds + 1
		} else {
			won, err = l.store.Claim(ctx, it.key(), l.owner, now, l.lease)
			round = 1
		}
		if err == nil || try == 4 {
			return won, round, err
		}
		l.log.Warn("digest: claim failed, retrying", "job", it.job.ID, "target", it.target.String(), "err", err, "retry_in", wait.String())
		if l.clock.Sleep(ctx, wait) != nil {
			return false, round, err
		}
		wait *= 2
	}
}

// hold keeps the lease of a claimed slot while a round runs: it renews it
// every lease/6, and alive() fails once the slot was taken over or when
// the last renewal is too old for a request started now to finish within
// the lease. stop ends the heartbeat.
func (l *ledger) hold(ctx context.Context, key SlotKey, requestTimeout time.Duration) (alive func() error, stop func()) {
	var mu sync.Mutex
	renewed, lost := l.clock.Now(), false
	margin := max(l.lease-requestTimeout-l.lease/6, l.lease/3)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for l.clock.Sleep(ctx, l.lease/6) == nil {
			now := l.clock.Now()
			err := l.store.Renew(context.WithoutCancel(ctx), key, l.owner, now, l.lease)
			mu.Lock()
			switch {
			case err == nil:
				renewed = now
			case errors.Is(err, ErrNotOwner):
				lost = true
			}
			mu.Unlock()
			if err != nil {
				l.log.Warn("digest: renew lease", "job", key.Job, "target", key.Target, "err", err)
			}
		}
	}()
	alive = func() error {
		mu.Lock()
		defer mu.Unlock()
		if lost || l.clock.Now().Sub(renewed) > margin {
			return errLeaseLost
		}
		return nil
	}
	return alive, func() { cancel(); <-done }
}

// ErrNotOwner is returned by Store methods when the slot is no longer
// held by the owner given (another instance took it over).
var ErrNotOwner = errors.New("slot is no longer held by this instance")

// progress records that the first n messages of a split digest are posted.
func (l *ledger) progress(ctx context.Context, key SlotKey, n int, firstID string) error {
	err := l.store.Progress(context.WithoutCancel(ctx), key, l.owner, n, firstID, l.clock.Now())
	if err != nil {
		return fmt.Errorf("%w: %d messages posted, but recording it failed: %v", errLeaseLost, n, err)
	}
	return nil
}

func (l *ledger) checked(ctx context.Context, key SlotKey, found string, sent int, firstID string) error {
	now := l.clock.Now()
	note := now.UTC().Format(time.RFC3339) + ": " + found
	return l.store.Checked(context.WithoutCancel(ctx), key, l.owner, note, sent, firstID, now)
}

// posted marks the slot posted, retrying a failing database for about a
// lease; if that is not enough, the slot stays pending and unsure, and the
// round that takes it over finds the messages on the platform.
func (l *ledger) posted(ctx context.Context, log *slog.Logger, key SlotKey, id string) bool {
	ctx = context.WithoutCancel(ctx)
	wait := time.Second
	for start := l.clock.Now(); ; {
		err := l.store.Posted(ctx, key, l.owner, id, l.clock.Now())
		if err == nil {
			return true
		}
		if errors.Is(err, ErrNotOwner) || l.clock.Now().Sub(start) > l.lease {
			log.Error("digest: posted, but recording it failed; the next round will find it on the platform", "message_id", id, "err", err)
			return false
		}
		log.Warn("digest: posted, recording it failed; retrying", "message_id", id, "err", err, "retry_in", wait.String())
		l.clock.Sleep(ctx, wait)
		wait = min(2*wait, 10*time.Second)
	}
}

// maxRetryDelay caps the doubling of the wait between rounds.
const maxRetryDelay = 5 * time.Minute

// retryAt is when a slot that failed its round-th round is tried again:
// retryDelay, doubled each round, at most maxRetryDelay (or retryDelay).
func (l *ledger) retryAt(now time.Time, round int) time.Time {
	wait := l.retryDelay << min(max(round-1, 0), 10)
	return now.Add(min(wait, max(maxRetryDelay, l.retryDelay)))
}

// failed records a failed round: final when the error is permanent or the
// rounds are used up; otherwise an unknown outcome is recorded as unknown,
// so that the next round checks the platform first.
func (l *ledger) failed(ctx context.Context, log *slog.Logger, key SlotKey, round int, err error) (final bool) {
	ctx = context.WithoutCancel(ctx)
	now := l.clock.Now()
	unknown := outcomeUnknown(err)
	final = IsPermanent(err) || round >= l.rounds && !unknown
	msg := err.Error()
	if !final {
		msg = fmt.Sprintf("%s (round %d of %d; will retry)", msg, round, l.rounds)
	}
	var rerr error
	switch {
	case unknown && !final:
		log.Warn("digest: outcome unknown; the next round checks the platform first", "round", round, "err", err)
		rerr = l.store.Unknown(ctx, key, l.owner, "outcome unknown: "+msg, now, l.retryAt(now, round))
	default:
		log.Error("digest: delivery failed", "round", round, "final", final, "err", err)
		rerr = l.store.Failed(ctx, key, l.owner, msg, now, l.retryAt(now, round), final)
	}
	if rerr != nil {
		log.Error("digest: record failure", "err", rerr)
	}
	return final
}

// release leaves a slot whose round was stopped by this instance shutting
// down to the next instance at once: pending, due now, unknown if a
// request's outcome was.
func (l *ledger) release(ctx context.Context, log *slog.Logger, key SlotKey, err error) {
	ctx = context.WithoutCancel(ctx)
	now := l.clock.Now()
	msg := "stopped by a shutdown; another instance goes on: " + err.Error()
	var rerr error
	if outcomeUnknown(err) {
		rerr = l.store.Unknown(ctx, key, l.owner, "outcome unknown: "+msg, now, now)
	} else {
		rerr = l.store.Failed(ctx, key, l.owner, msg, now, now, false)
	}
	log.Info("digest: shutting down; slot left to another instance", "err", err)
	if rerr != nil {
		log.Error("digest: record the stop", "err", rerr)
	}
}

// giveUp fails a stale slot for good.
func (l *ledger) giveUp(ctx context.Context, r Record, msg string, now time.Time) {
	l.log.Error("digest: slot failed", "job", r.Job, "target", r.Target, "slot", r.At.Format(time.RFC3339), "rounds", r.Rounds, "err", msg)
	if err := l.store.GiveUp(ctx, r.SlotKey, msg, now); err != nil {
		l.log.Error("digest: record failure", "job", r.Job, "target", r.Target, "err", err)
	}
}

// stale lists pending slots whose lease expired and this instance is not
// delivering.
func (l *ledger) stale(ctx context.Context, now time.Time) ([]Record, error) {
	recs, err := l.store.Stale(ctx, now, 1000)
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if !l.isInflight(r.SlotKey) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l *ledger) startInflight(k SlotKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inflight[k] {
		return false
	}
	l.inflight[k] = true
	return true
}

func (l *ledger) endInflight(k SlotKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.inflight, k)
}

func (l *ledger) isInflight(k SlotKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inflight[k]
}

// retention is how long ledger entries are kept.
const retention = 90 * 24 * time.Hour

// prune deletes old ledger entries, at most hourly.
func (l *ledger) prune(ctx context.Context, now time.Time) {
	l.mu.Lock()
	if now.Sub(l.pruned) < time.Hour {
		l.mu.Unlock()
		return
	}
	l.pruned = now
	l.mu.Unlock()
	if n, err := l.store.Prune(ctx, now.Add(-retention)); err != nil {
		l.log.Error("digest: prune ledger", "err", err)
	} else if n > 0 {
		l.log.Info("digest: pruned ledger", "rows", n)
	}
}
