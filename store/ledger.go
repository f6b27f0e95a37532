package store

import (
	"context"
	"time"

	"github.com/briefbot/briefbot/digest"
)

// Renew extends owner's lease on a pending slot: the heartbeat of a round.
func (s *DB) Renew(ctx context.Context, key digest.SlotKey, owner string, now time.Time, lease time.Duration) error {
	n, err := s.exec(ctx, "renew lease", `UPDATE digest_slots
		SET lease_until = $5, updated_at = $6
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, ms(now.Add(lease)), ms(now))
	if err == nil && n == 0 {
		err = s.errorf("renew lease", errNotOwner)
	}
	return err
}

// Unknown records a round whose outcome is unknown: the slot stays
// pending and unsure, to be retried after retryAt by a round that checks
// the platform first.
func (s *DB) Unknown(ctx context.Context, key digest.SlotKey, owner, msg string, now, retryAt time.Time) error {
	n, err := s.exec(ctx, "mark unknown", `UPDATE digest_slots
		SET unsure = 1, last_error = $5, lease_until = $6, updated_at = $7
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, truncate(msg, 1000), ms(retryAt), ms(now))
	if err == nil && n == 0 {
		err = s.errorf("mark unknown", errNotOwner)
	}
	return err
}

// Checked records what a check of the platform found and the messages
// known to be posted since.
func (s *DB) Checked(ctx context.Context, key digest.SlotKey, owner, found string, sent int, firstID string, now time.Time) error {
	n, err := s.exec(ctx, "record check", `UPDATE digest_slots
		SET checked = $5, parts_sent = $6, message_id = $7, updated_at = $8
		WHERE job = $1 AND target = $2 AND slot_at = $3 AND owner = $4 AND status = 'pending'`,
		key.Job, key.Target, ms(key.At), owner, truncate(found, 1000), sent, firstID, ms(now))
	if err == nil && n == 0 {
		err = s.errorf("record check", errNotOwner)
	}
	return err
}
