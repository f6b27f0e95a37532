package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/briefbot/briefbot/bot"
)

var _ bot.Bindings = (*DB)(nil)

// maxScope bounds a stored scope; the platforms' ids are far shorter.
const maxScope = 512

// Binding returns the dossier bound to a scope.
func (s *DB) Binding(ctx context.Context, scope string) (string, bool, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	var slug string
	err := s.db.QueryRowContext(ctx, `SELECT dossier FROM dossier_bindings WHERE scope = $1`, truncate(scope, maxScope)).Scan(&slug)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.errorf("read binding", err)
	}
	return slug, true, nil
}

// Bind binds a scope to a dossier, replacing any earlier binding.
func (s *DB) Bind(ctx context.Context, b bot.Binding) error {
	_, err := s.exec(ctx, "bind dossier", `INSERT INTO dossier_bindings (scope, dossier, created_by, created_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (scope) DO UPDATE SET dossier = excluded.dossier, created_by = excluded.created_by, created_at = excluded.created_at`,
		truncate(b.Scope, maxScope), b.Dossier, b.By, ms(b.At))
	return err
}
