package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
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
// are filled.
func CoursesByTitle(ctx context.Context, db bun.IDB) ([]Course, error) {
	var list []Course
	if err := db.NewSelect().Model(&list).Column("id", "slug", "title", "status").
		OrderExpr("c.title, c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: courses by title: %w", err)
	}
	return list, nil
}
