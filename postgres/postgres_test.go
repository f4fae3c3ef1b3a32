package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/postgres"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// open is the package's test database through the pool under test.
func open(t *testing.T, opts postgres.Options) *bun.DB {
	t.Helper()
	testdb.Open(t, "postgres") // created and migrated once
	dsn, err := testdb.URL("postgres")
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.Open(dsn, opts)
	t.Cleanup(func() { db.Close() })
	return db
}

// terminate ends every other session on the pool's database, as a
// PostgreSQL restart does (57P01 to each), and returns once those
// backends are gone, so their FATAL and the closed socket have reached
// the pool however slow the machine is.
func terminate(t *testing.T, db *bun.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx,
		`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	for range 600 {
		var left int
		if err := db.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("terminated backends did not go away")
}

// TestReadsSurviveTerminatedConnections: after the server ends every
// pooled connection, reads go on without an error instead of failing
// once per dead connection until the pool drains.
func TestReadsSurviveTerminatedConnections(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 8})
	other := open(t, postgres.Options{MaxConns: 1})
	fill := func() { // eight idle connections in the pool
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.ExecContext(ctx, "SELECT pg_sleep(0.05)"); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	fill()
	terminate(t, other)
	for i := range 20 {
		var n int
		if err := db.NewRaw("SELECT count(*) FROM users").Scan(ctx, &n); err != nil {
			t.Fatalf("read %d after the restart: %v", i, err)
		}
	}
	// A write on a dead connection is not retried blindly, but it gets a
	// live connection: the dead ones were discarded before use.
	fill()
	terminate(t, other)
	if _, err := db.ExecContext(ctx, "UPDATE users SET name = name WHERE false"); err != nil {
		t.Fatalf("write after the restart: %v", err)
	}
}

// TestPoolExhaustedFailsFast: when every connection is busy, a query
// waits ConnWait, not as long as the busy ones take, and says so.
func TestPoolExhaustedFailsFast(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 2, ConnWait: 200 * time.Millisecond})
	var held []bun.Conn
	for range 2 { // a stuck job holds every connection
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
	}
	// ErrPoolExhausted comes only from the bounded wait: without it the
	// query would wait until a connection came back, which none does
	// before it answers.
	_, err := db.ExecContext(ctx, "SELECT 1")
	if !errors.Is(err, postgres.ErrPoolExhausted) || !postgres.Unavailable(err) {
		t.Errorf("query on an exhausted pool: %v, want ErrPoolExhausted", err)
	}
	for _, conn := range held {
		conn.Close()
	}
	// A transaction that got its connection is not ended by the wait.
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		time.Sleep(400 * time.Millisecond)
		_, err := tx.ExecContext(ctx, "SELECT 1")
		return err
	})
	if err != nil {
		t.Errorf("a transaction longer than the connection wait: %v", err)
	}
}

// TestTimeouts: a statement running past statement_timeout, or waiting
// past lock_timeout, ends with an error that means "try again".
func TestTimeouts(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{StatementTimeout: 300 * time.Millisecond, LockTimeout: 200 * time.Millisecond})
	_, err := db.ExecContext(ctx, "SELECT pg_sleep(2)")
	if err == nil || !postgres.Unavailable(err) {
		t.Errorf("a statement past the statement timeout: %v", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // the test is done with it
	if _, err := tx.ExecContext(ctx, "LOCK TABLE institutions"); err != nil {
		t.Fatal(err)
	}
	// Without lock_timeout the read would wait for the lock until the
	// transaction ends, which it does only after this check.
	_, err = db.ExecContext(ctx, "SELECT count(*) FROM institutions")
	if err == nil || !postgres.Unavailable(err) {
		t.Errorf("a read behind a lock: %v", err)
	}
}

// TestIdleConnectionKeptPastItsReadDeadline: a pooled connection idle for
// longer than its last statement's read deadline (ReadTimeout, or that
// statement's context deadline) is alive and is used again, not closed
// and replaced by a new backend (a fork and cold caches) because the
// health check's peek ran into the old deadline.
func TestIdleConnectionKeptPastItsReadDeadline(t *testing.T) {
	db := open(t, postgres.Options{MaxConns: 1}) // one connection: the same backend, or a new one
	backend := func(ctx context.Context) int {
		t.Helper()
		var pid int
		if err := postgres.SelectOne(ctx, db, "SELECT pg_backend_pid() WHERE $1::int = 1", []any{1}, &pid); err != nil {
			t.Fatal(err)
		}
		return pid
	}
	// A statement with a context deadline leaves that deadline on the
	// socket (as a job's or a probe's does); waiting past it stands for a
	// connection idle between bursts for longer than ReadTimeout (13 s),
	// whose last read left now + ReadTimeout there.
	first := backend(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := postgres.Exec(ctx, db, "SELECT $1::int", 1); err != nil { // its whole reply read with the deadline
		t.Fatal(err)
	}
	<-ctx.Done()
	time.Sleep(100 * time.Millisecond) // the socket's own deadline timer has fired too
	if again := backend(context.Background()); again != first {
		t.Errorf("the idle connection (backend %d) was replaced by backend %d after its read deadline passed", first, again)
	}
}
