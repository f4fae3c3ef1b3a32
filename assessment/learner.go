package assessment

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/uptrace/bun"

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
	return overviews(acc, quizzes, attempts), nil
}

// ModuleQuizzesSQL is what courses reads with a module for its page
// (courses.Service.AttachToModules, wired once): the live quizzes attached
// to module "rm" of course "c", oldest first, each with its live question
// count and the attempts of enrolment "e"'s learner (none without one), as
// jsonb. ModuleQuizzes turns it into the page's list, so a module page
// needs no statement of its own for its quizzes. The attempts leave out
// their layout, answers and scores, as the page queries do.
const ModuleQuizzesSQL bun.Safe = `SELECT jsonb_agg(to_jsonb(qz) || jsonb_build_object(
		'question_count', (SELECT count(*) FROM questions AS qn WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL),
		'attempts', (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'quiz_id', a.quiz_id, 'enrolment_id', a.enrolment_id,
			'user_id', a.user_id, 'number', a.number, 'started_at', a.started_at, 'deadline', a.deadline,
			'submitted_at', a.submitted_at, 'timed_out', a.timed_out, 'score', a.score, 'max_score', a.max_score,
			'percent', a.percent, 'passed', a.passed, 'last_save_seq', a.last_save_seq) ORDER BY a.number)
			FROM attempts AS a WHERE a.quiz_id = qz.id AND a.user_id = e.user_id)) ORDER BY qz.id)
	FROM quizzes AS qz WHERE qz.course_id = c.id AND qz.module_id = rm.id AND qz.archived_at IS NULL`

// ModuleHasQuizzesSQL is true when ModuleQuizzesSQL would read a quiz:
// module "rm" of course "c" has a live one (courses.Service.AttachToModules
// asks it of a module not known to have any, which is one index scan where
// ModuleQuizzesSQL's plan is eight nodes).
const ModuleHasQuizzesSQL bun.Safe = `EXISTS (SELECT 1 FROM quizzes AS qz
	WHERE qz.course_id = c.id AND qz.module_id = rm.id AND qz.archived_at IS NULL)`

// moduleQuiz is one quiz of ModuleQuizzesSQL.
type moduleQuiz struct {
	Quiz
	Attempts []Attempt `json:"attempts"`
}

// ModuleQuizzes is CourseQuizzes for the quizzes attached to one module,
// from what ModuleQuizzesSQL read with it (courses.Reading.Attachments).
func (s *Service) ModuleQuizzes(acc *courses.Access, read json.RawMessage) ([]Overview, error) {
	if !acc.CanEdit() && !acc.CanRead() {
		return nil, nil
	}
	var list []moduleQuiz
	if len(read) > 0 {
		if err := json.Unmarshal(read, &list); err != nil {
			return nil, fmt.Errorf("assessment: quizzes of a module of course %d: %w", acc.Course.ID, err)
		}
	}
	quizzes := make([]Quiz, len(list))
	attempts := make(map[int64][]Attempt, len(list))
	for i := range list {
		quizzes[i] = list[i].Quiz
		if len(list[i].Attempts) > 0 {
			attempts[list[i].ID] = list[i].Attempts
		}
	}
	return overviews(acc, quizzes, attempts), nil
}

// overviews are the quizzes as the holder of acc sees them (CourseQuizzes).
func overviews(acc *courses.Access, quizzes []Quiz, attempts map[int64][]Attempt) []Overview {
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
	return out
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
