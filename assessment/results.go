package assessment

import (
	"context"
	"math"
	"time"

	"github.com/aula-platform/aula/courses"
)

// ResultsFilter narrows a quiz's results.
type ResultsFilter struct {
	InstitutionID int64 // 0: every institution
	// Passed, when set, keeps only submitted attempts that passed (true)
	// or failed (false).
	Passed *bool
	// Limit and Offset page the attempts (Limit 0: all of them, for
	// exports). Statistics always cover every attempt the filter keeps.
	Limit, Offset int
}

// ResultRow is one attempt in a quiz's results.
type ResultRow struct {
	AttemptID       int64      `bun:"attempt_id" json:"attempt_id"`
	UserID          int64      `bun:"user_id" json:"user_id"`
	Learner         string     `bun:"learner" json:"learner"`
	Email           string     `bun:"email" json:"email"`
	InstitutionID   *int64     `bun:"institution_id" json:"institution_id"`
	Institution     string     `bun:"institution" json:"institution"` // its acronym
	InstitutionName string     `bun:"institution_name" json:"institution_name"`
	Number          int        `bun:"number" json:"number"`
	StartedAt       time.Time  `bun:"started_at" json:"started_at"`
	SubmittedAt     *time.Time `bun:"submitted_at" json:"submitted_at"`
	TimedOut        bool       `bun:"timed_out" json:"timed_out"`
	Score           float64    `bun:"score" json:"score"`
	MaxScore        int        `bun:"max_score" json:"max_score"`
	Percent         float64    `bun:"percent" json:"percent"`
	Passed          bool       `bun:"passed" json:"passed"`
}

// Submitted reports whether the attempt is closed and graded.
func (r *ResultRow) Submitted() bool { return r.SubmittedAt != nil }

// Duration returns how long the attempt took, or 0 while it is open.
func (r *ResultRow) Duration() time.Duration {
	if r.SubmittedAt == nil {
		return 0
	}
	return r.SubmittedAt.Sub(r.StartedAt)
}

// QuestionStats are one question's statistics over a quiz's submitted attempts.
type QuestionStats struct {
	// Question is the question as it is now, correct answers included.
	Question Question
	// Archived: the question has left the pool but attempts drew it.
	Archived bool
	// Presented counts the attempts that drew the question; Answered those
	// that answered it; Correct those that got full points.
	Presented, Answered, Correct int
	// Facility is the share of the question's points the attempts got on
	// average, from 0 (nobody right) to 1 (everybody right): the classical
	// facility index. 0 when no attempt drew the question.
	Facility float64
	// OptionCounts counts, for single and multiple questions, how many
	// attempts chose each option, by the option's stored index.
	OptionCounts []int
}

// Results are a quiz's attempts and question statistics.
type Results struct {
	Quiz      *Quiz
	Rows      []ResultRow
	Total     int // attempts the filter keeps, over all pages
	Questions []QuestionStats
}

// Results returns a quiz's attempts, newest first, and its question
// statistics, to those who may edit the quiz. Open attempts past their
// deadline are closed first, so they count with their saved answers.
func (s *Service) Results(ctx context.Context, actor courses.Actor, quizID int64, f ResultsFilter) (*Results, error) {
	quiz, err := s.editable(ctx, actor, quizID)
	if err != nil {
		return nil, err
	}
	if err := s.closeExpired(ctx, quizID, 0); err != nil {
		return nil, err
	}
	res := &Results{Quiz: quiz}
	store := NewStore(s.db)
	if res.Rows, err = store.ResultRows(ctx, quizID, f); err != nil {
		return nil, err
	}
	if res.Total, err = store.CountResults(ctx, quizID, f); err != nil {
		return nil, err
	}
	if res.Questions, err = s.questionStats(ctx, quizID, f); err != nil {
		return nil, err
	}
	return res, nil
}

// questionStats computes the statistics of every question the quiz's
// submitted attempts drew, pool order first, then archived questions.
func (s *Service) questionStats(ctx context.Context, quizID int64, f ResultsFilter) ([]QuestionStats, error) {
	store := NewStore(s.db)
	graded, err := store.GradedAttempts(ctx, quizID, f)
	if err != nil {
		return nil, err
	}
	rows, err := store.everyQuestion(ctx, quizID)
	if err != nil {
		return nil, err
	}
	stats := make([]QuestionStats, 0, len(rows))
	index := make(map[int64]int, len(rows))
	all := make([]Question, len(rows))
	for i := range rows {
		q := rows[i].question()
		all[i] = q
		index[q.ID] = len(stats)
		st := QuestionStats{Question: q, Archived: rows[i].ArchivedAt != nil}
		if q.Kind.hasOptions() {
			st.OptionCounts = make([]int, len(q.Options))
		}
		stats = append(stats, st)
	}
	earned := make([]float64, len(stats))
	for _, a := range graded {
		answers := storedAnswers(a.Answers, all)
		for _, slot := range a.Layout {
			k, ok := index[slot.QuestionID]
			if !ok {
				continue
			}
			st := &stats[k]
			st.Presented++
			score := a.Scores[slot.QuestionID]
			earned[k] += score
			if score >= float64(st.Question.Points) {
				st.Correct++
			}
			ans, answered := answers[slot.QuestionID]
			if !answered {
				continue
			}
			st.Answered++
			switch ans.Kind {
			case KindSingle:
				if ans.Index >= 0 && ans.Index < len(st.OptionCounts) {
					st.OptionCounts[ans.Index]++
				}
			case KindMultiple:
				for _, i := range ans.Indexes {
					if i >= 0 && i < len(st.OptionCounts) {
						st.OptionCounts[i]++
					}
				}
			}
		}
	}
	out := stats[:0]
	for k := range stats {
		st := stats[k]
		if st.Archived && st.Presented == 0 {
			continue // removed before anyone drew it: nothing to say
		}
		if st.Presented > 0 && st.Question.Points > 0 {
			st.Facility = math.Min(1, math.Round(earned[k]/float64(st.Presented*st.Question.Points)*1000)/1000)
		}
		out = append(out, st)
	}
	return out, nil
}
