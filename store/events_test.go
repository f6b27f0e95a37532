package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

func TestSQLiteEvents(t *testing.T) {
	storetest.RunEvents(t, func(t *testing.T) storetest.EventStore {
		s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "data"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestPostgresEvents(t *testing.T) {
	t.Parallel() // a database of its own
	url := storetest.PostgresURL(t)
	storetest.RunEvents(t, func(t *testing.T) storetest.EventStore {
		s, err := store.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`TRUNCATE chat_events`); err != nil {
			t.Fatal(err)
		}
		return s
	})
}
