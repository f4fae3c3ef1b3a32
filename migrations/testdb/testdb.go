// Package testdb gives each test package its own migrated PostgreSQL
// database, so packages run in parallel without seeing each other's rows and
// never touch the development database.
//
// Every test binary names its databases after itself and a run id
// (aula_test_<name>_<run>), so two checkouts or two CI jobs can share one
// server; Main drops them when the package's tests end, and databases a
// crashed run left behind are dropped once they are older than StaleAfter.
//
// The server comes from AULA_TEST_DATABASE_URL (default: the local server
// with the postgres user). A missing server fails the tests: `make test`
// starts one, and a test suite that silently skips proves nothing.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/postgres"
)

// DefaultURL is the server used when AULA_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// StaleAfter is the age after which a test database is taken for one a
// crashed run left behind. No test run lasts this long.
const StaleAfter = 3 * time.Hour

const prefix = "aula_test_"

var (
	mu      sync.Mutex
	dbs     = map[string]*bun.DB{}
	created []string // database names, to drop in Main
	// run makes this process's database names its own: the start time (to
	// recognise stale databases) and random bytes (two runs in one second).
	run = func() string {
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		return strconv.FormatInt(time.Now().Unix(), 36) + "_" + hex.EncodeToString(b)
	}()
	swept sync.Once
)

// Main runs the package's tests and drops the databases they created.
// Use it as `func TestMain(m *testing.M) { testdb.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	for _, db := range dbs {
		db.Close()
	}
	names := created
	mu.Unlock()
	if err := drop(context.Background(), names); err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
	}
	os.Exit(code)
}

// Open returns a connection to the freshly created and migrated database
// for name. The database is created once per test binary and reused by
// every test in it; tests create the rows they need with unique values
// instead of relying on an empty table.
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
// for tests of the migrations themselves. It is dropped when tb ends.
func OpenEmpty(tb testing.TB, name string) *bun.DB {
	tb.Helper()
	db, err := create(context.Background(), name, false)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	tb.Cleanup(func() {
		db.Close()
		if err := drop(context.Background(), []string{Name(name)}); err != nil {
			tb.Logf("testdb: %v", err)
		}
	})
	return db
}

// Name is this run's database name for name.
func Name(name string) string {
	n := unsafeChars.ReplaceAllString(strings.ToLower(name), "_")
	if len(n) > 30 {
		n = n[:30]
	}
	return prefix + n + "_" + run
}

// URL returns the DSN of this run's test database called name.
func URL(name string) (string, error) {
	return databaseURL(serverURL(), Name(name))
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

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

func openAdmin(ctx context.Context) (*sql.DB, error) {
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(serverURL())))
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		return nil, fmt.Errorf("no PostgreSQL at %s (run `make test`, which starts one, or set AULA_TEST_DATABASE_URL): %w", serverURL(), err)
	}
	return admin, nil
}

func create(ctx context.Context, name string, migrate bool) (*bun.DB, error) {
	database := Name(name)
	admin, err := openAdmin(ctx)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	swept.Do(func() { sweepStale(ctx, admin) })
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE template0 ENCODING 'UTF8'`, database)); err != nil {
		return nil, fmt.Errorf("create %s: %w", database, err)
	}
	created = append(created, database)
	dsn, err := databaseURL(serverURL(), database)
	if err != nil {
		return nil, err
	}
	// The pool's connections are production's (postgres.OpenDB), so the
	// prepared statements run prepared in the tests too, without its
	// timeouts.
	db := bun.NewDB(postgres.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn))), pgdialect.New())
	if migrate {
		if _, err := migrations.Up(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func drop(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	admin, err := openAdmin(ctx)
	if err != nil {
		return err
	}
	defer admin.Close()
	for _, n := range names {
		// FORCE: a pool the test forgot to close must not keep it alive.
		if _, err := admin.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, n)); err != nil {
			return fmt.Errorf("drop %s: %w", n, err)
		}
	}
	return nil
}

// staleName matches this package's names: the run's start time in base 36
// and six hex digits end them.
var staleName = regexp.MustCompile(`^aula_test_.*_([0-9a-z]+)_[0-9a-f]{6}$`)

// sweepStale drops test databases whose run started more than StaleAfter
// ago: a crashed or killed run never reached Main. Databases of running
// runs, and of anything else on the server, are left alone.
func sweepStale(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'aula\_test\_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) != nil {
			continue
		}
		m := staleName.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		started, err := strconv.ParseInt(m[1], 36, 64)
		if err == nil && time.Since(time.Unix(started, 0)) > StaleAfter {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		_, _ = admin.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, n))
	}
}
