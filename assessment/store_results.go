package assessment

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/postgres"
)

// The queries of a quiz's results. Learners' names, emails and
// institutions come from the query accounts exports for others to join
// (accounts.PublicUsersWithInstitutions), so a page of results stays one
// statement without naming accounts' tables.

// resultsQuery selects the attempts of a quiz the filter keeps. Every
// variant starts from attempts_quiz_started_idx (quiz_id first). It joins
// the learners (as u) when learners is set or the institution filter needs
// them: every attempt has its user (the foreign key cascades), so a query
// that reads no learner's column, as a count, need not join them.
func (s *Store) resultsQuery(quizID int64, f ResultsFilter, learners bool) *bun.SelectQuery {
	q := s.db.NewSelect().TableExpr("attempts AS a").Where("a.quiz_id = ?", quizID)
	if learners || f.InstitutionID != 0 {
		q = q.Join("JOIN (?) AS u ON u.id = a.user_id", accounts.PublicUsersWithInstitutions(s.db))
	}
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
	q := s.resultsQuery(quizID, f, true).
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
	var n int
	var err error
	if f.InstitutionID == 0 {
		// The counts triggers keep in step with attempts (migration
		// 20261202030000_list_counts), by outcome: at most 16 rows, where
		// counting a quiz's 100,000 attempts read them all.
		// Prepared (postgres.SelectOne): one text for every quiz and
		// outcome filter ($2 NULL: every attempt).
		err = postgres.SelectOne(ctx, s.db, keptResultsCount, []any{quizID, f.Passed}, &n)
	} else {
		// An institution's learners are its learners now, which counts
		// kept at each write could not follow; they are a few hundred,
		// read from users_institution_id_idx.
		n, err = s.resultsQuery(quizID, f, false).Count(ctx)
	}
	if err != nil {
		return 0, fmt.Errorf("count results of quiz %d: %w", quizID, err)
	}
	return n, nil
}

// keptResultsCount counts a quiz's ($1) attempts from the counts triggers
// keep, every one or ($2) those that passed or failed.
const keptResultsCount = `SELECT coalesce(sum(CASE WHEN $2::boolean IS NULL THEN c.open + c.passed + c.failed
	WHEN $2 THEN c.passed ELSE c.failed END), 0) FROM quiz_attempt_counts AS c WHERE c.quiz_id = $1`

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
// counted in PostgreSQL from answerCounts: one statement whose memory does
// not grow with the attempts. An answer counts as in storedAnswers, judged against the
// question as it is now (it may have changed since): a single choice is an
// index of a present option; a multiple choice, distinct such indexes (none
// is an answer too); true_false a boolean; short_text a string of at most
// MaxTextAnswerLen characters (assessment_answer_key in the migrations
// says so too); numeric a number (finite: checked when
// saved). Anything else, or null, is unanswered. A question is correct
// when its score reaches the question's points now.
func (s *Store) QuestionStats(ctx context.Context, quizID int64, f ResultsFilter) ([]questionStatsRow, error) {
	var rows []questionStatsRow
	var err error
	if f.InstitutionID == 0 {
		// From the kept counts: one text for every quiz and outcome
		// filter, prepared (postgres.Select), as its planning cost as much
		// as its run (1.5 ms of 3.1 ms at scale).
		err = postgres.Select(ctx, s.db, &rows, keptQuestionStats, quizID, f.Passed)
	} else {
		err = s.db.NewRaw(fmt.Sprintf(questionStatsSQL, "?", "?"), s.answerCounts(quizID, f), quizID, quizID).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, fmt.Errorf("statistics of quiz %d: %w", quizID, err)
	}
	return rows, nil
}

