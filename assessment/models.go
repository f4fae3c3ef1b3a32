package assessment

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// Review says when learners may see the correct answers of their attempts.
type Review string

// The review rules. Until the rule allows it, an attempt shows its questions
// and, once submitted, only the overall result.
const (
	ReviewNever        Review = "never"
	ReviewAfterAttempt Review = "after_attempt" // once the attempt is submitted
	ReviewAfterPass    Review = "after_pass"    // once the learner has passed the quiz
)

// Reviews lists the review rules in the order forms offer them.
var Reviews = []Review{ReviewAfterAttempt, ReviewAfterPass, ReviewNever}

// Valid reports whether r is one of the review rules.
func (r Review) Valid() bool {
	return r == ReviewNever || r == ReviewAfterAttempt || r == ReviewAfterPass
}

// Quiz is a set of questions learners answer in attempts, attached to a
// module or, without ModuleID, to the course as a final exam.
type Quiz struct {
	bun.BaseModel `bun:"table:quizzes,alias:qz"`

	ID           int64  `bun:"id,pk,autoincrement" json:"id"`
	CourseID     int64  `bun:"course_id" json:"course_id"`
	ModuleID     *int64 `bun:"module_id" json:"module_id"`
	Title        string `bun:"title" json:"title"`
	Instructions string `bun:"instructions" json:"instructions"`
	// Required quizzes count toward course completion: the learner's best
	// attempt must pass.
	Required         bool   `bun:"required" json:"required"`
	PassPercent      int    `bun:"pass_percent" json:"pass_percent"`
	MaxAttempts      int    `bun:"max_attempts" json:"max_attempts"`
	TimeLimitSeconds int    `bun:"time_limit_seconds" json:"time_limit_seconds"`
	Shuffle          bool   `bun:"shuffle" json:"shuffle"` // questions and their options
	DrawCount        int    `bun:"draw_count" json:"draw_count"`
	Review           Review `bun:"review" json:"review"`
	// PoolVersion goes up with every change to the quiz (LockQuiz): an
	// attempt is drawn from the pool of one version (Store.InsertAttempt).
	PoolVersion int64 `bun:"pool_version" json:"-"`

	ArchivedAt *time.Time `bun:"archived_at" json:"archived_at,omitempty"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`

	// Questions is the pool, correct answers included: filled only for
	// those who may edit the quiz.
	Questions []Question `bun:"-" json:"questions,omitempty"`
	// QuestionCount is the number of live questions in the pool.
	QuestionCount int `bun:"question_count,scanonly" json:"question_count"`
}

// Settings returns the rules of q that ValidateQuiz checks.
func (q *Quiz) Settings() Settings {
	return Settings{PassPercent: q.PassPercent, MaxAttempts: q.MaxAttempts,
		TimeLimitSeconds: q.TimeLimitSeconds, DrawCount: q.DrawCount}
}

// TimeLimit returns the time an attempt has, 0 for no limit.
func (q *Quiz) TimeLimit() time.Duration {
	return time.Duration(q.TimeLimitSeconds) * time.Second
}

