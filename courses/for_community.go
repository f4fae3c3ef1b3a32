package courses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Functions the community package reads courses' data through, so that it
// never queries courses' tables itself. A course's forum is for the people
// who may read its modules (Access.CanRead), and its teachers moderate it
// (Access.CanEdit).

// ReadableCourse is a course whose modules an actor may read, and
// whether they edit it (Access.CanEdit).
type ReadableCourse struct {
	ID       int64  `bun:"id"`
	Slug     string `bun:"slug"`
	Title    string `bun:"title"`
	Language string `bun:"language"`
	Status   Status `bun:"status"`
	Editor   bool   `bun:"editor"`
}

// ReadableCourses returns the courses whose modules actor may read, by
// title, in one query, with the rule of Access.CanRead: every course for
// an admin (who edits them all, drafts included), the courses an
// instructor teaches, and the published or archived courses the actor is
// enrolled in (active or completed).
func (s *Service) ReadableCourses(ctx context.Context, actor Actor) ([]ReadableCourse, error) {
	if !actor.SignedIn() {
		return nil, nil
	}
	var list []ReadableCourse
	q := s.db.NewSelect().TableExpr("courses AS c").Column("c.id", "c.slug", "c.title", "c.language", "c.status")
	enrolled := "c.status <> ? AND c.id IN (SELECT course_id FROM enrolments WHERE user_id = ? AND status IN (?, ?))"
	enrolledArgs := []any{StatusDraft, actor.UserID, EnrolmentActive, EnrolmentCompleted}
	teaches := "c.id IN (SELECT course_id FROM course_instructors WHERE user_id = ?)"
	switch actor.Role {
	case accounts.RoleAdmin:
		q = q.ColumnExpr("true AS editor")
	case accounts.RoleInstructor:
		// Access: an instructor edits the courses they teach.
		q = q.ColumnExpr(teaches+" AS editor", actor.UserID).
			WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where(teaches, actor.UserID).WhereOr(enrolled, enrolledArgs...)
			})
	default:
		q = q.ColumnExpr("false AS editor").Where(enrolled, enrolledArgs...)
	}
	if err := q.OrderExpr("c.title, c.id").Scan(ctx, &list); err != nil {
		return nil, fmt.Errorf("courses: courses readable by %d: %w", actor.UserID, err)
	}
	return list, nil
}

// CourseReaders returns which of the actors may read the modules of the
// course with id, read on db (a *bun.DB or the caller's bun.Tx), with the
// same rule as Access.CanRead, in one query for all of them: whom a
// forum's notification may reach.
func CourseReaders(ctx context.Context, db bun.IDB, courseID int64, actors []Actor) (map[int64]bool, error) {
	out := make(map[int64]bool, len(actors))
	var others []int64
	for _, a := range actors {
		switch {
		case !a.SignedIn():
		case a.IsAdmin():
			out[a.UserID] = true
		default:
			others = append(others, a.UserID)
		}
	}
	if len(others) == 0 {
		return out, nil
	}
	var ids []int64
	err := db.NewRaw(`SELECT user_id FROM course_instructors WHERE course_id = ? AND user_id IN (?)
		UNION
		SELECT e.user_id FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE e.course_id = ? AND e.user_id IN (?) AND e.status IN (?, ?) AND c.status <> ?`,
		courseID, bun.List(others), courseID, bun.List(others), EnrolmentActive, EnrolmentCompleted, StatusDraft).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("courses: readers of %d: %w", courseID, err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// CheckUpload reads the head of an uploaded file and decides, as
// UploadAsset does, whether it is a kind a course may attach (SniffKind:
// by content, never by name). It returns the kind and a reader that gives
// the whole file again, head included, to store.
func CheckUpload(r io.Reader) (kind string, content io.Reader, err error) {
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", nil, fmt.Errorf("courses: read upload: %w", err)
	}
	head = head[:n]
	kind, err = SniffKind(head)
	if err != nil {
		return "", nil, err
	}
	return kind, io.MultiReader(bytes.NewReader(head), r), nil
}
