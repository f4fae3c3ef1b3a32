package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"sync"

	"github.com/uptrace/bun"
)

// Prepared statements for the few statements every request runs (the
// session, the module page's course view, the quiz start and submit).
// bun interpolates arguments into the SQL text, so PostgreSQL parses and
// plans each statement anew; for these, planning costs more than running
// them (the course view: 0.55 ms planning, 0.2 ms execution on a warm
// connection). A statement sent through Select, SelectOne or Exec has
// $1… placeholders; each connection of the pool prepares it once, by its
// text, and PostgreSQL moves to a generic plan after five executions, so
// later calls are neither parsed nor planned.
//
// The statement still goes through bun (bun.IDB's QueryContext and
// ExecContext, with the text and no arguments), so its query hooks run
// (the connection wait, the statement counters of the request log and of
// the tests); the arguments ride in the context to the pool's driver
// connection, which alone runs it as a prepared statement. A statement
// inside a transaction (db a bun.Tx) is prepared on the transaction's
// connection like any other.
//
// Named prepared statements live in the server session: a pooler that
// hands a client another server connection per transaction (PgBouncer in
// transaction mode) breaks them, which docs/deploy.md says.

// preparedKey carries a statement's arguments to the driver connection.
type preparedKey struct{}

type preparedCall struct {
	query string
	args  []driver.NamedValue
}

// Select runs query, a statement with $1… placeholders, as a prepared
// statement with args, and scans its rows into dest as bun scans into a
// model (a slice of structs, a struct, or scalars). A struct without a
// row stays as it was, as with bun; use SelectOne to be told.
func Select(ctx context.Context, db bun.IDB, dest any, query string, args ...any) error {
	rows, err := query1(ctx, db, query, args)
	if err != nil {
		return err
	}
	return bunDB(db).ScanRows(ctx, rows, dest)
}

