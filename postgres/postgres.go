// Package postgres opens the PostgreSQL connection pool Aula runs on,
// tells the errors that mean "the database is unavailable, try again"
// from those that mean something is wrong, and reads the SQLSTATE and
// constraint of an error for the domain packages (Code, Constraint), which
// map them to errors of their own. It imports nothing of Aula's.
//
// The pool is built to keep serving through an operator's faults:
//
//   - Every connection runs with statement_timeout and lock_timeout, so a
//     runaway query or a queue behind a lock cannot hold a request, and
//     its connection, for long.
//   - The wait for a free connection is bounded (Options.ConnWait): when
//     the pool is exhausted a query fails with ErrPoolExhausted at once
//     instead of queueing as long as its request lasts, which is what
//     made unrelated pages stall.
//   - A pooled connection is checked before it is handed out: after a
//     restart of PostgreSQL every idle connection is dead (57P01, EOF),
//     and one is discarded instead of failing a request.
//   - A read that fails because its connection broke is retried on a new
//     connection: a SELECT outside a transaction is safe to run twice.
//     Writes, and every statement inside a transaction, are never
//     retried, since the server may have done them.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrPoolExhausted means no connection came free within Options.ConnWait:
// the database is too busy for this request now.
var ErrPoolExhausted = errors.New("postgres: no database connection free in time")

// Options shape the pool. Zero values take the defaults.
type Options struct {
	// MaxConns is the most connections the process opens (20).
	MaxConns int
	// ConnWait bounds how long a query waits for a free connection (2s).
	ConnWait time.Duration
	// StatementTimeout ends any statement running longer (10s); negative
	// turns it off.
	StatementTimeout time.Duration
	// LockTimeout ends a statement waiting longer for a lock (3s);
	// negative turns it off.
	LockTimeout time.Duration
	// DialTimeout bounds connecting to the server (5s).
	DialTimeout time.Duration
	// Unprepared sends every statement with its arguments formatted in,
	// prepared ones included (prepared.go): each is planned anew, slower,
	// but its whole text is on the wire — for a proxy that records what
	// pages send to EXPLAIN it (the benchmark's), or a pooler that cannot
	// keep prepared statements.
	Unprepared bool
}

// Defaults of Options.
const (
	DefaultMaxConns         = 20
	DefaultConnWait         = 2 * time.Second
	DefaultStatementTimeout = 10 * time.Second
	DefaultLockTimeout      = 3 * time.Second
	DefaultDialTimeout      = 5 * time.Second
)

func (o *Options) defaults() {
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.ConnWait <= 0 {
		o.ConnWait = DefaultConnWait
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = DefaultStatementTimeout
	}
	if o.LockTimeout == 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
}

// Open returns the pool for dsn. It does not connect yet.
func Open(dsn string, opts Options) *bun.DB {
	opts.defaults()
	params := map[string]any{
		"statement_timeout": millis(opts.StatementTimeout),
		"lock_timeout":      millis(opts.LockTimeout),
		// Aula's statements are short; PostgreSQL compiles one with JIT
		// when its estimated cost is high, and jsonb_array_elements is
		// estimated at 100 rows, so a quiz's statistics over 50,000
		// attempts spent 1.3 s of 6.5 s compiling (docs/performance.md).
		"jit": "off",
	}
	// A read waits for the server's first byte while the statement runs:
	// past the statement timeout (plus a margin for the server to say
	// so), the server is frozen or the network gone.
	readTimeout := opts.StatementTimeout + 3*time.Second
	if opts.StatementTimeout < 0 {
		readTimeout = 10 * time.Minute
	}
	inner := pgdriver.NewConnector(
		pgdriver.WithDSN(dsn),
		pgdriver.WithConnParams(params),
		pgdriver.WithDialTimeout(opts.DialTimeout),
		pgdriver.WithReadTimeout(readTimeout),
		pgdriver.WithWriteTimeout(readTimeout),
	)
	sqldb := sql.OpenDB(&connector{inner: inner})
	if !opts.Unprepared {
		pools.Store(sqldb, true)
	}
	sqldb.SetMaxOpenConns(opts.MaxConns)
	// Every connection stays open while idle (until ConnMaxIdleTime): a pool
	// that keeps fewer than it opens closes and reopens connections all
	// the time under load, and a new backend is a fork, an authentication
	// and cold caches — its first statements plan several times slower.
	sqldb.SetMaxIdleConns(opts.MaxConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	db.AddQueryHook(connWaitHook{wait: opts.ConnWait})
	db.AddQueryHook(StatementCounter{})
	return db
}

// millis is a timeout as PostgreSQL takes it; 0 turns it off.
func millis(d time.Duration) string {
	if d < 0 {
		return "0"
	}
	return fmt.Sprint(d.Milliseconds())
}

// Unavailable reports whether err means the database cannot serve now
// and the same request may succeed in a moment: PostgreSQL is down,
// restarting or unreachable, the pool is exhausted, or a statement ran
// into the statement or lock timeout.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrPoolExhausted) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	if code := Code(err); code != "" {
		switch {
		case strings.HasPrefix(code, "08"), // connection exception
			code == "57P01", code == "57P02", code == "57P03", // shutting down, crashed, starting up
			code == "53300", // too many connections
			code == "57014", // statement timeout
			code == "55P03": // lock timeout
			return true
		}
		return false
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// NoTimeouts turns off the statement and lock timeouts on conn (a
// connection of the pool held for a long task: migrations, waiting for
// an advisory lock). Call the returned func before giving conn back.
func NoTimeouts(ctx context.Context, conn bun.Conn) (restore func(), err error) {
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0; SET lock_timeout = 0"); err != nil {
		return nil, fmt.Errorf("postgres: turn off timeouts: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "RESET statement_timeout; RESET lock_timeout")
	}, nil
}

// connWaitHook gives each query a context that ends if no connection is
// free within wait; the driver disarms it once a connection is in hand.
type connWaitHook struct{ wait time.Duration }

func (h connWaitHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return newWaitCtx(ctx, h.wait)
}

func (h connWaitHook) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	acquired(ctx)
}

type waitKey struct{}

// waitCtx is its parent until a connection is acquired or wait passes,
// whichever comes first; if wait passes first it is done with
// ErrPoolExhausted. After acquisition it ends only with its parent,
// which matters for a transaction: database/sql rolls one back when the
// context it began with is done.
type waitCtx struct {
	context.Context
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex
	err   error
	timer *time.Timer
}

func newWaitCtx(parent context.Context, wait time.Duration) context.Context {
	if parent.Value(waitKey{}) != nil {
		return parent // a query inside a query's context: one wait is enough
	}
	w := &waitCtx{Context: parent, done: make(chan struct{})}
	w.timer = time.AfterFunc(wait, func() { w.end(ErrPoolExhausted) })
	context.AfterFunc(parent, func() { w.end(parent.Err()) })
	return w
}

func (w *waitCtx) end(err error) {
	w.once.Do(func() {
		w.mu.Lock()
		w.err = err
		w.mu.Unlock()
		close(w.done)
	})
}

func (w *waitCtx) Done() <-chan struct{} { return w.done }

func (w *waitCtx) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *waitCtx) Value(key any) any {
	if key == (waitKey{}) {
		return w
	}
	return w.Context.Value(key)
}

// acquired disarms the connection wait of ctx, if it has one.
func acquired(ctx context.Context) {
	if w, ok := ctx.Value(waitKey{}).(*waitCtx); ok {
		w.timer.Stop()
	}
}
