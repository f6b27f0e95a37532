package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestUpgradeKeepsTheLedger: a database left by a build that knew only the
// first migration is brought up to date on open, and its slots read back
// with no messages of a split digest counted as sent.
func TestUpgradeKeepsTheLedger(t *testing.T) {
	dir := t.TempDir()
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 8, 22, 6, 0, 0, 0, time.UTC)
	for _, q := range []string{
		migrations[0],
		`CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		`INSERT INTO schema_version (version) VALUES (1)`,
		`INSERT INTO digest_slots (job, target, slot_at, status, attempts, owner, lease_until, message_id, updated_at)
			VALUES ('schedule:daily', 'slack:C1', ` + strconv.FormatInt(ms(at), 10) + `, 'posted', 1, 'a', 0, '1700000000.000100', 0)`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	s, err := OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.Latest(context.Background())
	if err != nil || len(recs) != 1 {
		t.Fatalf("Latest = %v, %v", recs, err)
	}
	if r := recs[0]; r.MessageID != "1700000000.000100" || r.Sent != 0 || !r.At.Equal(at) {
		t.Fatalf("upgraded record: %+v", r)
	}
	var v int
	if err := s.db.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
}
