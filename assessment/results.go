package assessment

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"
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
	// After, when set, starts the page after this attempt (Results.Next
	// of the page before) and Offset is not applied: a deep page costs
	// what the first does, where an offset reads every row before it.
	After *ResultsCursor
}

// ResultsCursor is where a page of results ended, in their order (newest
// start first, then the higher id).
type ResultsCursor struct {
	StartedAt time.Time
	AttemptID int64
}

// cursorAfter is the cursor of the page that ends with r.
func cursorAfter(r ResultRow) *ResultsCursor {
	return &ResultsCursor{StartedAt: r.StartedAt, AttemptID: r.AttemptID}
}

// String writes the cursor for a URL: the start in microseconds since
// 1970 (PostgreSQL's precision), a dot, the attempt id.
func (c ResultsCursor) String() string {
	return strconv.FormatInt(c.StartedAt.UnixMicro(), 10) + "." + strconv.FormatInt(c.AttemptID, 10)
}

// ParseResultsCursor reads a cursor String wrote.
func ParseResultsCursor(s string) (*ResultsCursor, error) {
	micros, id, ok := strings.Cut(s, ".")
	t, err1 := strconv.ParseInt(micros, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return nil, ErrBadCursor
	}
	return &ResultsCursor{StartedAt: time.UnixMicro(t).UTC(), AttemptID: n}, nil
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
	// Next is the cursor of the next page (ResultsFilter.After); nil on
	// the last one or without a Limit.
	Next *ResultsCursor
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
	page := f
	if f.Limit > 0 {
		page.Limit++ // one more tells whether a next page exists
	}
	if res.Rows, err = store.ResultRows(ctx, quizID, page); err != nil {
		return nil, err
	}
	if f.Limit > 0 && len(res.Rows) > f.Limit {
		res.Rows = res.Rows[:f.Limit]
		res.Next = cursorAfter(res.Rows[f.Limit-1])
	}
	if res.Total, err = store.CountResults(ctx, quizID, f); err != nil {
		return nil, err
	}
	if res.Questions, err = s.questionStats(ctx, quizID, f); err != nil {
		return nil, err
	}
	return res, nil
}

// ResultsExport is every attempt a filter keeps, checked and ready to be
// walked by Each.
type ResultsExport struct {
	Quiz *Quiz
	s    *Service
	f    ResultsFilter
}

// exportChunk is how many attempts an export reads per statement (a
// variable so that a test can walk chunks of a few).
var exportChunk = 1000

// ExportResults checks that actor may read the quiz's results, as Results
// does, and closes the attempts past their deadline. The check comes first
// so that a refusal is an answer of its own, not a broken download.
func (s *Service) ExportResults(ctx context.Context, actor courses.Actor, quizID int64, f ResultsFilter) (*ResultsExport, error) {
	quiz, err := s.editable(ctx, actor, quizID)
	if err != nil {
		return nil, err
	}
	if err := s.closeExpired(ctx, quizID, 0); err != nil {
		return nil, err
	}
	f.Offset = 0 // Each reads from the start, by cursor, its own chunks
	return &ResultsExport{Quiz: quiz, s: s, f: f}, nil
}

// Each calls fn with every attempt of the export in the results' order,
// reading exportChunk attempts per statement from where the last ended,
// so memory stays flat whatever the number of attempts.
func (x *ResultsExport) Each(ctx context.Context, fn func(*ResultRow) error) error {
	f := x.f
	f.Limit = exportChunk
	store := NewStore(x.s.db)
	for {
		rows, err := store.ResultRows(ctx, x.Quiz.ID, f)
		if err != nil {
			return err
		}
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		if len(rows) < exportChunk {
			return nil
		}
		f.After = cursorAfter(rows[len(rows)-1])
	}
}

// WriteCSV writes the export to w as CSV (NewResultsCSV) while reading it.
func (x *ResultsExport) WriteCSV(ctx context.Context, w io.Writer, format CSVFormat) error {
	out, err := NewResultsCSV(w, format)
	if err != nil {
		return err
	}
	if err := x.Each(ctx, out.Write); err != nil {
		return err
	}
	return out.Close()
}

// questionStats returns the statistics of every question the quiz's
// submitted attempts drew, pool order first, then archived questions.
// PostgreSQL counts them (Store.QuestionStats), so a view costs the same
// memory at 50 attempts as at 50,000.
func (s *Service) questionStats(ctx context.Context, quizID int64, f ResultsFilter) ([]QuestionStats, error) {
	rows, err := NewStore(s.db).QuestionStats(ctx, quizID, f)
	if err != nil {
		return nil, err
	}
	out := make([]QuestionStats, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		st := QuestionStats{Question: r.question(), Archived: r.ArchivedAt != nil,
			Presented: r.Presented, Answered: r.Answered, Correct: r.Correct}
		if st.Archived && st.Presented == 0 {
			continue // removed before anyone drew it: nothing to say
		}
		if st.Question.Kind.hasOptions() {
			st.OptionCounts = make([]int, len(st.Question.Options))
			for k, n := range r.OptionCounts {
				if k >= 0 && k < len(st.OptionCounts) {
					st.OptionCounts[k] = n
				}
			}
		}
		if st.Presented > 0 && st.Question.Points > 0 {
			st.Facility = math.Min(1, math.Round(r.Earned/float64(st.Presented*st.Question.Points)*1000)/1000)
		}
		out = append(out, st)
	}
	return out, nil
}
