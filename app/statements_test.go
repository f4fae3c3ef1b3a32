package app_test

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// countedDB returns a pool of its own on db's connections whose every
// statement (BEGIN and COMMIT included: each is a round trip) is counted,
// so a test can hold a page to its budget of statements. Each env gets
// one, so parallel tests never count each other's statements.
func countedDB(db *bun.DB) (*bun.DB, *atomic.Int64) {
	n := new(atomic.Int64)
	counted := bun.NewDB(db.DB, pgdialect.New())
	counted.AddQueryHook(countAll{n})
	return counted, n
}

type countAll struct{ n *atomic.Int64 }

func (h countAll) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	h.n.Add(1)

	return ctx
}

func (countAll) AfterQuery(context.Context, *bun.QueryEvent) {}

// countStatements returns how many statements do ran on the env's database.
func (e *env) countStatements(do func()) int64 {
	e.t.Helper()
	before := e.statements.Load()
	do()
	return e.statements.Load() - before
}