// questionStatsSQL is QuestionStats' statement over the answer counts
// %[1]s (quiz_id, answer, score, n) of the quiz %[2]s.
var questionStatsSQL = `
	WITH answers AS MATERIALIZED (%[1]s), judged AS (
		SELECT qn.id AS question_id, ans.n, ans.score, ans.score >= qn.points AS correct, CASE
			WHEN ans.answer IS NULL OR jsonb_typeof(ans.answer) = 'null' THEN NULL
			WHEN qn.kind = 'single' THEN CASE WHEN ` + validIndex("ans.answer", "qn.options") + `
				THEN jsonb_build_array(ans.answer) END
			WHEN qn.kind = 'multiple' THEN CASE WHEN jsonb_typeof(ans.answer) = 'array' AND (
				SELECT coalesce(bool_and(` + validIndex("e", "qn.options") + `), true) AND count(DISTINCT e) = count(*)
				FROM jsonb_array_elements(ans.answer) AS e) THEN ans.answer END
			WHEN qn.kind = 'true_false' AND jsonb_typeof(ans.answer) = 'boolean' THEN '[]'::jsonb
			WHEN qn.kind = 'short_text' AND ans.answer = '""' THEN '[]'::jsonb -- a string that fits
			WHEN qn.kind = 'numeric' AND jsonb_typeof(ans.answer) = 'number' THEN '[]'::jsonb
			END AS chosen -- the chosen option indexes of an answer that counts, NULL when unanswered
		FROM answers AS ans JOIN questions AS qn ON qn.id = ans.question_id AND qn.quiz_id = %[2]s
	), per_question AS (
		SELECT question_id, sum(n) AS presented, coalesce(sum(n) FILTER (WHERE chosen IS NOT NULL), 0) AS answered,
			coalesce(sum(n) FILTER (WHERE correct), 0) AS correct, sum(n * score) AS earned
		FROM judged GROUP BY question_id
	), per_option AS (
		SELECT question_id, jsonb_object_agg(option, chosen) AS option_counts
		FROM (SELECT question_id, o.value::int AS option, sum(n) AS chosen
			FROM judged CROSS JOIN LATERAL jsonb_array_elements_text(judged.chosen) AS o
			GROUP BY question_id, o.value::int) AS c
		GROUP BY question_id
	)
	SELECT qn.*, coalesce(pq.presented, 0) AS presented, coalesce(pq.answered, 0) AS answered,
		coalesce(pq.correct, 0) AS correct, coalesce(pq.earned, 0) AS earned, po.option_counts
	FROM questions AS qn
	LEFT JOIN per_question AS pq ON pq.question_id = qn.id
	LEFT JOIN per_option AS po ON po.question_id = qn.id
	WHERE qn.quiz_id = %[2]s
	ORDER BY qn.archived_at IS NOT NULL, qn.position, qn.id`

// keptQuestionStats is questionStatsSQL over quiz_answer_counts, which
// triggers keep: $1 the quiz, $2 passed or failed attempts only (NULL:
// every submitted one).
var keptQuestionStats = fmt.Sprintf(questionStatsSQL, `SELECT c.question_id, c.answer, c.score, sum(c.n) AS n
		FROM quiz_answer_counts AS c WHERE c.quiz_id = $1 AND ($2::boolean IS NULL OR c.passed = $2) GROUP BY 1, 2, 3`, "$1")

// answerCounts selects how many of the submitted attempts the filter
// keeps gave each answer (assessment_answer_key) with each score, by
// question. Without an institution filter they are read from
// quiz_answer_counts, which triggers keep in step with attempts: a few
// rows per question, whatever the number of attempts. An institution's
// attempts are counted from the attempts themselves, grouped in parallel
// workers where PostgreSQL has them: the institution is the learner's
// now, which counts kept at submit could not follow.
func (s *Store) answerCounts(quizID int64, f ResultsFilter) *bun.SelectQuery {
	if f.InstitutionID == 0 {
		q := s.db.NewSelect().TableExpr("quiz_answer_counts AS c").
			ColumnExpr("c.question_id, c.answer, c.score, sum(c.n) AS n").
			Where("c.quiz_id = ?", quizID).GroupExpr("1, 2, 3")
		if f.Passed != nil {
			q = q.Where("c.passed = ?", *f.Passed)
		}
		return q
	}
	attempts := s.resultsQuery(quizID, f, true).ColumnExpr("a.layout, a.answers, a.scores").Where("a.submitted_at IS NOT NULL")
	return s.db.NewSelect().TableExpr("(?) AS a", attempts).
		Join("CROSS JOIN LATERAL assessment_slots(a.layout, a.answers, a.scores) AS k").
		ColumnExpr("k.question_id, k.answer, k.score, count(*) AS n").GroupExpr("1, 2, 3")
}

// validIndex is SQL that is true when the jsonb value v is an option index
// of the jsonb array options as decodeIndex reads one: a plain
// non-negative integer below its length. A CASE, so the cast only runs on
// digits.
func validIndex(v, options string) string {
	return fmt.Sprintf(`CASE WHEN jsonb_typeof(%[1]s) = 'number' AND %[1]s::text ~ '^[0-9]{1,9}$'
		THEN (%[1]s::text)::int < jsonb_array_length(%[2]s) ELSE false END`, v, options)
}
