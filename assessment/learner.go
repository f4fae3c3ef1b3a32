package assessment

import (
	"context"
	"fmt"

	"github.com/aula-platform/aula/courses"
)

// Standing is where one learner is with one quiz.
type Standing struct {
	// Attempts are the learner's attempts, first one first.
	Attempts []Attempt
	// Open is the attempt in progress, if any.
	Open *Attempt
	// Best is the submitted attempt with the highest percent (the earliest
	// of equals), if any: the one that counts for completion.
	Best *Attempt
	// AttemptsLeft is how many more attempts the learner may start, or -1
	// when the quiz has no limit.
	AttemptsLeft int
}

// Passed reports whether the learner's best attempt passed.
func (st *Standing) Passed() bool { return st.Best != nil && st.Best.Passed }

// CanStart reports whether the learner may start (or continue) an attempt.
func (st *Standing) CanStart() bool { return st.Open != nil || st.AttemptsLeft != 0 }

// CanRetry reports whether the learner should be offered a new attempt:
// none is open, one is left, and the quiz is not passed yet. A learner who
// has passed may still start one (the best attempt counts, so it cannot
// undo the pass), but pages do not invite it.
func (st *Standing) CanRetry() bool { return st.Open == nil && st.AttemptsLeft != 0 && !st.Passed() }

func standing(q *Quiz, attempts []Attempt) *Standing {
	st := &Standing{Attempts: attempts, AttemptsLeft: -1}
	for i := range attempts {
		a := &attempts[i]
		switch {
		case !a.Submitted():
			st.Open = a
		case st.Best == nil || a.Percent > st.Best.Percent:
			st.Best = a
		}
	}
	if q.MaxAttempts > 0 {
		st.AttemptsLeft = max(0, q.MaxAttempts-len(attempts))
	}
	return st
}

// Overview is what one actor sees of a quiz.
type Overview struct {
	Quiz *Quiz
	// CanEdit: the actor may edit the quiz and read its results.
	CanEdit bool
	// Standing is the actor's own, when enrolled in the course; nil otherwise.
	Standing *Standing
	// Access is what the actor may do with the quiz's course (Overview
	// fills it; CourseQuizzes was given it).
	Access *courses.Access
}

// Overview returns a quiz as actor may see it: those who may edit it see
// any of the course's quizzes; learners enrolled in the course see open
// quizzes (not archived, with questions) and their standing. Others who can
// see the course get ErrNotEnrolled, and a quiz that is not open is
// ErrNotFound to them. Open attempts past their deadline are closed first.
func (s *Service) Overview(ctx context.Context, actor courses.Actor, quizID int64) (*Overview, error) {
	// The quiz and the actor's attempts in one statement, then the course:
	// the attempts are the learner's standing if the course says they
	// are one.
	quiz, attempts, err := NewStore(s.db).QuizWithAttempts(ctx, quizID, actor.UserID)
	if err != nil {
		return nil, err
	}
	acc, err := s.courses.Access(ctx, actor, quiz.CourseID)
	if err != nil {
		return nil, fmt.Errorf("assessment: quiz %d: %w", quizID, err)
	}
	ov := &Overview{Quiz: quiz, CanEdit: acc.CanEdit(), Access: acc}
	learner := takeable(quiz, acc) == nil
	if !ov.CanEdit && !learner {
		return nil, fmt.Errorf("assessment: quiz %d: %w", quizID, takeable(quiz, acc))
	}
	if learner {
		if s.anyExpired(attempts) {
			if err := s.closeExpired(ctx, quizID, actor.UserID); err != nil {
				return nil, err
			}
			if quiz, attempts, err = NewStore(s.db).QuizWithAttempts(ctx, quizID, actor.UserID); err != nil {
				return nil, err
			}
			ov.Quiz = quiz
		}
		ov.Standing = standing(quiz, attempts)
	}
	return ov, nil
}

// anyExpired reports whether one of the attempts is open past its
// deadline and grace: closeExpired has work to do.
func (s *Service) anyExpired(attempts []Attempt) bool {
	cutoff := s.now().Add(-s.grace)
	for _, a := range attempts {
		if !a.Submitted() && a.Deadline != nil && a.Deadline.Before(cutoff) {
			return true
		}
	}
	return false
}

// CourseQuizzes returns the quizzes of a course as the holder of acc (from
// courses.Service.Access) may see them: every quiz that is not archived for
// those who may edit the course, the open ones for enrolled learners, with
// their standing, and none for anyone else.
func (s *Service) CourseQuizzes(ctx context.Context, acc *courses.Access) ([]Overview, error) {
	if !acc.CanEdit() && !acc.CanRead() {
		return nil, nil
	}
	var learner int64
	if acc.Enrolment != nil {
		learner = acc.Actor.UserID
	}
	quizzes, attempts, err := NewStore(s.db).CourseQuizzesWithAttempts(ctx, acc.Course.ID, learner)
	if err != nil {
		return nil, err
	}
	out := make([]Overview, 0, len(quizzes))
	for i := range quizzes {
		q := &quizzes[i]
		ov := Overview{Quiz: q, CanEdit: acc.CanEdit()}
		if takeable(q, acc) == nil {
			ov.Standing = standing(q, attempts[q.ID])
		} else if !ov.CanEdit {
			continue
		}
		out = append(out, ov)
	}
	return out, nil
}

// RequiredQuizzes is the courses.Requirement that makes passing required
// quizzes part of completing a course: for the enrolment row e, the
// required quizzes of its course and how many of them the learner has
// passed. Only open quizzes count: an archived quiz or one without
// questions cannot be taken, so it cannot be required. It is SQL that
// courses runs in the statement reading the enrolment (and in the
// completion transaction), so progress costs no round trip of its own.
func (s *Service) RequiredQuizzes() courses.Requirement {
	return courses.Requirement{Done: requiredQuizzesPassedSQL, Total: requiredQuizzesSQL}
}
