package app

import (
	"time"

	"github.com/aula-platform/aula/assessment"
)

// quizJSON is the API's quiz: the contract's fields and a few more. The
// questions, correct answers included, are there for editors only.
type quizJSON struct {
	ID               int64                 `json:"id"`
	CourseID         int64                 `json:"course_id"`
	ModuleID         *int64                `json:"module_id"`
	Title            string                `json:"title"`
	Instructions     string                `json:"instructions"`
	Required         bool                  `json:"required"`
	PassPercent      int                   `json:"pass_percent"`
	MaxAttempts      int                   `json:"max_attempts"`
	TimeLimitSeconds int                   `json:"time_limit_seconds"`
	Shuffle          bool                  `json:"shuffle"`
	DrawCount        int                   `json:"draw_count"`
	Review           assessment.Review     `json:"review"`
	QuestionCount    int                   `json:"question_count"`
	Archived         bool                  `json:"archived"`
	CreatedAt        time.Time             `json:"created_at"`
	UpdatedAt        time.Time             `json:"updated_at"`
	Questions        []assessment.Question `json:"questions,omitempty"`

	// The learner's own standing, for enrolled learners.
	Attempts     []attemptSummary `json:"attempts,omitempty"`
	AttemptsLeft *int             `json:"attempts_left,omitempty"` // null: no limit
	Passed       *bool            `json:"passed,omitempty"`
}

func newQuizJSON(q *assessment.Quiz, st *assessment.Standing) quizJSON {
	out := quizJSON{ID: q.ID, CourseID: q.CourseID, ModuleID: q.ModuleID, Title: q.Title, Instructions: q.Instructions,
		Required: q.Required, PassPercent: q.PassPercent, MaxAttempts: q.MaxAttempts, TimeLimitSeconds: q.TimeLimitSeconds,
		Shuffle: q.Shuffle, DrawCount: q.DrawCount, Review: q.Review, QuestionCount: q.QuestionCount,
		Archived: q.ArchivedAt != nil, CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC(), Questions: q.Questions}
	if st != nil {
		out.Attempts = make([]attemptSummary, len(st.Attempts))
		for i := range st.Attempts {
			out.Attempts[i] = newAttemptSummary(&st.Attempts[i])
		}
		if st.AttemptsLeft >= 0 {
			left := st.AttemptsLeft
			out.AttemptsLeft = &left
		}
		passed := st.Passed()
		out.Passed = &passed
	}
	return out
}

// attemptStatus names where an attempt is: "in_progress", "submitted" or
// "timed_out" (closed by its deadline).
func attemptStatus(a *assessment.Attempt) string {
	switch {
	case !a.Submitted():
		return "in_progress"
	case a.TimedOut:
		return "timed_out"
	}
	return "submitted"
}

// attemptSummary is an attempt in a list.
type attemptSummary struct {
	ID          int64              `json:"id"`
	QuizID      int64              `json:"quiz_id"`
	Number      int                `json:"number"`
	Status      string             `json:"status"`
	StartedAt   time.Time          `json:"started_at"`
	Deadline    *time.Time         `json:"deadline"`
	SubmittedAt *time.Time         `json:"submitted_at"`
	Result      *assessment.Result `json:"result"` // null while in progress
}

func newAttemptSummary(a *assessment.Attempt) attemptSummary {
	out := attemptSummary{ID: a.ID, QuizID: a.QuizID, Number: a.Number, Status: attemptStatus(a),
		StartedAt: a.StartedAt.UTC(), Deadline: utcTime(a.Deadline), SubmittedAt: utcTime(a.SubmittedAt)}
	if a.Submitted() {
		r := a.Result()
		out.Result = &r
	}
	return out
}

// attemptJSON is the API's attempt: the questions in this attempt's order,
// options in its order with the index to send back, and never a correct
// answer unless the quiz's review rule allows it (Review).
type attemptJSON struct {
	attemptSummary
	// SecondsLeft until the deadline of an open attempt; null without a
	// time limit or once closed.
	SecondsLeft *int                        `json:"seconds_left"`
	LastSaveSeq int64                       `json:"last_save_seq"`
	Questions   []assessment.PublicQuestion `json:"questions"`
	// Answers are the answers saved so far, or those graded.
	Answers assessment.Answers `json:"answers"`
	Review  []reviewJSON       `json:"review,omitempty"`
}

// reviewJSON is one question of a reviewed attempt: the question with its
// correct answers, and what the learner's answer scored.
type reviewJSON struct {
	Question assessment.Question `json:"question"`
	Score    float64             `json:"score"`
	Correct  bool                `json:"correct"` // full points
}

func newAttemptJSON(d *assessment.AttemptDetail) attemptJSON {
	out := attemptJSON{attemptSummary: newAttemptSummary(d.Attempt), LastSaveSeq: d.Attempt.LastSaveSeq,
		Questions: d.Public(), Answers: d.Answers}
	if out.Answers == nil {
		out.Answers = assessment.Answers{}
	}
	if d.SecondsLeft >= 0 {
		left := d.SecondsLeft
		out.SecondsLeft = &left
	}
	if d.Review {
		out.Review = make([]reviewJSON, len(d.Questions))
		for i, p := range d.Questions {
			score := questionScore(d, p.Question)
			out.Review[i] = reviewJSON{Question: p.Question, Score: score, Correct: score >= float64(p.Question.Points)}
		}
	}
	return out
}

// questionScore is what the attempt's answer to q scored: as graded when
// it was submitted, or as it would grade now while open (editors only).
func questionScore(d *assessment.AttemptDetail, q assessment.Question) float64 {
	if d.Attempt.Submitted() {
		return d.Attempt.Scores[q.ID]
	}
	return assessment.Grade(q, d.Answers[q.ID])
}
