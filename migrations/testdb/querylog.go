package testdb

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// QueryLog is a bun query hook that keeps the text of every statement a
// database runs, for tests that explain what a page or a search sends.
// Add it with db.AddQueryHook.
type QueryLog struct {
	mu      sync.Mutex
	queries []string
}

// BeforeQuery implements bun.QueryHook.
func (l *QueryLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (l *QueryLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, e.Query)
}

// Queries returns the statements run so far, oldest first.
func (l *QueryLog) Queries() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.queries)
}

// Reset forgets the statements run so far.
func (l *QueryLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = nil
}

// Last returns the latest statement containing contains that is not a
// count (a page's statement rather than its total), or "".
func (l *QueryLog) Last(contains string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.queries) - 1; i >= 0; i-- {
		if strings.Contains(l.queries[i], contains) && !strings.HasPrefix(l.queries[i], "SELECT count") {
			return l.queries[i]
		}
	}
	return ""
}
