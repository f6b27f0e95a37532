package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) digest.Store {
		s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "data"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestPostgres(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) digest.Store {
		s, err := store.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		emptyPostgres(t, url)
		return s
	})
}

// emptyPostgres clears the tables, so each subtest starts empty on the
// run's one database.
func emptyPostgres(t *testing.T, url string) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`TRUNCATE digest_slots, digest_subscriptions, digest_snapshots, audit_log, channel_managers`); err != nil {
		t.Fatal(err)
	}
}

func TestSQLitePermissionsAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "briefbot")
	ctx := context.Background()
	s, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, store.FileName): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", path, got, want)
		}
	}
	// Reopening runs no migration twice.
	s, err = store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	checkVersion(t, "sqlite", "file:"+filepath.Join(dir, store.FileName))
}

func TestPostgresMigrateTwice(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 { // replicas starting together
		go func() {
			s, err := store.OpenPostgres(ctx, url)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	checkVersion(t, "pgx", url)
}

func checkVersion(t *testing.T, driver, dsn string) {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, v int
	if err := db.QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_version`).Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	if n != 1 || v != store.SchemaVersion() {
		t.Fatalf("schema_version has %d rows, version %d; want 1 row, %d", n, v, store.SchemaVersion())
	}
}
