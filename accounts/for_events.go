package accounts

import (
	"context"

	"github.com/uptrace/bun"
)

// Functions the events package reads accounts' data through, inside its
// own transactions.

// UsersByID returns the users of db with the given ids, keyed by id;
// unknown ids are left out.
func UsersByID(ctx context.Context, db bun.IDB, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []User
	if err := db.NewSelect().Model(&list).Where("u.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, u := range list {
		out[u.ID] = u
	}
	return out, nil
}
