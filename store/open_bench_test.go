package store

import (
	"context"
	"testing"
)

// BenchmarkOpenSQLiteFresh creates and migrates a new SQLite store, as the
// first start in a data directory does.
func BenchmarkOpenSQLiteFresh(b *testing.B) {
	for b.Loop() {
		db, err := OpenSQLite(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkOpenSQLiteExisting opens a store already at the current schema,
// as every later start does.
func BenchmarkOpenSQLiteExisting(b *testing.B) {
	dir := b.TempDir()
	db, err := OpenSQLite(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	for b.Loop() {
		db, err := OpenSQLite(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
