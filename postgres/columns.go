package postgres

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Columns returns "alias.c AS prefixc, …" for the stored columns of model
// (a pointer to a bun model) but those in except, to read the model
// embedded (bun:"embed:prefix") in the row of another: a page's data in
// one statement instead of one per table. It follows the model, so a
// column added to it is read too.
func Columns(db bun.IDB, model any, alias, prefix string, except ...string) bun.Safe {
	key := columnsKey{reflect.TypeOf(model), alias, prefix, strings.Join(except, ",")}
	if v, ok := columnsCache.Load(key); ok {
		return v.(bun.Safe)
	}
	table := db.Dialect().Tables().Get(key.typ.Elem())
	cols := make([]string, 0, len(table.Fields))
	for _, f := range table.Fields {
		if !slices.Contains(except, f.Name) {
			cols = append(cols, alias+"."+f.Name+" AS "+prefix+f.Name)
		}
	}
	sql := bun.Safe(strings.Join(cols, ", "))
	columnsCache.Store(key, sql)
	return sql
}

type columnsKey struct {
	typ                   reflect.Type
	alias, prefix, except string
}

var columnsCache sync.Map

// CountedPage reads the first matches of q, a select of one column "id"
// in a list's order (max(countCap+1, offset+limit) of them, so the limit
// is q's to leave out), and returns the page's ids from offset and the
// list's count, at most countCap+1 (which means "more than countCap"):
// one index scan for both, where a page query and a count query each paid
// for it. The matches come back as one row, their count and the page's
// ids as an array, rather than a row each: scanning up to 1,001 ids a row
// at a time was a tenth of the server's CPU on a certificate search.
func CountedPage(ctx context.Context, db bun.IDB, q *bun.SelectQuery, countCap, offset, limit int) (page []int64, total int, err error) {
	// An aggregate over a sorted subquery (no join above it) reads the rows
	// in the subquery's order.
	err = db.NewSelect().TableExpr("(?) AS m", q.Limit(max(countCap+1, offset+limit))).
		ColumnExpr("(array_agg(m.id))[?:?], count(*)", offset+1, offset+limit).Scan(ctx, pgdialect.Array(&page), &total)
	return page, min(total, countCap+1), err
}

// ByIDsWithVersion is the text of a statement reading columns of q's
// model (alias: its table's) for the ids $1, a bigint[], in their order,
// with version (a one-value SQL expression: a list's row of list_versions)
// as versionAs on every row, and one row of only the version when no id
// matches: a list page reads its rows and the version its kept options
// are checked by in one statement, prepared (the same text for every
// page). The row model has versionAs as a scanonly field.
func ByIDsWithVersion(q *bun.SelectQuery, alias, columns, version, versionAs string) string {
	return q.ColumnExpr(columns + ", v.n AS " + versionAs).
		Join("JOIN unnest($1::bigint[]) WITH ORDINALITY AS p(id, ord) ON p.id = " + alias + ".id").
		Join("RIGHT JOIN (SELECT " + version + " AS n) AS v ON true").OrderExpr("p.ord").String()
}
