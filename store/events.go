package store

import (
	"context"
	"math/rand/v2"
	"time"
)

// maxEventKey bounds a stored event key; longer keys are cut (the
// platforms' ids are far shorter).
const maxEventKey = 512

// pruneEvery is how many claims, on average, go by between two deletions
// of expired event records.
const pruneEvery = 256

// ClaimEvent records key as handled until now+hold, unless a record of it
// that has not expired exists, and reports whether this call made the
// record. Of several replicas claiming the same key at once, exactly one
// wins. Expired records are deleted now and then.
func (s *DB) ClaimEvent(ctx context.Context, key string, now time.Time, hold time.Duration) (bool, error) {
	n, err := s.exec(ctx, "claim event", `INSERT INTO chat_events (key, claimed_at, until_at)
		VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, until_at = excluded.until_at
		WHERE chat_events.until_at <= excluded.claimed_at`,
		truncate(key, maxEventKey), ms(now), ms(now.Add(hold)))
	if err != nil {
		return false, err
	}
	if rand.IntN(pruneEvery) == 0 {
		if _, err := s.PruneEvents(ctx, now); err != nil {
			return n == 1, err
		}
	}
	return n == 1, nil
}

// PruneEvents deletes the event records that expired before now.
func (s *DB) PruneEvents(ctx context.Context, now time.Time) (int64, error) {
	return s.exec(ctx, "prune events", `DELETE FROM chat_events WHERE until_at < $1`, ms(now))
}
