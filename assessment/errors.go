package assessment

import (
	"database/sql"
	"errors"
	"fmt"
)

// Errors the web layer maps to statuses and translated messages. Access to
// the quiz's course is decided by courses, whose errors (courses.ErrNotFound,
// courses.ErrForbidden) pass through unchanged.
var (
	// ErrNotFound: no such quiz, question or attempt, or one the caller may
	// not see. Another learner's attempt is told the same way, so attempt ids
	// reveal nothing.
	ErrNotFound = errors.New("assessment: not found")
	// ErrBadCursor: a results cursor (ResultsFilter.After) that
	// ResultsCursor.String did not write.
	ErrBadCursor = errors.New("assessment: malformed results cursor")
	// ErrNotEnrolled: only learners enrolled in the quiz's course take it.
	ErrNotEnrolled = errors.New("assessment: not enrolled in the course")
	// ErrNoAttemptsLeft: the learner has used every attempt the quiz allows.
	ErrNoAttemptsLeft = errors.New("assessment: no attempts left")
	// ErrAlreadySubmitted: the attempt was submitted (or closed by its
	// deadline) before; a *SubmittedError carries its result.
	ErrAlreadySubmitted = errors.New("assessment: attempt already submitted")
	// ErrDeadlinePassed: the attempt's time limit, plus the grace period,
	// is over. The attempt has been closed with its saved answers graded.
	ErrDeadlinePassed = errors.New("assessment: deadline passed")
	// ErrConcurrentStart: another request started an attempt of the same
	// learner at the same moment; reloading shows it.
	ErrConcurrentStart = errors.New("assessment: attempt started concurrently")
	// ErrUnanswered: a submit that waits for the learner's confirmation
	// found questions without an answer; an *UnansweredError says which.
	ErrUnanswered = errors.New("assessment: questions unanswered")
)

// UnansweredError is ErrUnanswered with the numbers (from 1, in the
// attempt's order) of the questions left without an answer. The answers
// sent were saved and the attempt is still open.
type UnansweredError struct {
	AttemptID int64
	Numbers   []int
}

// Error says how many questions are unanswered.
func (e *UnansweredError) Error() string {
	return fmt.Sprintf("%s: %d in attempt %d", ErrUnanswered.Error(), len(e.Numbers), e.AttemptID)
}

// Is makes errors.Is(err, ErrUnanswered) true.
func (e *UnansweredError) Is(target error) bool { return target == ErrUnanswered }

// SubmittedError is ErrAlreadySubmitted with the result the attempt got
// when it was first submitted, unchanged by the repeated submit.
type SubmittedError struct {
	AttemptID int64
	Result    Result
	// TimedOut: the attempt's deadline closed it, not the learner.
	TimedOut bool
}

// Error says which attempt was submitted already.
func (e *SubmittedError) Error() string { return ErrAlreadySubmitted.Error() }

// Is makes errors.Is(err, ErrAlreadySubmitted) true, and, for an attempt
// its deadline closed, errors.Is(err, ErrDeadlinePassed) too: the learner
// who sends answers to it is told the time is over.
func (e *SubmittedError) Is(target error) bool {
	return target == ErrAlreadySubmitted || e.TimedOut && target == ErrDeadlinePassed
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
