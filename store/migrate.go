package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations are applied in order, each once; schema_version records how
// many have run. Never edit one that has shipped: append a new one.
var migrations = []string{
	`CREATE TABLE digest_slots (
		job         TEXT    NOT NULL,
		target      TEXT    NOT NULL,
		slot_at     BIGINT  NOT NULL,
		status      TEXT    NOT NULL,
		attempts    INTEGER NOT NULL,
		owner       TEXT    NOT NULL,
		lease_until BIGINT  NOT NULL,
		message_id  TEXT    NOT NULL DEFAULT '',
		last_error  TEXT    NOT NULL DEFAULT '',
		updated_at  BIGINT  NOT NULL,
		PRIMARY KEY (job, target, slot_at)
	);
	CREATE INDEX digest_slots_pending ON digest_slots (status, lease_until);
	CREATE TABLE digest_subscriptions (
		id         TEXT   PRIMARY KEY,
		platform   TEXT   NOT NULL,
		channel    TEXT   NOT NULL,
		kind       TEXT   NOT NULL,
		at_time    TEXT   NOT NULL,
		zone       TEXT   NOT NULL,
		created_by TEXT   NOT NULL,
		created_at BIGINT NOT NULL,
		UNIQUE (platform, channel, kind, at_time, zone)
	);
	CREATE TABLE digest_snapshots (
		target     TEXT   PRIMARY KEY,
		data       TEXT   NOT NULL,
		updated_at BIGINT NOT NULL
	);`,
	// 2: how many messages of a digest split into several are already
	// posted, so that a retry resumes after them instead of repeating them.
	`ALTER TABLE digest_slots ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;`,
	// 3: chat events (a Slack event id, a Discord message id, a user's
	// repeated question) claimed by the one replica that answers them.
	`CREATE TABLE chat_events (
		key        TEXT   PRIMARY KEY,
		claimed_at BIGINT NOT NULL,
		until_at   BIGINT NOT NULL
	);
	CREATE INDEX chat_events_until ON chat_events (until_at);`,
	// 4: whether a slot's messages may be on the platform beyond those
	// recorded (a round stopped or had an unknown outcome), and what the
	// last check of the platform found.
	`ALTER TABLE digest_slots ADD COLUMN unsure INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE digest_slots ADD COLUMN checked TEXT NOT NULL DEFAULT '';`,
	// 5: the audit log of shares and digest posts (who asked, where, which
	// command, which message; never message text or tokens), and the
	// managers of each channel named from chat.
	`CREATE TABLE audit_log (
		at         BIGINT NOT NULL,
		action     TEXT   NOT NULL,
		platform   TEXT   NOT NULL,
		channel    TEXT   NOT NULL,
		user_id    TEXT   NOT NULL,
		command    TEXT   NOT NULL,
		message_id TEXT   NOT NULL
	);
	CREATE INDEX audit_log_at ON audit_log (at);
	CREATE TABLE channel_managers (
		platform TEXT   NOT NULL,
		channel  TEXT   NOT NULL,
		user_id  TEXT   NOT NULL,
		added_by TEXT   NOT NULL,
		added_at BIGINT NOT NULL,
		PRIMARY KEY (platform, channel, user_id)
	);`,
	// 6: subscriptions on some days of the week only (empty: every day),
	// and "changes" subscriptions that skip a slot when nothing changed.
	`ALTER TABLE digest_subscriptions ADD COLUMN days TEXT NOT NULL DEFAULT '';
	ALTER TABLE digest_subscriptions ADD COLUMN skip_unchanged INTEGER NOT NULL DEFAULT 0;`,
	// 7: which dossier a channel, a workspace's channels or direct
	// messages answer from.
	`CREATE TABLE dossier_bindings (
		scope      TEXT   PRIMARY KEY,
		dossier    TEXT   NOT NULL,
		created_by TEXT   NOT NULL,
		created_at BIGINT NOT NULL
	);`,
}

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int { return len(migrations) }

// migrate brings the schema up to date in one transaction.
func (s *DB) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.errorf("migrate", err)
	}
	defer tx.Rollback()
	if s.dialect.lock != "" {
		if _, err := tx.ExecContext(ctx, s.dialect.lock); err != nil {
			return s.errorf("migrate: lock", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return s.errorf("migrate: schema_version", err)
	}
	version, err := currentVersion(ctx, tx)
	if err != nil {
		return s.errorf("migrate: read version", err)
	}
	if version > len(migrations) {
		return s.errorf("migrate", fmt.Errorf("the database is at schema version %d, newer than this build's %d", version, len(migrations)))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return s.errorf(fmt.Sprintf("migrate to version %d", i+1), err)
		}
	}
	if err := setVersion(ctx, tx, version, len(migrations)); err != nil {
		return s.errorf("migrate: write version", err)
	}
	if err := tx.Commit(); err != nil {
		return s.errorf("migrate: commit", err)
	}
	return nil
}

func currentVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

func setVersion(ctx context.Context, tx *sql.Tx, from, to int) error {
	if from == to {
		return nil
	}
	if from == 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, to)
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = $1`, to)
	return err
}
