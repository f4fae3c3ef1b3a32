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
	switch {
	case f.After != nil:
		// The row comparison follows attempts_quiz_started_idx, so the
		// page starts where the index says, at any depth.
		q = q.Where("(a.started_at, a.id) < (?, ?)", f.After.StartedAt, f.After.AttemptID).Limit(f.Limit)
	case f.Limit > 0:
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

// questionStatsRow is one question of a quiz with its statistics over the
// submitted attempts a filter keeps (zeros when none drew it).
type questionStatsRow struct {
	questionRow `bun:",extend"`

	Presented int     `bun:"presented"`
	Answered  int     `bun:"answered"`
	Correct   int     `bun:"correct"`
	Earned    float64 `bun:"earned"`
	// OptionCounts maps an option's stored index to how many attempts chose it.
	OptionCounts map[int]int `bun:"option_counts,type:jsonb"`
}

// QuestionStats returns every question of a quiz, archived ones last, each
// with its statistics over the submitted attempts the filter keeps,
// counted in PostgreSQL: one statement whose memory does not grow with the
// attempts. An answer counts as in storedAnswers, judged against the
// question as it is now (it may have changed since): a single choice is an
// index of a present option; a multiple choice, distinct such indexes (none
// is an answer too); true_false a boolean; short_text a string of at most
// MaxTextAnswerLen characters; numeric a number (finite: checked when
// saved). Anything else, or null, is unanswered. A question is correct
// when its score reaches the question's points now.
func (s *Store) QuestionStats(ctx context.Context, quizID int64, f ResultsFilter) ([]questionStatsRow, error) {
	attempts := s.statsAttempts(quizID, f)
	var rows []questionStatsRow
	err := s.db.NewRaw(`
	WITH slots AS MATERIALIZED (
		SELECT qn.id AS question_id, qn.points, sl.score, CASE
			WHEN sl.answer IS NULL OR jsonb_typeof(sl.answer) = 'null' THEN NULL
			WHEN qn.kind = 'single' THEN CASE WHEN `+validIndex("sl.answer", "qn.options")+`
				THEN jsonb_build_array(sl.answer) END
			WHEN qn.kind = 'multiple' THEN CASE WHEN jsonb_typeof(sl.answer) = 'array' AND (
				SELECT coalesce(bool_and(`+validIndex("e", "qn.options")+`), true) AND count(DISTINCT e) = count(*)
				FROM jsonb_array_elements(sl.answer) AS e) THEN sl.answer END
			WHEN qn.kind = 'true_false' AND jsonb_typeof(sl.answer) = 'boolean' THEN '[]'::jsonb
			WHEN qn.kind = 'short_text' AND jsonb_typeof(sl.answer) = 'string'
				AND char_length(sl.answer #>> '{}') <= ? THEN '[]'::jsonb
			WHEN qn.kind = 'numeric' AND jsonb_typeof(sl.answer) = 'number' THEN '[]'::jsonb
			END AS chosen -- the chosen option indexes of an answer that counts, NULL when unanswered
		FROM (?) AS a
		CROSS JOIN LATERAL (SELECT s.value ->> 'id' AS key FROM jsonb_array_elements(a.layout) AS s) AS k
		CROSS JOIN LATERAL (SELECT a.answers -> k.key AS answer,
			coalesce((a.scores ->> k.key)::float8, 0) AS score) AS sl
		JOIN questions AS qn ON qn.id = k.key::bigint AND qn.quiz_id = ?
	), per_question AS (
		SELECT question_id, count(*) AS presented, count(chosen) AS answered,
			count(*) FILTER (WHERE score >= points) AS correct, sum(score) AS earned
		FROM slots GROUP BY question_id
	), per_option AS (
		SELECT question_id, jsonb_object_agg(option, chosen) AS option_counts
		FROM (SELECT question_id, o.value::int AS option, count(*) AS chosen
			FROM slots CROSS JOIN LATERAL jsonb_array_elements_text(slots.chosen) AS o
			GROUP BY question_id, o.value::int) AS c
		GROUP BY question_id
	)
	SELECT qn.*, coalesce(pq.presented, 0) AS presented, coalesce(pq.answered, 0) AS answered,
		coalesce(pq.correct, 0) AS correct, coalesce(pq.earned, 0) AS earned, po.option_counts
	FROM questions AS qn
	LEFT JOIN per_question AS pq ON pq.question_id = qn.id
	LEFT JOIN per_option AS po ON po.question_id = qn.id
	WHERE qn.quiz_id = ?
	ORDER BY qn.archived_at IS NOT NULL, qn.position, qn.id`, MaxTextAnswerLen, attempts, quizID, quizID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("statistics of quiz %d: %w", quizID, err)
	}
	return rows, nil
}

// statsAttempts selects the layout, answers and scores of the submitted
// attempts the filter keeps. Without an institution filter it leaves the
// users out: every attempt has its user (the foreign key cascades), and
// the join would read a row of users per attempt for nothing.
func (s *Store) statsAttempts(quizID int64, f ResultsFilter) *bun.SelectQuery {
	q := s.resultsQuery(quizID, f)
	if f.InstitutionID == 0 {
		q = s.db.NewSelect().TableExpr("attempts AS a").Where("a.quiz_id = ?", quizID)
		if f.Passed != nil {
			q = q.Where("a.passed = ?", *f.Passed)
		}
	}
	return q.ColumnExpr("a.layout, a.answers, a.scores").Where("a.submitted_at IS NOT NULL")
}

// validIndex is SQL that is true when the jsonb value v is an option index
// of the jsonb array options as decodeIndex reads one: a plain
// non-negative integer below its length. A CASE, so the cast only runs on
// digits.
func validIndex(v, options string) string {
	return fmt.Sprintf(`CASE WHEN jsonb_typeof(%[1]s) = 'number' AND %[1]s::text ~ '^[0-9]{1,9}$'
		THEN (%[1]s::text)::int < jsonb_array_length(%[2]s) ELSE false END`, v, options)
}
