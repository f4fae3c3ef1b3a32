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
