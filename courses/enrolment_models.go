package courses

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// EnrolmentStatus is where a learner is in a course.
type EnrolmentStatus string

// Enrolment states.
const (
	EnrolmentActive    EnrolmentStatus = "active"
	EnrolmentCompleted EnrolmentStatus = "completed"
	EnrolmentWithdrawn EnrolmentStatus = "withdrawn"
)

// Enrolment is a learner taking a course.
type Enrolment struct {
	bun.BaseModel `bun:"table:enrolments,alias:e"`

	ID          int64           `bun:"id,pk,autoincrement" json:"id"`
	CourseID    int64           `bun:"course_id" json:"course_id"`
	UserID      int64           `bun:"user_id" json:"user_id"`
	Status      EnrolmentStatus `bun:"status" json:"status"`
	EnrolledBy  *int64          `bun:"enrolled_by" json:"-"`
	EnrolledAt  time.Time       `bun:"enrolled_at,nullzero,default:current_timestamp" json:"enrolled_at"`
	CompletedAt *time.Time      `bun:"completed_at" json:"completed_at"`
	WithdrawnAt *time.Time      `bun:"withdrawn_at" json:"withdrawn_at,omitempty"`

	// ProgressPercent is computed, not stored: done / required items.
	ProgressPercent int `bun:"-" json:"progress_percent"`
	// ItemsDone and ItemsRequired are what ProgressPercent is computed
	// from, counted in SQL in the statement that reads the enrolment
	// (progressColumns), so a page or a roster of any length costs no
	// query per enrolment.
	ItemsDone     int `bun:"items_done,scanonly" json:"-"`
	ItemsRequired int `bun:"items_required,scanonly" json:"-"`
	// ModulesCompleted and LastModuleAt are kept by the database (triggers
	// of migration 20261202130100): the course's modules completed,
	// archived ones included, and the latest module completion. Read only
	// where a statement selects every column (e.*, RETURNING *).
	ModulesCompleted int        `bun:"modules_completed,scanonly" json:"-"`
	LastModuleAt     *time.Time `bun:"last_module_at,scanonly" json:"-"`
}

// ModuleCompletion records that a learner finished a module.
type ModuleCompletion struct {
	bun.BaseModel `bun:"table:module_completions,alias:mc"`

	EnrolmentID int64     `bun:"enrolment_id,pk"`
	ModuleID    int64     `bun:"module_id,pk"`
	CompletedAt time.Time `bun:"completed_at,nullzero,default:current_timestamp"`
}

// Requirement counts, for one enrolment, how many items of a kind the
// learner must finish and how many are finished. Modules are counted by
// this package; other packages add theirs (assessment: required quizzes
// passed) when the application is wired, without courses importing them.
//
// A Requirement is SQL the other package exports, not a function it runs:
// Done and Total are scalar SQL expressions (subqueries) over the
// enrolment row aliased e (they may use e.id and e.course_id). courses
// puts them in the statement that reads the enrolment, so progress costs
// no round trip of its own, for one enrolment or a page of a roster; the
// completion check runs them inside its transaction.
type Requirement struct {
	Done, Total string
}

// CompletionHook runs inside the transaction that marks an enrolment
// completed, exactly once per enrolment (certificates: issue one). An error
// rolls the completion back.
type CompletionHook func(ctx context.Context, db bun.IDB, e *Enrolment) error
