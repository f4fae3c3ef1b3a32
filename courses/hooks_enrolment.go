package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// EnrolmentHook runs inside the transaction that enrols people in a
// course, with the users newly enrolled (not those enrolled already) and
// who enrolled them (0: themselves, or the system): package notify tells
// those enrolled by someone else.
type EnrolmentHook func(ctx context.Context, tx bun.IDB, courseID int64, userIDs []int64, by int64) error

// OnEnrolled registers a hook for new enrolments. Call it while wiring.
func (s *Service) OnEnrolled(h EnrolmentHook) { s.onEnrolled = append(s.onEnrolled, h) }

// enrolled runs the hooks for the users newly enrolled in tx.
func (s *Service) enrolled(ctx context.Context, tx bun.IDB, courseID int64, userIDs []int64, by int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	for _, h := range s.onEnrolled {
		if err := h(ctx, tx, courseID, userIDs, by); err != nil {
			return fmt.Errorf("enrolment hook, course %d: %w", courseID, err)
		}
	}
	return nil
}

// CourseIn returns the course with id, read in db (the caller's
// transaction), for the packages that tell people about it.
func CourseIn(ctx context.Context, db bun.IDB, id int64) (*Course, error) {
	return NewStore(db).Course(ctx, id)
}
