package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
)

// Functions the certificates package reads courses' data through, so that
// it never queries courses' tables itself.

// CourseForCertificate returns the course with id, in any status, read in
// db: the completion transaction when a certificate is issued on
// completion. It is ErrNotFound for an unknown id.
func CourseForCertificate(ctx context.Context, db bun.IDB, id int64) (*Course, error) {
	return NewStore(db).Course(ctx, id)
}

// CompletedEnrolment returns the person's completed enrolment in a course,
// read in db, or ErrNotFound.
func CompletedEnrolment(ctx context.Context, db bun.IDB, userID, courseID int64) (*Enrolment, error) {
	e := new(Enrolment)
	err := db.NewSelect().Model(e).
		Where("e.user_id = ? AND e.course_id = ? AND e.status = ?", userID, courseID, EnrolmentCompleted).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: completed enrolment of user %d in %d: %w", userID, courseID, notFound(err))
	}
	return e, nil
}

// CoursesByTitle returns every course, drafts and archived ones too, by
// title: an in-person workshop may be recorded as a course that is never
// published and still give certificates. Only id, slug, title and status
// are filled. It returns with them the version of the list they are
// (CoursesVersion; -1 when there is no course), read in the same
// statement, for a caller that keeps the list (postgres.KeptList).
func CoursesByTitle(ctx context.Context, db bun.IDB) ([]Course, int64, error) {
	var rows []struct {
		Course      `bun:",extend"`
		ListVersion int64 `bun:"list_version"`
	}
	if err := db.NewSelect().Model(&rows).Column("id", "slug", "title", "status").
		ColumnExpr(CoursesVersionSQL + " AS list_version").
		OrderExpr("c.title, c.id").Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("courses: courses by title: %w", err)
	}
	version := int64(-1)
	list := make([]Course, len(rows))
	for i := range rows {
		list[i], version = rows[i].Course, rows[i].ListVersion
	}
	return list, version, nil
}

// CoursesVersionSQL is the version of the list CoursesByTitle reads, which
// every write of a course's slug, title or status, and every course added
// or removed, moves on in its transaction (migration 20261203120000), as
// an SQL expression: for a caller that keeps the list and reads its
// version in a statement of its own (the certificate list, with its page).
const CoursesVersionSQL = `coalesce((SELECT v.version FROM list_versions AS v WHERE v.name = 'courses'), 0)`

const coursesVersion = `SELECT ` + CoursesVersionSQL

// CoursesVersion returns the version of the list CoursesByTitle reads: a
// prepared statement of one row, for pages that keep the list and ask on
// every view whether it moved.
func CoursesVersion(ctx context.Context, db bun.IDB) (int64, error) {
	var v int64
	if err := postgres.SelectOne(ctx, db, coursesVersion, nil, &v); err != nil {
		return 0, fmt.Errorf("courses: courses version: %w", err)
	}
	return v, nil
}
