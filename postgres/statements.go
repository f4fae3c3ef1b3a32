package postgres

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// Statements counts the round trips to PostgreSQL made with one context:
// every query, and a transaction's BEGIN and COMMIT or ROLLBACK. A page's
// cost is mostly its round trips, so the request log carries the count
// (the benchmark reads it there) and tests hold each page to a budget.
type Statements struct{ n atomic.Int64 }

// Count returns how many statements ran so far.
func (s *Statements) Count() int64 { return s.n.Load() }

// Add counts n more statements.
func (s *Statements) Add(n int64) { s.n.Add(n) }

type statementsKey struct{}

// CountStatements returns a context whose statements are counted in the
// returned Statements, when the pool has a StatementCounter hook.
func CountStatements(ctx context.Context) (context.Context, *Statements) {
	st := new(Statements)
	return context.WithValue(ctx, statementsKey{}, st), st
}

// StatementCounter is the bun query hook that counts each statement in
// the Statements of its context, if it has one. Open installs it.
type StatementCounter struct{}

// BeforeQuery counts the statement about to run.
func (StatementCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	if st, ok := ctx.Value(statementsKey{}).(*Statements); ok {
		st.Add(1)
	}
	return ctx
}

// AfterQuery does nothing: a statement is counted whether it succeeds.
func (StatementCounter) AfterQuery(context.Context, *bun.QueryEvent) {}
