package accounts

import (
	"context"

	"github.com/uptrace/bun"
)

// Functions the exchange package reads accounts' data through, inside its
// own transactions (users come through UsersByID).

// InstitutionsByID returns the institutions of db with the given ids,
// keyed by id; unknown ids are left out.
func InstitutionsByID(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Institution, error) {
	out := make(map[int64]Institution, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []Institution
	if err := db.NewSelect().Model(&list).Where("i.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, inst := range list {
		out[inst.ID] = inst
	}
	return out, nil
}
