package library

import (
	"context"

	"github.com/uptrace/bun"
)

// Published reports whether id is a published item, read on db: events
// let organisers cite only what every reader of the event can open.
func Published(ctx context.Context, db bun.IDB, id int64) (bool, error) {
	ok, err := db.NewSelect().Model((*Item)(nil)).Where("li.id = ? AND li.status = ?", id, StatusPublished).Exists(ctx)
	return ok, wrap(err, "item %d published", id)
}

// ItemsByID returns the items of ids (any status: an event may cite an
// item withdrawn since), in the order of ids; ids of no item are left out.
func (s *Service) ItemsByID(ctx context.Context, ids []int64) ([]Item, error) {
	list, err := NewStore(s.db).Items(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Item, len(list))
	for _, it := range list {
		byID[it.ID] = it
	}
	out := make([]Item, 0, len(list))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}
