package courses

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Enrolment returns the user's current (active or completed) enrolment in a
// course, or ErrNotEnrolled.
func (s *Service) Enrolment(ctx context.Context, userID, courseID int64) (*Enrolment, error) {
	e, err := NewStore(s.db).CurrentEnrolment(ctx, userID, courseID, s.progressColumns(""))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotEnrolled
	}
	if err != nil {
		return nil, err
	}
	e.setProgress()
	return e, nil
}

// LearnerEnrolment returns enrolment id if it belongs to userID. Another
// learner's enrolment is ErrNotFound, exactly like a missing one, so ids
// reveal nothing.
func (s *Service) LearnerEnrolment(ctx context.Context, userID, enrolmentID int64) (*Enrolment, error) {
	e, err := NewStore(s.db).LearnerEnrolment(ctx, userID, enrolmentID, false)
	if err != nil {
		return nil, err
	}
	if err := NewStore(s.db).CountProgress(ctx, e, s.progressColumns("")); err != nil {
		return nil, err
	}
	return e, nil
}

// Enrol enrols a user in a published course on behalf of the system (the
// demo seed, fixtures): it checks no actor. by is who enrolled them (nil:
// themselves). Enrolling again after withdrawing reactivates the enrolment
// with its earlier progress; enrolling twice is ErrAlreadyEnrolled. People
// go through EnrolSelf and EnrolUser, which decide who may.
func (s *Service) Enrol(ctx context.Context, userID, courseID int64, by *int64) (*Enrolment, error) {
	return s.enrol(ctx, nil, userID, courseID, by)
}

// EnrolSelf enrols the actor in a course. A course the actor may not see
// (a draft, to anyone but its editors) is ErrNotFound, exactly as its page
// is, so enrolling reveals no draft; one they see but that takes no
// enrolments (a draft to its editor, an archived course) is ErrNotPublished.
func (s *Service) EnrolSelf(ctx context.Context, actor Actor, courseID int64) (*Enrolment, error) {
	if !actor.SignedIn() {
		return nil, fmt.Errorf("courses: enrol in %d: %w", courseID, ErrForbidden)
	}
	return s.enrol(ctx, &actor, actor.UserID, courseID, nil)
}

// EnrolUser enrols another user in a course by hand. Admins enrol anyone,
// coordinators their own institution's staff; everyone else is told
// ErrForbidden (ErrNotFound for a course they may not see).
func (s *Service) EnrolUser(ctx context.Context, actor Actor, courseID, userID int64) (*Enrolment, error) {
	by := actor.UserID
	return s.enrol(ctx, &actor, userID, courseID, &by)
}

// enrol is the one writer of enrolments one at a time. actor, when not
// nil, is checked against the course inside the transaction: anyone may
// enrol themselves in a course they see, only admins and coordinators
// (mayEnrolOthers, mayEnrolPerson) someone else.
func (s *Service) enrol(ctx context.Context, actor *Actor, userID, courseID int64, by *int64) (*Enrolment, error) {
	var e *Enrolment
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := NewStore(tx).Course(ctx, courseID)
		if err != nil {
			return err
		}
		switch {
		case actor == nil:
		case userID == actor.UserID:
			if _, err := s.visible(ctx, tx, *actor, c); err != nil {
				return err
			}
		default:
			if err := s.mayEnrolOthers(ctx, tx, *actor, c); err != nil {
				return err
			}
			if err := s.mayEnrolPerson(ctx, tx, *actor, userID); err != nil {
				return err
			}
		}
		if c.Status != StatusPublished {
			return ErrNotPublished
		}
		e = &Enrolment{CourseID: courseID, UserID: userID, Status: EnrolmentActive, EnrolledBy: by, EnrolledAt: s.now()}
		inserted, err := NewStore(tx).InsertEnrolment(ctx, e)
		if err != nil {
			return err
		}
		if !inserted {
			return ErrAlreadyEnrolled
		}
		var byID int64
		if by != nil {
			byID = *by
		}
		if err := s.enrolled(ctx, tx, courseID, []int64{userID}, byID); err != nil {
			return err
		}
		return NewStore(tx).CountProgress(ctx, e, s.progressColumns(""))
	})
	if err != nil {
		return nil, fmt.Errorf("enrol %d in %d: %w", userID, courseID, err)
	}
	return e, nil
}

