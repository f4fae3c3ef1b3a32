package assessment

import (
	"context"
	"fmt"
	"math"
)

// SetExportChunk makes ResultsExport.Each read n attempts per statement
// until the test ends.
func SetExportChunk(t interface{ Cleanup(func()) }, n int) {
	old := exportChunk
	exportChunk = n
	t.Cleanup(func() { exportChunk = old })
}

// DecodedQuestionStats is how the statistics were computed before
// PostgreSQL counted them: every submitted attempt loaded and its answers
// decoded in Go. TestQuestionStatsMatchDecoded holds Store.QuestionStats to
// it, answer for answer.
func (s *Service) DecodedQuestionStats(ctx context.Context, quizID int64, f ResultsFilter) ([]QuestionStats, error) {
	store := NewStore(s.db)
	var graded []Attempt
	if err := store.resultsQuery(quizID, f, true).ColumnExpr("a.layout, a.answers, a.scores").
		Where("a.submitted_at IS NOT NULL").Scan(ctx, &graded); err != nil {
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
			continue
		}
		if st.Presented > 0 && st.Question.Points > 0 {
			st.Facility = math.Min(1, math.Round(earned[k]/float64(st.Presented*st.Question.Points)*1000)/1000)
		}
		out = append(out, st)
	}
	return out, nil
}

// everyQuestion returns every question of a quiz, archived ones last.
func (s *Store) everyQuestion(ctx context.Context, quizID int64) ([]questionRow, error) {
	var rows []questionRow
	err := s.db.NewSelect().Model(&rows).Where("qn.quiz_id = ?", quizID).
		OrderExpr("qn.archived_at IS NOT NULL, qn.position, qn.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("questions of quiz %d: %w", quizID, err)
	}
	return rows, nil
}
