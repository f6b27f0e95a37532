package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

func TestSQLiteAudit(t *testing.T) {
	storetest.RunAudit(t, func(t *testing.T) storetest.AuditStore {
		s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "data"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestPostgresAudit(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	storetest.RunAudit(t, func(t *testing.T) storetest.AuditStore {
		s, err := store.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		emptyPostgres(t, url)
		return s
	})
}
