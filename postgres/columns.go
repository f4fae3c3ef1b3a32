package postgres

import (
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
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

// CountedPage splits the ids of a list's first matches, read once in the
// list's order (max(countCap+1, offset+limit) of them), into the page's
// ids from offset and the list's count, at most countCap+1 (which means
// "more than countCap"): one index scan for both, where a page query and
// a count query each paid for it.
func CountedPage(ids []int64, countCap, offset, limit int) (page []int64, total int) {
	return ids[min(offset, len(ids)):min(offset+limit, len(ids))], min(len(ids), countCap+1)
}
