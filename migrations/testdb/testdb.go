// Package testdb gives each test package its own migrated PostgreSQL
// database, so packages run in parallel without seeing each other's rows and
// never touch the development database.
//
// The server comes from AULA_TEST_DATABASE_URL (default: the local server
// with the postgres user). A missing server fails the tests: `make test`
// starts one, and a test suite that silently skips proves nothing.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/migrations"
)

// DefaultURL is the server used when AULA_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	mu  sync.Mutex
	dbs = map[string]*bun.DB{}
)

// Open returns a connection to the freshly created and migrated database
// aula_test_<name>. The database is created once per test binary and
// reused by every test in it; tests create the rows they need with unique
// values instead of relying on an empty table.
func Open(tb testing.TB, name string) *bun.DB {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if db, ok := dbs[name]; ok {
		return db
	}
	db, err := create(context.Background(), name, true)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	dbs[name] = db
	return db
}

// OpenEmpty is like Open but leaves the database without any migration,
// for tests of the migrations themselves.
func OpenEmpty(tb testing.TB, name string) *bun.DB {
	tb.Helper()
	db, err := create(context.Background(), name, false)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// URL returns the DSN of the test database called name.
func URL(name string) (string, error) {
	return databaseURL(serverURL(), "aula_test_"+sanitize(name))
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

func sanitize(name string) string {
	return unsafeChars.ReplaceAllString(strings.ToLower(name), "_")
}

func serverURL() string {
	if u := os.Getenv("AULA_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

func databaseURL(server, database string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("parse AULA_TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + database
	return u.String(), nil
}

func create(ctx context.Context, name string, migrate bool) (*bun.DB, error) {
	database := "aula_test_" + sanitize(name)
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(serverURL())))
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("no PostgreSQL at %s (run `make test`, which starts one, or set AULA_TEST_DATABASE_URL): %w", serverURL(), err)
	}
	// WITH (FORCE) ends connections a crashed earlier run left behind.
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, database)); err != nil {
		return nil, fmt.Errorf("drop %s: %w", database, err)
	}
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE template0 ENCODING 'UTF8'`, database)); err != nil {
		return nil, fmt.Errorf("create %s: %w", database, err)
	}
	dsn, err := databaseURL(serverURL(), database)
	if err != nil {
		return nil, err
	}
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn))), pgdialect.New())
	if migrate {
		if _, err := migrations.Up(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}
