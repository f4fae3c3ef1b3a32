package assessment

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Service applies the rules of quizzes and attempts: who may author and
// take a quiz, how many attempts a learner has, deadlines, saving and
// submitting answers, results, and the part quizzes play in completing a
// course. Grading itself is the pure core (GradeAll); the Service stores
// what it decides.
type Service struct {
	db      *bun.DB
	courses *courses.Service
	now     func() time.Time
	grace   time.Duration
	// onTimedOut are told of attempts closed by their time limit (hooks.go).
	onTimedOut []TimedOutHook
	// tokens, tokenAttemptSQL and tokenStartSQL: SubmitForToken's and
	// StartForToken's (ReadTokensWith).
	tokens                         Tokens
	tokenAttemptSQL, tokenStartSQL string
}

// Options configure a Service.
type Options struct {
	// Now is the clock (time.Now when nil). Tests move it instead of sleeping.
	Now func() time.Time
	// Grace is how long after its deadline an attempt still accepts a save
	// or a submit, for answers sent in time that arrive late over a slow
	// link (DefaultGrace when 0).
	Grace time.Duration
}

// DefaultGrace is the default grace period after an attempt's deadline.
const DefaultGrace = 30 * time.Second

// NewService returns a Service on db. Quizzes belong to courses, whose
// service decides who may see, edit and take them.
func NewService(db *bun.DB, coursesSvc *courses.Service, opts Options) *Service {
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, courses: coursesSvc, now: now, grace: opts.Grace}
}

// Now returns the service's clock reading, for pages that show time left.
func (s *Service) Now() time.Time { return s.now() }

// Grace returns how long after its deadline an attempt accepts answers.
func (s *Service) Grace() time.Duration { return s.grace }

// quizAccess loads a quiz and what actor may do with its course. A quiz
// whose course the actor may not see is courses.ErrNotFound.
func (s *Service) quizAccess(ctx context.Context, actor courses.Actor, quizID int64) (*Quiz, *courses.Access, error) {
	q, err := NewStore(s.db).Quiz(ctx, quizID)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.courses.Access(ctx, actor, q.CourseID)
	if err != nil {
		return nil, nil, fmt.Errorf("quiz %d: %w", quizID, err)
	}
	return q, acc, nil
}

// editable returns the quiz if actor may edit it: the course's instructors
// and admins. Others who can see the course are told they may not
// (courses.ErrForbidden); learners never learn of archived quizzes.
func (s *Service) editable(ctx context.Context, actor courses.Actor, quizID int64) (*Quiz, error) {
	q, acc, err := s.quizAccess(ctx, actor, quizID)
	if err != nil {
		return nil, err
	}
	if !acc.CanEdit() {
		if q.ArchivedAt != nil {
			return nil, fmt.Errorf("quiz %d: %w", quizID, ErrNotFound)
		}
		return nil, fmt.Errorf("edit quiz %d: %w", quizID, courses.ErrForbidden)
	}
	return q, nil
}

// QuizCourse returns what actor may do with a course if they may add
// quizzes to it (its instructors and admins); others who can see the
// course get courses.ErrForbidden. Pages ask it before showing the form.
func (s *Service) QuizCourse(ctx context.Context, actor courses.Actor, courseID int64) (*courses.Access, error) {
	acc, err := s.courses.Access(ctx, actor, courseID)
	if err != nil {
		return nil, fmt.Errorf("assessment: course %d: %w", courseID, err)
	}
	if !acc.CanEdit() {
		return nil, fmt.Errorf("assessment: add quiz to course %d: %w", courseID, courses.ErrForbidden)
	}
	return acc, nil
}

// open reports whether learners may see and take quiz q: it is not
// archived and has at least one question. An empty quiz is still being
// written.
func open(q *Quiz) bool { return q.ArchivedAt == nil && q.QuestionCount > 0 }
