// Package migrations holds Aula's database schema as embedded SQL files run by
// bun/migrate. The schema comes only from here: models never create tables.
//
// Files are named <timestamp>_<name>.tx.up.sql / .tx.down.sql so that each runs
// inside a transaction and a failed migration leaves nothing half-applied.
package migrations

import (
	"context"
	"embed"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// New returns every migration embedded in the binary.
func New() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		return nil, fmt.Errorf("migrations: discover: %w", err)
	}
	return m, nil
}

// NewMigrator returns a migrator for db whose bookkeeping tables exist.
func NewMigrator(ctx context.Context, db *bun.DB) (*migrate.Migrator, error) {
	m, err := New()
	if err != nil {
		return nil, err
	}
	migrator := migrate.NewMigrator(db, m, migrate.WithMarkAppliedOnSuccess(true))
	if err := migrator.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrations: init: %w", err)
	}
	return migrator, nil
}

// lockKey is the PostgreSQL advisory lock key that serialises migration runs
// ("aula" in ASCII). An advisory lock, unlike bun's lock table, is released
// when the connection drops, so a crashed run never blocks the next start.
const lockKey = 0x61756c61

// Up applies every pending migration. Several `aula serve` starting at once
// wait for each other and apply them exactly once.
func Up(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	return withLock(ctx, db, "up", func(m *migrate.Migrator) (*migrate.MigrationGroup, error) {
		return m.Migrate(ctx)
	})
}

// Down rolls back the last group of migrations applied together.
func Down(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	return withLock(ctx, db, "down", func(m *migrate.Migrator) (*migrate.MigrationGroup, error) {
		return m.Rollback(ctx)
	})
}

func withLock(ctx context.Context, db *bun.DB, what string, run func(*migrate.Migrator) (*migrate.MigrationGroup, error)) (*migrate.MigrationGroup, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: %s: connect: %w", what, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", lockKey); err != nil {
		return nil, fmt.Errorf("migrations: %s: lock: %w", what, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", lockKey) //nolint:errcheck // closing the connection releases it too

	migrator, err := NewMigrator(ctx, db)
	if err != nil {
		return nil, err
	}
	group, err := run(migrator)
	if err != nil {
		return group, fmt.Errorf("migrations: %s: %w", what, err)
	}
	return group, nil
}
