package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestShardLocks: a shard is held by one replica at a time; the share is
// even among replicas up; when a replica's session ends abruptly its hold
// is lost within seconds and another replica takes the shard.
func TestShardLocks(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	a, err := store.NewShardLocks(url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := store.NewShardLocks(url)
	defer b.Close()

	if n, err := a.Share(ctx, 4); err != nil || n != 4 {
		t.Fatalf("alone: share %d, %v; want 4", n, err)
	}
	if n, err := b.Share(ctx, 4); err != nil || n != 2 {
		t.Fatalf("two replicas: share %d, %v; want 2", n, err)
	}
	if n, _ := b.Share(ctx, 5); n != 3 {
		t.Fatalf("two replicas, 5 shards: share %d, want 3", n)
	}

	h0, ok, err := a.TryLock(ctx, 0)
	if err != nil || !ok {
		t.Fatalf("a: lock shard 0: %v, %v", ok, err)
	}
	if _, ok, err := b.TryLock(ctx, 0); ok || err != nil {
		t.Fatalf("b took shard 0 while a holds it: %v, %v", ok, err)
	}
	h1, ok, _ := b.TryLock(ctx, 1)
	if !ok {
		t.Fatal("b: shard 1 not free")
	}
	h1.Release()
	h1again, ok, _ := a.TryLock(ctx, 1)
	if !ok {
		t.Fatal("a: shard 1 not free after b released it")
	}
	defer h1again.Release()

	// a's sessions end abruptly, as when its process is killed.
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	// Only this test's database: other tests' replicas hold shard 0 too.
	if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND classid::bigint = $1 AND objid = 0
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, 0x62726966); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h0.Lost():
	case <-time.After(5 * time.Second):
		t.Fatal("a did not notice within 5 s that its lock of shard 0 was gone")
	}
	h0.Release() // safe after a loss
	deadline := time.Now().Add(5 * time.Second)
	for {
		h, ok, err := b.TryLock(ctx, 0)
		if ok {
			h.Release()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b could not take shard 0 after a's session ended: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.Close() // the server ends the session a moment later
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		n, _ := b.Share(ctx, 4)
		if n == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a stopped: b's share %d, want 4", n)
		}
	}
}
