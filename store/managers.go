package store

import (
	"context"
	"time"
)

// AddManager names user a manager of a channel, added by by. It reports
// false when user already was one.
func (s *DB) AddManager(ctx context.Context, platform, channel, user, by string, now time.Time) (bool, error) {
	n, err := s.exec(ctx, "add channel manager", `INSERT INTO channel_managers (platform, channel, user_id, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		platform, channel, truncate(user, maxAuditID), truncate(by, maxAuditID), ms(now))
	return n == 1, err
}

// RemoveManager removes user from a channel's managers and reports
// whether they were one.
func (s *DB) RemoveManager(ctx context.Context, platform, channel, user string) (bool, error) {
	n, err := s.exec(ctx, "remove channel manager", `DELETE FROM channel_managers
		WHERE platform = $1 AND channel = $2 AND user_id = $3`, platform, channel, user)
	return n == 1, err
}

// Managers lists a channel's managers, first added first.
func (s *DB) Managers(ctx context.Context, platform, channel string) ([]string, error) {
	const op = "list channel managers"
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, `SELECT user_id FROM channel_managers
		WHERE platform = $1 AND channel = $2 ORDER BY added_at, user_id`, platform, channel)
	if err != nil {
		return nil, s.errorf(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, s.errorf(op, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf(op, err)
	}
	return out, nil
}
