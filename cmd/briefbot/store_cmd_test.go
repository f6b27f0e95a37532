package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/store"
)

// TestStoreBackup runs `briefbot store backup FILE` against a data
// directory whose store is open, and opens the copy.
func TestStoreBackup(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	s, err := store.OpenSQLite(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddSubscription(ctx, digest.Subscription{ID: "abc234", Platform: "slack", Channel: "C1", Kind: "overview", At: "08:00", Zone: "UTC"}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	vars := map[string]string{"BRIEFBOT_DATA_DIR": data, "DISCORD_APP_ID": "1"} // a half-set platform does not matter
	code, out, errOut := runCLIEnv(vars, "store", "backup", dest)
	if code != exitOK || !strings.Contains(out, "backed up "+filepath.Join(data, store.FileName)+" to "+dest) {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	restored := t.TempDir()
	raw, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(restored, store.FileName), raw, 0o600)
	r, err := store.OpenSQLite(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if subs, err := r.Subscriptions(ctx); err != nil || len(subs) != 1 || subs[0].ID != "abc234" {
		t.Fatalf("copy holds %+v, %v", subs, err)
	}

	if code, _, errOut := runCLIEnv(vars, "store", "backup", dest); code != exitFailure || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: exit %d, %s", code, errOut)
	}
	pg := map[string]string{"DATABASE_URL": "postgres://db.example/briefbot"}
	if code, _, errOut := runCLIEnv(pg, "store", "backup", dest+"2"); code != exitBadUsage || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("with PostgreSQL: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCLIEnv(vars, "store", "backup"); code != exitBadUsage {
		t.Errorf("without a file: exit %d", code)
	}
}
