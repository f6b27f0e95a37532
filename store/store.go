// Package store keeps digest subscriptions, the ledger of posted slots and
// the snapshots behind "changes" digests. One implementation of
// digest.Store runs over database/sql with two dialects: SQLite (embedded,
// pure Go, the default) and PostgreSQL (for several replicas). Both use the
// same schema and migrations, recorded in a schema_version table.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// DB is a digest.Store over a SQL database.
type DB struct {
	db      *sql.DB
	dialect dialect
	timeout time.Duration // of one statement; statementTimeout unless a test sets it
}

var _ digest.Store = (*DB)(nil)

// dialect is what differs between the databases.
type dialect struct {
	name string
	// lock, when set, runs first in the migration transaction so that
	// replicas starting together migrate one at a time.
	lock string
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func (s *DB) errorf(op string, err error) error {
	return fmt.Errorf("store (%s): %s: %w", s.dialect.name, op, err)
}

// statementTimeout bounds one statement, so that a database cut off
// without a word (a network partition) fails the call instead of holding
// it until the connection comes back.
const statementTimeout = 15 * time.Second

// bounded is ctx limited to one statement's time.
func (s *DB) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.timeout > 0 {
		return context.WithTimeout(ctx, s.timeout)
	}
	return context.WithTimeout(ctx, statementTimeout)
}

// exec runs a statement and returns the number of rows it changed.
func (s *DB) exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.errorf(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.errorf(op, err)
	}
	return n, nil
}

// Claim inserts a pending record unless one exists.
func (s *DB) Claim(ctx context.Context, key digest.SlotKey, owner string, now time.Time, lease time.Duration) (bool, error) {
	n, err := s.exec(ctx, "claim slot", `INSERT INTO digest_slots
		(job, target, slot_at, status, attempts, owner, lease_until, updated_at, unsure)
		VALUES ($1, $2, $3, 'pending', 1, $4, $5, $6, 1)
		ON CONFLICT (job, target, slot_at) DO NOTHING`,
		key.Job, key.Target, ms(key.At), owner, ms(now.Add(lease)), ms(now))
	return n == 1, err
}

// Reclaim takes over an expired pending record with rounds left. The
// round it starts may post: the slot is unsure until its outcome is known.
func (s *DB) Reclaim(ctx context.Context, key digest.SlotKey, owner string, now time.Time, lease time.Duration, maxRounds int) (bool, error) {
	n, err := s.exec(ctx, "reclaim slot", `UPDATE digest_slots
		SET owner = $4, lease_until = $5, attempts = attempts + 1, updated_at = $6, unsure = 1
		WHERE job = $1 AND target = $2 AND slot_at = $3
		AND status = 'pending' AND lease_until < $6 AND attempts < $7`,
		key.Job, key.Target, ms(key.At), owner, ms(now.Add(lease)), ms(now), maxRounds)
	return n == 1, err
}

// errNotOwner says another instance took the slot over meanwhile.
var errNotOwner = digest.ErrNotOwner

