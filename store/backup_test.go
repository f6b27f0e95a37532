package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

var backupAt = time.Date(2025, 6, 2, 5, 0, 0, 0, time.UTC)

// fill puts a subscription, a posted slot and a snapshot in s.
func fill(t *testing.T, s digest.Store) digest.Subscription {
	t.Helper()
	ctx := context.Background()
	sub := digest.Subscription{ID: "k7m2qa", Platform: "slack", Channel: "C1", Kind: "changes", At: "08:00", Zone: "Europe/Kyiv",
		CreatedBy: "U1", Created: backupAt, Days: "weekdays", SkipUnchanged: true}
	if err := s.AddSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	k := digest.SlotKey{Job: "sub:k7m2qa", Target: "slack:C1", At: backupAt}
	if won, err := s.Claim(ctx, k, "a", backupAt, time.Minute); !won || err != nil {
		t.Fatal(won, err)
	}
	if err := s.Posted(ctx, k, "a", "1717300000.000100", backupAt); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSnapshot(ctx, "slack:C1", []byte(`{"claims":{}}`), backupAt); err != nil {
		t.Fatal(err)
	}
	return sub
}

// readBack checks that s holds what fill put in, plus extra posted slots.
func readBack(t *testing.T, s digest.Store, sub digest.Subscription) {
	t.Helper()
	ctx := context.Background()
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 1 || subs[0] != sub {
		t.Fatalf("restored subscriptions %+v, %v; want %+v", subs, err, sub)
	}
	recs, err := s.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		found = found || r.Job == "sub:k7m2qa" && r.Status == digest.StatusPosted && r.MessageID == "1717300000.000100"
	}
	if !found {
		t.Fatalf("restored ledger lacks the posted slot: %+v", recs)
	}
	if data, ok, err := s.Snapshot(ctx, "slack:C1"); !ok || err != nil || string(data) != `{"claims":{}}` {
		t.Fatalf("restored snapshot %q, %v, %v", data, ok, err)
	}
}

// TestSQLiteBackupRestore backs up a store that another connection keeps
// writing to, restores the copy the way the README says (copy it into an
// empty data directory as briefbot.db) and reads everything back.
func TestSQLiteBackupRestore(t *testing.T) {
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "live")
	s, err := store.OpenSQLite(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sub := fill(t, s)

	// Writers go on while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			k := digest.SlotKey{Job: "schedule:busy", Target: "slack:C2", At: backupAt.Add(time.Duration(i) * time.Minute)}
			if _, err := s.Claim(ctx, k, "a", backupAt, time.Minute); err != nil {
				t.Errorf("claim while backing up: %v", err)
				return
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "briefbot-backup.db")
	b, err := store.BackupSQLite(ctx, live, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if b.SchemaVersion != store.SchemaVersion() || b.Bytes == 0 {
		t.Errorf("backup %+v", b)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
	}
	if _, err := os.Stat(dest + ".partial"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	os.MkdirAll(restored, 0o700)
	copyFile(t, dest, filepath.Join(restored, store.FileName))
	r, err := store.OpenSQLite(ctx, restored)
	if err != nil {
		t.Fatalf("open the restored store: %v", err)
	}
	defer r.Close()
	readBack(t, r, sub)

	// With briefbot stopped (no -wal or -shm file left) it works too.
	s.Close()
	if _, err := store.BackupSQLite(ctx, live, filepath.Join(t.TempDir(), "stopped.db")); err != nil {
		t.Errorf("backup of a stopped store: %v", err)
	}

	// The copy is never written over, and a missing store is not created.
	if _, err := store.BackupSQLite(ctx, live, dest); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("second backup to the same file: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "nothing")
	if _, err := store.BackupSQLite(ctx, empty, filepath.Join(t.TempDir(), "x.db")); err == nil || !strings.Contains(err.Error(), "no database at") {
		t.Errorf("backup of a missing store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(empty, store.FileName)); !os.IsNotExist(err) {
		t.Error("a backup of a missing store created one")
	}
}

// TestPostgresDumpRestore follows the README's PostgreSQL steps: pg_dump
// in the custom format, pg_restore into an empty database, and briefbot
// reads everything back there.
func TestPostgresDumpRestore(t *testing.T) {
	t.Parallel() // a database of its own
	src, dst := storetest.PostgresURL(t), storetest.PostgresURL(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ctx := context.Background()
	s, err := store.OpenPostgres(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sub := fill(t, s)
	dump := filepath.Join(t.TempDir(), "briefbot.dump")
	run(t, "pg_dump", "--format=custom", "--no-owner", "--file="+dump, src)
	run(t, "pg_restore", "--no-owner", "--exit-on-error", "--dbname="+dst, dump)
	r, err := store.OpenPostgres(ctx, dst)
	if err != nil {
		t.Fatalf("open the restored store: %v", err)
	}
	defer r.Close()
	readBack(t, r, sub)
	db, err := sql.Open("pgx", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != store.SchemaVersion() {
		t.Fatalf("restored schema version %d, %v", v, err)
	}
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(fmt.Errorf("copy %s: %w", from, err))
	}
}
