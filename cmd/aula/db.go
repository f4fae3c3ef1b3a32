package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"

	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/postgres"
)

// openDB connects to AULA_DATABASE_URL with the pool's settings,
// creating the database when the server answers but the database does
// not exist yet.
func openDB(ctx context.Context, dsn string, pool postgres.Options) (*bun.DB, error) {
	db := postgres.Open(dsn, pool)
	err := db.PingContext(ctx)
	if err == nil {
		return db, nil
	}
	db.Close()
	if postgres.Code(err) != "3D000" { // invalid_catalog_name
		return nil, fmt.Errorf("connect to %s: %w", redactURL(dsn), err)
	}
	if err := createDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	db = postgres.Open(dsn, pool)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redactURL(dsn), err)
	}
	return db, nil
}

// createDatabase creates the database of dsn unless it exists. Processes
// of a new installation starting together take turns under an advisory
// lock on the server's maintenance database: CREATE DATABASE racing
// itself fails with a unique violation on pg_database, not 42P04.
func createDatabase(ctx context.Context, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(u.String())))
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	defer conn.Close() // ends the session, which releases the lock
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext($1))", "aula: create database "+name); err != nil {
		return fmt.Errorf("create database %s: lock: %w", name, err)
	}
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoted+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		// Created meanwhile by something that does not take the lock.
		if code := postgres.Code(err); code == "42P04" || code == postgres.UniqueViolation {
			return nil
		}
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// setupLockKey is the advisory lock under which a process sets up a new
// installation (its admin, the demo content): "aulb", next to the
// migrations' "aula".
const setupLockKey = 0x61756c62

// withSetupLock runs fn while no other process of the installation sets
// it up. Processes starting together on a new database would otherwise
// all find it empty and all seed it, and all but one fail on the demo
// users' emails. The lock belongs to one session, so a process that dies
// holding it releases it.
func withSetupLock(ctx context.Context, db *bun.DB, fn func() error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("set up: connect: %w", err)
	}
	defer conn.Close()
	// Waiting for another process's setup takes as long as it takes.
	restore, err := postgres.NoTimeouts(ctx, conn)
	if err != nil {
		return err
	}
	defer restore()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", setupLockKey); err != nil {
		return fmt.Errorf("set up: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", setupLockKey) //nolint:errcheck // closing the connection releases it too
	return fn()
}

// migrationPool is the pool's settings for applying migrations: neither
// the statement nor the lock timeout (docs/operations.md). A migration
// that backfills a table (the quiz statistics over a million attempts,
// the reports' rollup) runs for minutes on a large installation; one
// stopped at the serving pool's 10 s would leave `aula migrate up` unable
// ever to finish. migrations.Up's advisory lock is taken on a connection
// of its own, so each migration's transaction needs the same settings.
// A statement's reply may then take up to the driver's 10-minute read
// bound (postgres.Open).
func migrationPool(pool postgres.Options) postgres.Options {
	pool.StatementTimeout = -1
	pool.LockTimeout = -1
	pool.MaxConns = 2
	return pool
}

// migrateUp applies the pending migrations over a pool of its own with
// migrationPool's settings, closed when done.
func migrateUp(ctx context.Context, dsn string, pool postgres.Options) (*migrate.MigrationGroup, error) {
	db, err := openDB(ctx, dsn, migrationPool(pool))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrations.Up(ctx, db)
}