// Posted marks the slot posted and records the post in the audit log, in
// one transaction.
func (s *DB) Posted(ctx context.Context, key digest.SlotKey, owner, messageID string, now time.Time) error {
	const op = "mark posted"
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.errorf(op, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE digest_slots
		SET status = 'posted', message_id = $5, last_error = '', updated_at = $6
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, messageID, ms(now))
	if err != nil {
		return s.errorf(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.errorf(op, err)
	} else if n == 0 {
		return s.errorf(op, errNotOwner)
	}
	if err := postedAudit(ctx, tx, key, messageID, now); err != nil {
		return s.errorf(op+": audit", err)
	}
	if err := tx.Commit(); err != nil {
		return s.errorf(op, err)
	}
	return nil
}

// Progress records that the first sent messages of a split digest are
// posted, the first with id firstID.
func (s *DB) Progress(ctx context.Context, key digest.SlotKey, owner string, sent int, firstID string, now time.Time) error {
	n, err := s.exec(ctx, "record progress", `UPDATE digest_slots
		SET parts_sent = $5, message_id = $6, updated_at = $7
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, sent, firstID, ms(now))
	if err == nil && n == 0 {
		err = s.errorf("record progress", errNotOwner)
	}
	return err
}

// Failed records a failed round (the attempts column counts rounds).
func (s *DB) Failed(ctx context.Context, key digest.SlotKey, owner, msg string, now, retryAt time.Time, final bool) error {
	status := digest.StatusPending
	if final {
		status = digest.StatusFailed
	}
	n, err := s.exec(ctx, "mark failed", `UPDATE digest_slots
		SET status = $5, last_error = $6, lease_until = $7, updated_at = $8, unsure = 0
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, string(status), truncate(msg, 1000), ms(retryAt), ms(now))
	if err == nil && n == 0 {
		err = s.errorf("mark failed", errNotOwner)
	}
	return err
}

// GiveUp fails an expired pending record.
func (s *DB) GiveUp(ctx context.Context, key digest.SlotKey, msg string, now time.Time) error {
	_, err := s.exec(ctx, "give up slot", `UPDATE digest_slots
		SET status = 'failed', last_error = $4, updated_at = $5
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND status = 'pending' AND lease_until < $5`,
		key.Job, key.Target, ms(key.At), truncate(msg, 1000), ms(now))
	return err
}

// Skipped marks a slot held by owner as skipped, with the reason: nothing
// was posted, on purpose.
func (s *DB) Skipped(ctx context.Context, key digest.SlotKey, owner, reason string, now time.Time) error {
	n, err := s.exec(ctx, "mark skipped", `UPDATE digest_slots
		SET status = 'skipped', last_error = $5, updated_at = $6, unsure = 0
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, truncate(reason, 1000), ms(now))
	if err == nil && n == 0 {
		err = s.errorf("mark skipped", errNotOwner)
	}
	return err
}

const recordColumns = `job, target, slot_at, status, attempts, owner, lease_until, message_id, parts_sent, last_error, updated_at, unsure, checked`

// Stale lists expired pending records, oldest slot first.
func (s *DB) Stale(ctx context.Context, now time.Time, limit int) ([]digest.Record, error) {
	return s.records(ctx, "list stale slots", `SELECT `+recordColumns+` FROM digest_slots
		WHERE status = 'pending' AND lease_until < $1 ORDER BY slot_at LIMIT $2`, ms(now), limit)
}

// Latest returns the newest record of every (job, target).
func (s *DB) Latest(ctx context.Context) ([]digest.Record, error) {
	return s.records(ctx, "list latest slots", `SELECT `+recordColumns+` FROM digest_slots s
		WHERE slot_at = (SELECT MAX(slot_at) FROM digest_slots m WHERE m.job = s.job AND m.target = s.target)
		ORDER BY job, target`)
}

func (s *DB) records(ctx context.Context, op, query string, args ...any) ([]digest.Record, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.errorf(op, err)
	}
	defer rows.Close()
	var out []digest.Record
	for rows.Next() {
		var r digest.Record
		var at, lease, updated, unsure int64
		var status string
		if err := rows.Scan(&r.Job, &r.Target, &at, &status, &r.Rounds, &r.Owner, &lease, &r.MessageID, &r.Sent, &r.Error, &updated, &unsure, &r.Check); err != nil {
			return nil, s.errorf(op, err)
		}
		r.At, r.LeaseUntil, r.Updated, r.Status, r.Unsure = fromMS(at), fromMS(lease), fromMS(updated), digest.Status(status), unsure != 0
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf(op, err)
	}
	return out, nil
}

// Prune deletes records of slots before t, and audit entries before t:
// the audit log is kept as long as the ledger.
func (s *DB) Prune(ctx context.Context, before time.Time) (int64, error) {
	n, err := s.exec(ctx, "prune slots", `DELETE FROM digest_slots WHERE slot_at < $1`, ms(before))
	if err != nil {
		return n, err
	}
	a, err := s.exec(ctx, "prune audit log", `DELETE FROM audit_log WHERE at < $1`, ms(before))
	return n + a, err
}

// AddSubscription stores a subscription.
func (s *DB) AddSubscription(ctx context.Context, sub digest.Subscription) error {
	n, err := s.exec(ctx, "add subscription", `INSERT INTO digest_subscriptions
		(id, platform, channel, kind, at_time, zone, created_by, created_at, days, skip_unchanged)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
		sub.ID, sub.Platform, sub.Channel, sub.Kind, sub.At, sub.Zone, sub.CreatedBy, ms(sub.Created), sub.Days, boolInt(sub.SkipUnchanged))
	if err == nil && n == 0 {
		return digest.ErrDuplicate
	}
	return err
}

// RemoveSubscription deletes a channel's subscription.
func (s *DB) RemoveSubscription(ctx context.Context, id, platform, channel string) (bool, error) {
	n, err := s.exec(ctx, "remove subscription", `DELETE FROM digest_subscriptions
		WHERE id = $1 AND platform = $2 AND channel = $3`, id, platform, channel)
	return n == 1, err
}

// Subscriptions lists every subscription, oldest first.
func (s *DB) Subscriptions(ctx context.Context) ([]digest.Subscription, error) {
	const op = "list subscriptions"
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT id, platform, channel, kind, at_time, zone, created_by, created_at, days, skip_unchanged
		FROM digest_subscriptions ORDER BY created_at, id`)
	if err != nil {
		return nil, s.errorf(op, err)
	}
	defer rows.Close()
	var out []digest.Subscription
	for rows.Next() {
		var sub digest.Subscription
		var created, skip int64
		if err := rows.Scan(&sub.ID, &sub.Platform, &sub.Channel, &sub.Kind, &sub.At, &sub.Zone, &sub.CreatedBy, &created, &sub.Days, &skip); err != nil {
			return nil, s.errorf(op, err)
		}
		sub.Created, sub.SkipUnchanged = fromMS(created), skip != 0
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf(op, err)
	}
	return out, nil
}

// Snapshot returns a target's snapshot.
func (s *DB) Snapshot(ctx context.Context, target string) ([]byte, bool, error) {
	var data string
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	err := s.db.QueryRowContext(ctx, `SELECT data FROM digest_snapshots WHERE target = $1`, target).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.errorf("read snapshot", err)
	}
	return []byte(data), true, nil
}

// SaveSnapshot replaces a target's snapshot.
func (s *DB) SaveSnapshot(ctx context.Context, target string, data []byte, now time.Time) error {
	_, err := s.exec(ctx, "save snapshot", `INSERT INTO digest_snapshots (target, data, updated_at)
		VALUES ($1, $2, $3)
		ON CONFLICT (target) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		target, string(data), ms(now))
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // do not cut a UTF-8 sequence
		n--
	}
	return s[:n]
}