// SelectOne is Select for one row: sql.ErrNoRows when there is none, and
// rows after the first are discarded.
func SelectOne(ctx context.Context, db bun.IDB, query string, args []any, dest ...any) error {
	rows, err := query1(ctx, db, query, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := bunDB(db).ScanRow(ctx, rows, dest...); err != nil {
		return err
	}
	return rows.Close()
}

// Exec runs query, a statement with $1… placeholders, as a prepared
// statement with args.
func Exec(ctx context.Context, db bun.IDB, query string, args ...any) (sql.Result, error) {
	if !preparing(db) {
		return db.ExecContext(ctx, bunPlaceholders(query), args...)
	}
	ctx, err := withArgs(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return db.ExecContext(ctx, query)
}

func query1(ctx context.Context, db bun.IDB, query string, args []any) (*sql.Rows, error) {
	if !preparing(db) {
		return db.QueryContext(ctx, bunPlaceholders(query), args...)
	}
	ctx, err := withArgs(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return db.QueryContext(ctx, query)
}

// preparing reports whether db's connections are this package's, which
// prepare statements. Another pool (one opened with pgdriver alone) gets
// the statement with its arguments formatted in by bun, as any other.
func preparing(db bun.IDB) bool {
	_, ok := pools.Load(bunDB(db).DB)
	return ok
}

// bunDB is the pool under db. Asking a bun.Tx or bun.Conn for it makes a
// query to ask; a *bun.DB, which is what most statements run on, is it:
// two fewer allocations per statement for the statements every page runs.
func bunDB(db bun.IDB) *bun.DB {
	if d, ok := db.(*bun.DB); ok {
		return d
	}
	return db.NewSelect().DB()
}

// bunPlaceholders is query with $1… written as bun's ?0…, for bun to
// format the arguments in.
func bunPlaceholders(query string) string {
	if q, ok := bunTexts.Load(query); ok {
		return q.(string)
	}
	q := dollarArg.ReplaceAllStringFunc(query, func(m string) string {
		n, _ := strconv.Atoi(m[1:])
		return "?" + strconv.Itoa(n-1)
	})
	bunTexts.Store(query, q)
	return q
}

var (
	dollarArg = regexp.MustCompile(`\$[1-9][0-9]*`)
	bunTexts  sync.Map // query → bunPlaceholders(query)
)

// withArgs converts args as database/sql would (driver.Valuer, pointers,
// any integer kind) and puts them in ctx for the driver connection.
func withArgs(ctx context.Context, query string, args []any) (context.Context, error) {
	call := &preparedCall{query: query, args: make([]driver.NamedValue, len(args))}
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return nil, fmt.Errorf("postgres: argument $%d: %w", i+1, err)
		}
		call.args[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return context.WithValue(ctx, preparedKey{}, call), nil
}

// preparedOf returns the arguments of query when ctx marks it to be run
// prepared. The text is compared so that another statement run with the
// same context (a hook's) goes the usual way.
func preparedOf(ctx context.Context, query string) (*preparedCall, bool) {
	p, ok := ctx.Value(preparedKey{}).(*preparedCall)
	return p, ok && p.query == query
}

// maxPrepared bounds the statements one connection keeps prepared: the
// prepared ones are a handful of fixed texts, so more means a text that
// varies (arguments formatted into it by mistake), which must not grow the
// server's memory without end. Past it a statement is sent as any other,
// its arguments formatted into it by pgdriver.
const maxPrepared = 64

// stmtFor returns the statement prepared on c for query, preparing it
// the first time (a round trip: Parse, Describe, Sync); nil past
// maxPrepared.
func (c *conn) stmtFor(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxPrepared {
		return nil, nil
	}
	st, err := c.Conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]driver.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

// queryPrepared runs p on c as a prepared statement.
func (c *conn) queryPrepared(ctx context.Context, p *preparedCall) (driver.Rows, error) {
	return runPrepared(c, ctx, p,
		func(st driver.Stmt) (driver.Rows, error) {
			return st.(driver.StmtQueryContext).QueryContext(ctx, p.args)
		},
		func() (driver.Rows, error) { return c.Conn.QueryContext(ctx, p.query, p.args) })
}

// execPrepared runs p on c as a prepared statement, for its result.
func (c *conn) execPrepared(ctx context.Context, p *preparedCall) (driver.Result, error) {
	return runPrepared(c, ctx, p,
		func(st driver.Stmt) (driver.Result, error) {
			return st.(driver.StmtExecContext).ExecContext(ctx, p.args)
		},
		func() (driver.Result, error) { return c.Conn.ExecContext(ctx, p.query, p.args) })
}

// runPrepared runs p's statement prepared on c (run), or as any other
// past maxPrepared (plain), preparing it again once when PostgreSQL
// refused the prepared one (replan).
func runPrepared[T any](c *conn, ctx context.Context, p *preparedCall, run func(driver.Stmt) (T, error), plain func() (T, error)) (T, error) {
	for try := 0; ; try++ {
		st, err := c.stmtFor(ctx, p.query)
		if err != nil {
			var zero T
			return zero, c.broken(err)
		}
		if st == nil {
			return plain()
		}
		out, err := run(st)
		if err != nil && try == 0 && c.replan(p.query, err) {
			continue
		}
		return out, c.broken(err)
	}
}

// replan reports whether a prepared statement failed only because it
// must be prepared again, and forgets it: a migration changed a table it
// reads so that its result columns differ ("cached plan must not change
// result type"), or the server no longer knows it. Such a statement did
// not run, so outside a transaction it is sent again once, prepared anew;
// inside one the error stands (the transaction is aborted), and the next
// use prepares it again.
func (c *conn) replan(query string, err error) bool {
	code := Code(err)
	if code != "0A000" && code != "26000" { // feature_not_supported, invalid_sql_statement_name
		return false
	}
	if st, ok := c.stmts[query]; ok {
		delete(c.stmts, query)
		// The server still holds a statement it refused for its plan; in
		// an aborted transaction it goes with the connection instead.
		if code == "0A000" && !c.inTx {
			_ = st.Close()
		}
	}
	return !c.inTx
}

// broken closes c when err means its connection is gone, as pgdriver does
// for the statements it sends itself (it does not for prepared ones), so
// that database/sql drops it and a read can be retried.
func (c *conn) broken(err error) error {
	var netErr net.Error
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &netErr) {
		_ = c.Conn.Close()
	}
	return err
}

// Text is the SQL of a prepared statement built once, the first time it
// is needed, by a function that builds it with bun (its placeholders
// written $1…, as bun.Safe), so the statement's text follows the models.
type Text struct {
	once  sync.Once
	build func(db bun.IDB) string
	sql   string
}

// NewText returns the Text that build makes.
func NewText(build func(db bun.IDB) string) *Text { return &Text{build: build} }

// SQL returns the statement's text, building it with db the first time.
func (t *Text) SQL(db bun.IDB) string {
	t.once.Do(func() { t.sql = t.build(db) })
	return t.sql
}
