package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
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

// AccessRead is one user's standing in one course as AccessQuery reads it
// in another package's statement: the course (only the columns the access
// rules and a quiz use: pageExcept's are left out), whether the user is
// among its instructors, and their active or completed enrolment (ID 0:
// none). Embed it with the prefix "ca_" and decide with Access.
type AccessRead struct {
	Course     Course    `bun:"embed:c_"`
	Instructor bool      `bun:"is_instructor"`
	Enrolment  Enrolment `bun:"embed:e_"`
}

// AccessQuery returns the query of user's standing in course (each a
// placeholder or a column of the caller's statement), one row, its
// columns named for AccessRead embedded with the prefix "ca_", for a
// statement of another package to read with its own rows (a quiz start
// reads it with the quiz): one round trip fewer than AccessUncounted.
// The rule stays courses': the statement only reads what Service.view's
// would, and AccessRead.Access decides as view does.
func AccessQuery(db bun.IDB, course, user bun.Safe) *bun.SelectQuery {
	return db.NewSelect().Model((*Course)(nil)).
		ColumnExpr("?", postgres.Columns(db, (*Course)(nil), "c", "ca_c_", pageExcept.course...)).
		ColumnExpr("EXISTS (SELECT 1 FROM course_instructors AS ci WHERE ci.course_id = c.id AND ci.user_id = ?) AS ca_is_instructor", user).
		ColumnExpr("?", postgres.Columns(db, (*Enrolment)(nil), "e", "ca_e_", pageExcept.enrolment...)).
		Join("LEFT JOIN enrolments AS e ON e.course_id = c.id AND e.user_id = ? AND e.status IN (?, ?)",
			user, EnrolmentActive, EnrolmentCompleted).
		Where("c.id = ?", course)
}

// Access is what actor (the user AccessQuery was read for) may do with
// the course, decided as AccessUncounted decides it, with the same
// errors: a course the actor may not see (or none read) is ErrNotFound.
// The enrolment's progress is not counted, as AccessUncounted's is not.
func (r *AccessRead) Access(actor Actor) (*Access, error) {
	if r.Course.ID == 0 {
		return nil, fmt.Errorf("course: %w", ErrNotFound)
	}
	c := r.Course
	acc := accessOf(actor, &c, r.Instructor, r.Enrolment)
	if !acc.CanView() {
		return nil, fmt.Errorf("course %d: %w", c.ID, ErrNotFound)
	}
	return acc, nil
}
