package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// migrationLockID keys the advisory lock replicas take while migrating.
const migrationLockID = 0x62726965 // "brie"

// OpenPostgres connects to the PostgreSQL database at url and migrates it.
// Several replicas may share it: slot claims are INSERT … ON CONFLICT DO
// NOTHING on a unique key, and migrations run under an advisory lock.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store (postgres): parse DATABASE_URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store (postgres): connect to %s:%d/%s: %w", cfg.Host, cfg.Port, cfg.Database, err)
	}
	s := &DB{db: db, dialect: dialect{name: "postgres", lock: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockID)}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func ping(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}
