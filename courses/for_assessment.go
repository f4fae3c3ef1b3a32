package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Functions other domain packages call to read courses' data inside their
// own transactions, so they never query courses' tables themselves.

// LiveModuleInCourse reports whether moduleID is a module of the course
// that is not archived, read on db (a *bun.DB or the caller's bun.Tx): a
// quiz may be attached only to such a module.
func LiveModuleInCourse(ctx context.Context, db bun.IDB, moduleID, courseID int64) (bool, error) {
	ok, err := db.NewSelect().Model((*Module)(nil)).
		Where("id = ? AND course_id = ? AND archived_at IS NULL", moduleID, courseID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("courses: is module %d live in %d: %w", moduleID, courseID, err)
	}
	return ok, nil
}