// Withdraw ends a learner's active enrolment. Completed enrolments stay:
// the record of a completion is not the learner's to erase.
func (s *Service) Withdraw(ctx context.Context, userID, enrolmentID int64) error {
	done, err := NewStore(s.db).Withdraw(ctx, userID, enrolmentID, s.now())
	if err != nil {
		return err
	}
	if !done {
		return fmt.Errorf("courses: withdraw %d: %w", enrolmentID, ErrNotFound)
	}
	return nil
}

// CompleteModule records that the learner finished a module of the course
// of their enrolment and, when it was the last thing to do, completes the
// course — all in one transaction. Completing a module twice changes nothing.
func (s *Service) CompleteModule(ctx context.Context, userID, enrolmentID, moduleID int64) (*Enrolment, error) {
	var e *Enrolment
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Lock the enrolment before writing the completion: taking the lock
		// after the insert (whose foreign key share-locks the row) would
		// deadlock two tabs finishing modules at once.
		store := NewStore(tx)
		own, err := store.LearnerEnrolment(ctx, userID, enrolmentID, true)
		if err != nil {
			return err
		}
		ok, err := store.LiveModuleExists(ctx, own.CourseID, moduleID)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if err := store.InsertCompletion(ctx, &ModuleCompletion{EnrolmentID: enrolmentID, ModuleID: moduleID, CompletedAt: s.now()}); err != nil {
			return err
		}
		e, err = s.CheckCompletion(ctx, tx, enrolmentID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("courses: complete module %d of enrolment %d: %w", moduleID, enrolmentID, err)
	}
	return e, nil
}

// CheckCompletion is the one place an enrolment becomes completed: when
// every module and every other requirement (required quizzes) is done, it
// sets status and completed_at and runs the completion hooks (certificate)
// in the caller's transaction db. The enrolment row is locked first, so two
// requests finishing the last item at once complete it exactly once.
//
// A completed enrolment stays completed when the course later gains a
// module: the learner met the course as it was, and their certificate must
// not silently become unearned.
func (s *Service) CheckCompletion(ctx context.Context, db bun.IDB, enrolmentID int64) (*Enrolment, error) {
	store := NewStore(db)
	e, err := store.LockEnrolment(ctx, enrolmentID)
	if err != nil {
		return nil, err
	}
	// Counted in a statement after the lock, not with it: a statement
	// that waited for the lock still sees the data of its start, and would
	// miss the last item finished by the transaction it waited for.
	if err := store.CountProgress(ctx, e, s.progressColumns("")); err != nil {
		return nil, err
	}
	if e.Status != EnrolmentActive || e.ItemsRequired == 0 || e.ItemsDone < e.ItemsRequired {
		return e, nil
	}
	now := s.now()
	e.Status, e.CompletedAt = EnrolmentCompleted, &now
	if err := store.MarkCompleted(ctx, e); err != nil {
		return nil, err
	}
	for _, hook := range s.onCompleted {
		if err := hook(ctx, db, e); err != nil {
			return nil, fmt.Errorf("courses: completion hook for enrolment %d: %w", enrolmentID, err)
		}
	}
	return e, nil
}

// CompletedModules returns the ids of the modules the enrolment completed.
func (s *Service) CompletedModules(ctx context.Context, enrolmentID int64) (map[int64]time.Time, error) {
	rows, err := NewStore(s.db).Completions(ctx, enrolmentID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.ModuleID] = r.CompletedAt
	}
	return out, nil
}

// LockEnrolment locks an enrolment row for the rest of the transaction db.
// Work that ends in CheckCompletion (a quiz submission) calls it first, so
// that concurrent completions of one enrolment queue up instead of
// deadlocking on the foreign-key locks their inserts take.
func LockEnrolment(ctx context.Context, db bun.IDB, enrolmentID int64) error {
	_, err := NewStore(db).LockEnrolment(ctx, enrolmentID)
	return err
}

// mayEnrolPerson returns nil when actor may enrol the user with id:
// anyone for admins, their own institution's staff for coordinators
// (another institution's person is ErrForbidden).
func (s *Service) mayEnrolPerson(ctx context.Context, db bun.IDB, actor Actor, userID int64) error {
	if actor.IsAdmin() {
		return nil
	}
	u, err := accounts.NewStore(db).User(ctx, userID)
	if err != nil {
		return err
	}
	if !actor.Oversees(u.InstitutionID) {
		return fmt.Errorf("enrol user %d: %w", userID, ErrForbidden)
	}
	return nil
}