// questionRow is how a Question is stored.
type questionRow struct {
	bun.BaseModel `bun:"table:questions,alias:qn"`

	// The JSON names are the columns': AttemptWithQuiz reads an attempt's
	// questions as one jsonb array of rows.
	ID            int64           `bun:"id,pk,autoincrement" json:"id"`
	QuizID        int64           `bun:"quiz_id" json:"quiz_id"`
	Position      int             `bun:"position" json:"position"`
	Kind          Kind            `bun:"kind" json:"kind"`
	Prompt        string          `bun:"prompt" json:"prompt"`
	Points        int             `bun:"points" json:"points"`
	Options       []Option        `bun:"options,type:jsonb" json:"options"`
	PartialCredit bool            `bun:"partial_credit" json:"partial_credit"`
	Accepted      []string        `bun:"accepted,type:jsonb" json:"accepted"`
	Answer        json.RawMessage `bun:"answer,type:jsonb,nullzero" json:"answer"`
	Tolerance     float64         `bun:"tolerance" json:"tolerance"`
	ArchivedAt    *time.Time      `bun:"archived_at" json:"archived_at"`
	CreatedAt     time.Time       `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt     time.Time       `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`
}

func rowFromQuestion(quizID int64, position int, q Question) questionRow {
	r := questionRow{
		ID: q.ID, QuizID: quizID, Position: position, Kind: q.Kind, Prompt: q.Prompt, Points: q.Points,
		Options: q.Options, Accepted: q.Accepted, Tolerance: q.Tolerance,
		PartialCredit: q.Kind == KindMultiple && q.PartialCredit,
	}
	// Only the fields of the question's kind are kept, so a question changed
	// from numeric to single does not carry a stale answer around.
	if !q.Kind.hasOptions() {
		r.Options = nil
	}
	if q.Kind != KindShortText {
		r.Accepted = nil
	}
	if r.Options == nil {
		r.Options = []Option{}
	}
	if r.Accepted == nil {
		r.Accepted = []string{}
	}
	switch {
	case q.Kind == KindTrueFalse && q.AnswerBool != nil:
		r.Answer, _ = json.Marshal(*q.AnswerBool)
	case q.Kind == KindNumeric && q.AnswerNumber != nil:
		r.Answer, _ = json.Marshal(*q.AnswerNumber)
	}
	if q.Kind != KindNumeric {
		r.Tolerance = 0
	}
	return r
}

func (r *questionRow) question() Question {
	q := Question{ID: r.ID, Kind: r.Kind, Prompt: r.Prompt, Points: r.Points, Options: r.Options,
		PartialCredit: r.PartialCredit, Accepted: r.Accepted, Tolerance: r.Tolerance}
	if len(q.Options) == 0 {
		q.Options = nil
	}
	if len(q.Accepted) == 0 {
		q.Accepted = nil
	}
	var v any
	if len(r.Answer) > 0 && json.Unmarshal(r.Answer, &v) == nil {
		switch v := v.(type) {
		case bool:
			q.AnswerBool = &v
		case float64:
			q.AnswerNumber = &v
		}
	}
	return q
}

// Slot is one question of an attempt as the attempt presents it: which
// question, and in what order its options are shown.
type Slot struct {
	QuestionID  int64 `json:"id"`
	OptionOrder []int `json:"order,omitempty"`
}

// Attempt is one learner's go at a quiz. Its layout is fixed when it starts,
// so reloading shows the same questions in the same order.
type Attempt struct {
	bun.BaseModel `bun:"table:attempts,alias:a"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	QuizID      int64      `bun:"quiz_id" json:"quiz_id"`
	EnrolmentID int64      `bun:"enrolment_id" json:"enrolment_id"`
	UserID      int64      `bun:"user_id" json:"user_id"`
	Number      int        `bun:"number" json:"number"`
	StartedAt   time.Time  `bun:"started_at" json:"started_at"`
	Deadline    *time.Time `bun:"deadline" json:"deadline"`
	SubmittedAt *time.Time `bun:"submitted_at" json:"submitted_at"`
	// TimedOut: the deadline closed the attempt, with its saved answers graded.
	TimedOut bool    `bun:"timed_out" json:"timed_out"`
	Score    float64 `bun:"score" json:"score"`
	MaxScore int     `bun:"max_score" json:"max_score"`
	Percent  float64 `bun:"percent" json:"percent"`
	Passed   bool    `bun:"passed" json:"passed"`

	Layout      []Slot            `bun:"layout,type:jsonb" json:"-"`
	Answers     json.RawMessage   `bun:"answers,type:jsonb" json:"-"`
	Scores      map[int64]float64 `bun:"scores,type:jsonb" json:"-"`
	LastSaveSeq int64             `bun:"last_save_seq" json:"last_save_seq"`
}

// Submitted reports whether the attempt is closed and graded.
func (a *Attempt) Submitted() bool { return a.SubmittedAt != nil }

// Result returns the graded result of a submitted attempt.
func (a *Attempt) Result() Result {
	return Result{Score: a.Score, MaxScore: a.MaxScore, Percent: a.Percent, Passed: a.Passed}
}

// Duration returns how long the attempt took, or 0 while it is open.
func (a *Attempt) Duration() time.Duration {
	if a.SubmittedAt == nil {
		return 0
	}
	return a.SubmittedAt.Sub(a.StartedAt)
}

// QuestionIDs returns the ids of the attempt's questions in display order.
func (a *Attempt) QuestionIDs() []int64 {
	ids := make([]int64, len(a.Layout))
	for i, s := range a.Layout {
		ids[i] = s.QuestionID
	}
	return ids
}
