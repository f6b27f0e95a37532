package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// FileName is the SQLite database's name inside the data directory.
const FileName = "briefbot.db"

// OpenSQLite opens (creating and migrating as needed) the database in dir.
// The directory is created with mode 0700 and the file with 0600: the ledger
// names channels and subscriptions name users.
func OpenSQLite(ctx context.Context, dir string) (*DB, error) {
	if dir == "" {
		return nil, errors.New("store (sqlite): no data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store (sqlite): create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate") // writers queue instead of failing to upgrade
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store (sqlite): open %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and this keeps the
	// claim's INSERT … ON CONFLICT and its readers strictly ordered.
	db.SetMaxOpenConns(1)
	s := &DB{db: db, dialect: dialect{name: "sqlite"}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	privateSidecars(path)
	return s, nil
}

// createPrivate creates the database file with mode 0600 if it is missing,
// and tightens the mode of an existing one.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store (sqlite): create %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store (sqlite): chmod %s: %w", path, err)
	}
	return nil
}

// privateSidecars tightens the WAL and shared-memory files SQLite creates
// with the process umask.
func privateSidecars(path string) {
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Chmod(path+ext, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
	}
}
