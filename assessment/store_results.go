package assessment

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// The queries of a quiz's results. Learners' names, emails and
// institutions come from the query accounts exports for others to join
// (accounts.PublicUsersWithInstitutions), so a page of results stays one
// statement without naming accounts' tables.

// resultsQuery selects the attempts of a quiz the filter keeps. Every
// variant starts from attempts_quiz_started_idx (quiz_id first).
func (s *Store) resultsQuery(quizID int64, f ResultsFilter) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("attempts AS a").
		Join("JOIN (?) AS u ON u.id = a.user_id", accounts.PublicUsersWithInstitutions(s.db)).
		Where("a.quiz_id = ?", quizID)
	if f.InstitutionID != 0 {
		q = q.Where("u.institution_id = ?", f.InstitutionID)
	}
	if f.Passed != nil {
		q = q.Where("a.submitted_at IS NOT NULL AND a.passed = ?", *f.Passed)
	}
	return q
}

// ResultRows returns the page of a quiz's attempts the filter keeps, newest
// first, with their learners (Limit 0: every attempt).
func (s *Store) ResultRows(ctx context.Context, quizID int64, f ResultsFilter) ([]ResultRow, error) {
	var rows []ResultRow
	q := s.resultsQuery(quizID, f).
		ColumnExpr("a.id AS attempt_id, a.user_id, a.number, a.started_at, a.submitted_at, a.timed_out").
		ColumnExpr("a.score, a.max_score, a.percent, a.passed").
		ColumnExpr("u.name AS learner, u.email, u.institution_id").
		ColumnExpr("u.institution_acronym AS institution, u.institution_name").
		OrderExpr("a.started_at DESC, a.id DESC")
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("results of quiz %d: %w", quizID, err)
	}
	return rows, nil
}

// CountResults counts the attempts of a quiz the filter keeps, over all pages.
func (s *Store) CountResults(ctx context.Context, quizID int64, f ResultsFilter) (int, error) {
	n, err := s.resultsQuery(quizID, f).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count results of quiz %d: %w", quizID, err)
	}
	return n, nil
}

// GradedAttempts returns the layout, answers and scores of the submitted
// attempts of a quiz the filter keeps, every page, for statistics.
func (s *Store) GradedAttempts(ctx context.Context, quizID int64, f ResultsFilter) ([]Attempt, error) {
	var graded []Attempt
	err := s.resultsQuery(quizID, f).ColumnExpr("a.layout, a.answers, a.scores").
		Where("a.submitted_at IS NOT NULL").Scan(ctx, &graded)
	if err != nil {
		return nil, fmt.Errorf("statistics of quiz %d: %w", quizID, err)
	}
	return graded, nil
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
