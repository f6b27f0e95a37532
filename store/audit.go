package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/digest"
)

var _ bot.Auditor = (*DB)(nil)

// Caps on what an audit entry keeps; platform ids are far shorter, and a
// command line is at most what a chat command may be.
const (
	maxAuditID      = 128
	maxAuditCommand = 300
)

// Audit appends e to the audit log.
func (s *DB) Audit(ctx context.Context, e bot.AuditEntry) error {
	_, err := s.exec(ctx, "audit", `INSERT INTO audit_log (at, action, platform, channel, user_id, command, message_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		ms(e.At), truncate(e.Action, maxAuditID), truncate(e.Platform, maxAuditID), truncate(e.Channel, maxAuditID),
		truncate(e.User, maxAuditID), truncate(e.Command, maxAuditCommand), truncate(e.MessageID, maxAuditID))
	return err
}

// AuditLog returns the entries at or after since, oldest first, at most
// limit (the newest ones when there are more). channel, when set, keeps
// one channel: "C0123" on any platform, or "slack:C0123".
func (s *DB) AuditLog(ctx context.Context, since time.Time, channel string, limit int) ([]bot.AuditEntry, error) {
	const op = "read audit log"
	platform, ch, ok := strings.Cut(channel, ":")
	if !ok {
		platform, ch = "", channel
	}
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT at, action, platform, channel, user_id, command, message_id FROM (
		SELECT * FROM audit_log WHERE at >= $1 AND ($2 = '' OR platform = $2) AND ($3 = '' OR channel = $3)
		ORDER BY at DESC LIMIT $4) newest ORDER BY at`, ms(since), platform, ch, limit)
	if err != nil {
		return nil, s.errorf(op, err)
	}
	defer rows.Close()
	var out []bot.AuditEntry
	for rows.Next() {
		var e bot.AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Action, &e.Platform, &e.Channel, &e.User, &e.Command, &e.MessageID); err != nil {
			return nil, s.errorf(op, err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf(op, err)
	}
	return out, nil
}

// postedAudit records a digest post in the audit log, in the transaction
// that marks its slot posted: the target's platform and channel, who
// subscribed (empty for a configured schedule), the job and the message.
func postedAudit(ctx context.Context, tx *sql.Tx, key digest.SlotKey, messageID string, now time.Time) error {
	platform, channel, ok := strings.Cut(key.Target, ":")
	if !ok {
		platform, channel = key.Target, ""
	}
	sub, _ := strings.CutPrefix(key.Job, "sub:")
	if !strings.HasPrefix(key.Job, "sub:") {
		sub = ""
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, action, platform, channel, user_id, command, message_id)
		VALUES ($1, $2, $3, $4, COALESCE((SELECT created_by FROM digest_subscriptions WHERE id = $5), ''), $6, $7)`,
		ms(now), bot.AuditDigest, platform, channel, sub, truncate(key.Job, maxAuditCommand), truncate(messageID, maxAuditID))
	return err
}
