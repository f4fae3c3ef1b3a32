package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// connector hands database/sql connections that check their health and
// turn a read that broke with its connection into driver.ErrBadConn,
// which database/sql retries on another connection.
type connector struct {
	inner *pgdriver.Connector
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	acquired(ctx) // the pool has room: what remains is dialling, bounded by its own timeout
	cn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: cn.(*pgdriver.Conn)}, nil
}

// Driver is pgdriver's: its Listener (the job queue's LISTEN) opens its
// own connections through it.
func (c *connector) Driver() driver.Driver { return c.inner.Driver() }

// OpenDB returns a pool of inner's connections wrapped as Open's are
// (health checked, reads retried, statements prepared), for a pool made
// elsewhere with settings of its own: the tests' databases.
func OpenDB(inner *pgdriver.Connector) *sql.DB {
	db := sql.OpenDB(&connector{inner: inner})
	pools.Store(db, true)
	return db
}

// pools are the pools OpenDB made, whose connections prepare statements.
var pools sync.Map // *sql.DB → true

// conn is a pgdriver connection that knows whether a transaction is open
// on it: statements inside one are never retried.
type conn struct {
	*pgdriver.Conn
	inTx bool
	// stmts are the statements prepared on this connection, by their text
	// (Select, SelectOne and Exec); database/sql uses a connection from
	// one goroutine at a time, so no lock.
	stmts map[string]driver.Stmt
}

var (
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
)

// ResetSession is called before a pooled connection is reused: a dead one
// (PostgreSQL restarted, the network dropped it) is discarded here, and
// database/sql takes another.
func (c *conn) ResetSession(ctx context.Context) error {
	acquired(ctx)
	if !alive(c.Conn.Conn()) {
		_ = c.Conn.Close()
		return driver.ErrBadConn
	}
	return c.Conn.ResetSession(ctx)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	acquired(ctx)
	var rows driver.Rows
	var err error
	if p, ok := preparedOf(ctx, query); ok && len(args) == 0 {
		rows, err = c.queryPrepared(ctx, p)
	} else {
		rows, err = c.Conn.QueryContext(ctx, query, args)
	}
	if err != nil && c.retryable(ctx, query, err) {
		return nil, driver.ErrBadConn
	}
	return rows, err
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	acquired(ctx)
	if p, ok := preparedOf(ctx, query); ok && len(args) == 0 {
		return c.execPrepared(ctx, p)
	}
	return c.Conn.ExecContext(ctx, query, args)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	acquired(ctx)
	return c.Conn.PrepareContext(ctx, query)
}

func (c *conn) Ping(ctx context.Context) error {
	acquired(ctx)
	return c.Conn.Ping(ctx)
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	acquired(ctx)
	t, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.inTx = true
	return &tx{Tx: t, c: c}, nil
}

// tx marks its connection free of a transaction once it ends.
type tx struct {
	driver.Tx
	c *conn
}

func (t *tx) Commit() error {
	t.c.inTx = false
	return t.Tx.Commit()
}

func (t *tx) Rollback() error {
	t.c.inTx = false
	return t.Tx.Rollback()
}

// retryable reports whether a failed query may run again on another
// connection: a read, outside a transaction, whose connection broke
// (pgdriver closes it then). A statement the server cancelled for its
// timeout would only time out again.
func (c *conn) retryable(ctx context.Context, query string, err error) bool {
	if c.inTx || c.Conn.IsValid() || ctx.Err() != nil || !isRead(query) {
		return false
	}
	return Code(err) != "57014" // query_canceled
}

// isRead reports whether query is a plain SELECT, which changes nothing
// and may run twice. WITH is left out: its parts may write.
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "select")
}

// alive reports whether an idle connection is still open: nothing may be
// waiting on it, so pending bytes (the FATAL a shutting-down server
// sends) or end of file mean it is dead. It peeks without blocking.
//
// The read deadline pgdriver set for the connection's last reply (now +
// ReadTimeout, or the deadline of that statement's context) is still on
// the socket, and a connection idle past it would fail the peek with a
// timeout before looking at the socket at all: every connection idle for
// longer than ReadTimeout (13 s) was dropped and opened again, a fork and
// cold caches each time. The deadline is cleared first; pgdriver sets a
// fresh one before each read it makes.
func alive(nc net.Conn) bool {
	for {
		u, ok := nc.(interface{ NetConn() net.Conn }) // TLS: peek at the TCP underneath
		if !ok {
			break
		}
		nc = u.NetConn()
	}
	if err := nc.SetReadDeadline(time.Time{}); err != nil {
		slog.Debug("postgres: pooled connection dropped", "reason", err.Error())
		return false
	}
	ok, why := peekAlive(nc)
	if !ok {
		// Rare (a restart of PostgreSQL drops each once); the reason tells a
		// dead connection from a reply some path left unread.
		slog.Debug("postgres: pooled connection dropped", "reason", why)
	}
	return ok
}
