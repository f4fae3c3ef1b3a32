package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Functions the certificates package reads courses' data through, so that
// it never queries courses' tables itself.

// FilesInUse reports which of the given content hashes a course file still
// refers to. Another user of the shared BlobStore (certificates' ZIP files)
// sweeps the store with it, so that its sweep never takes a course's file.
func (s *Service) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	set := make(map[string]bool, len(sums))
	if len(sums) == 0 {
		return set, nil
	}
	var used []string
	if err := s.db.NewSelect().Model((*Asset)(nil)).Column("sha256").Distinct().
		Where("sha256 IN (?)", bun.List(sums)).Scan(ctx, &used); err != nil {
		return nil, fmt.Errorf("courses: files in use: %w", err)
	}
	for _, sum := range used {
		set[sum] = true
	}
	return set, nil
}

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
