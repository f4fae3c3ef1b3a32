package courses

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// EnrolUsers enrols the users in a course and returns how many were newly
// enrolled. Withdrawn learners come back; active and completed ones are
// left alone. Rows are written in user id order, so two bulk enrolments of
// the same people into one course wait for each other instead of
// deadlocking.
func (s *Store) EnrolUsers(ctx context.Context, courseID int64, userIDs []int64, by *int64, now time.Time) (int, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	ids := slices.Clone(userIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	res, err := s.db.NewRaw(`INSERT INTO enrolments (course_id, user_id, status, enrolled_by, enrolled_at)
		SELECT ?, u, 'active', ?, ? FROM unnest(?::bigint[]) WITH ORDINALITY AS t(u, n) ORDER BY n
		ON CONFLICT (course_id, user_id) DO UPDATE
			SET status = 'active', enrolled_by = EXCLUDED.enrolled_by, enrolled_at = EXCLUDED.enrolled_at, withdrawn_at = NULL
			WHERE enrolments.status = 'withdrawn'`,
		courseID, by, now, pgdialect.Array(ids)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("courses: enrol %d users in %d: %w", len(ids), courseID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// CountEnrolled returns how many of the users are enrolled in the course
// (active or completed).
func (s *Store) CountEnrolled(ctx context.Context, courseID int64, userIDs []int64) (int, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	n, err := s.db.NewSelect().Model((*Enrolment)(nil)).
		Where("course_id = ? AND user_id IN (?) AND status IN (?, ?)", courseID, bun.List(userIDs), EnrolmentActive, EnrolmentCompleted).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("courses: count enrolled in %d: %w", courseID, err)
	}
	return n, nil
}
