package main

import (
	"context"
	"fmt"

	"github.com/briefbot/briefbot/store"
)

// runStore runs "briefbot store backup FILE": a consistent copy of the
// SQLite store, safe while briefbot serves from it.
func runStore(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("store backup", e)
	var common commonFlags
	common.core = true // a backup needs no platform key
	common.register(fs)
	words, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(words) != 2 || words[0] != "backup" {
		fs.Usage()
		return exitBadUsage
	}
	cfg, err := common.load(e)
	if err != nil {
		return configProblems(e, "store backup", err)
	}
	if cfg.DatabaseURL.Value() != "" {
		fmt.Fprintln(e.stderr, "briefbot store backup: the store is PostgreSQL (DATABASE_URL); back it up with pg_dump --format=custom, see the README")
		return exitBadUsage
	}
	b, err := store.BackupSQLite(ctx, cfg.DataDir, words[1])
	if err != nil {
		fmt.Fprintln(e.stderr, "briefbot", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s (%d bytes, schema version %d)\n", b.Source, b.Dest, b.Bytes, b.SchemaVersion)
	return exitOK
}
