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
)

// Backup is what BackupSQLite wrote.
type Backup struct {
	Source, Dest  string
	SchemaVersion int
	Bytes         int64
}

// BackupSQLite writes a consistent copy of the SQLite store in dir to
// dest while briefbot may be serving from it: VACUUM INTO over a read-only
// connection, which reads one snapshot of the database (committed
// transactions only, the WAL included) and changes nothing. The copy goes
// to a temporary file beside dest, is checked, made private (0600) and
// only then linked into place; an existing dest is never overwritten.
func BackupSQLite(ctx context.Context, dir, dest string) (Backup, error) {
	src := filepath.Join(dir, FileName)
	b := Backup{Source: src, Dest: dest}
	if _, err := os.Stat(src); err != nil {
		return b, fmt.Errorf("store backup: no database at %s (is data_dir / BRIEFBOT_DATA_DIR right?): %w", src, unwrapPath(err))
	}
	if _, err := os.Lstat(dest); err == nil {
		return b, fmt.Errorf("store backup: %s exists; give a new file name", dest)
	}
	tmp := dest + ".partial"
	os.Remove(tmp) // left by a backup that was stopped
	defer os.Remove(tmp)
	if err := vacuumInto(ctx, src, tmp); err != nil {
		return b, err
	}
	v, err := checkBackup(ctx, tmp)
	if err != nil {
		return b, err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return b, fmt.Errorf("store backup: %w", err)
	}
	if err := os.Link(tmp, dest); err != nil { // fails if dest appeared meanwhile
		return b, fmt.Errorf("store backup: %w", unwrapPath(err))
	}
	fi, err := os.Stat(dest)
	if err != nil {
		return b, fmt.Errorf("store backup: %w", err)
	}
	b.SchemaVersion, b.Bytes = v, fi.Size()
	return b, nil
}

// openReadOnly opens a SQLite file for reading only.
func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store backup: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func vacuumInto(ctx context.Context, src, tmp string) error {
	db, err := openReadOnly(src)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("store backup: copy %s: %w", src, err)
	}
	return nil
}

// checkBackup runs SQLite's integrity check on the copy and returns its
// schema version.
func checkBackup(ctx context.Context, path string) (int, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		return 0, fmt.Errorf("store backup: the copy failed its integrity check (%s, %v)", ok, err)
	}
	var v int
	if err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store backup: the copy has no schema version: %w", err)
	}
	return v, nil
}

// unwrapPath drops the *fs.PathError wrapping when the caller names the
// path itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
