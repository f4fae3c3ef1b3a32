package assessment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
)

// quizAttemptRow is a quiz and one of a learner's attempts at it (none:
// Attempt.ID 0), as the page queries read them: a quiz and the learner's
// standing are one statement, not one for the quiz and one for attempts.
type quizAttemptRow struct {
	Quiz    `bun:",extend"`
	Attempt Attempt `bun:"embed:a_"`
}

// quizAttemptRows is the select of quizzes (alias qz) with a user's
// attempts; answers, layout and scores are not read.
// (user: the value, or a placeholder as bun.Safe).
func (s *Store) quizAttemptRows(rows *[]quizAttemptRow, user any) *bun.SelectQuery {
	if rows == nil {
		rows = new([]quizAttemptRow) // only the text is wanted
	}
	return s.db.NewSelect().Model(rows).ColumnExpr("qz.*").ColumnExpr(questionCount).
		ColumnExpr("?", postgres.Columns(s.db, (*Attempt)(nil), "a", "a_", "layout", "answers", "scores")).
		Join("LEFT JOIN attempts AS a ON a.quiz_id = qz.id AND a.user_id = ?", user).
		OrderExpr("qz.id, a.number")
}

// groupAttempts turns rows, ordered by quiz, into the quizzes and each
// one's attempts, first one first.
func groupAttempts(rows []quizAttemptRow) ([]Quiz, map[int64][]Attempt) {
	var quizzes []Quiz
	attempts := map[int64][]Attempt{}
	for _, r := range rows {
		if len(quizzes) == 0 || quizzes[len(quizzes)-1].ID != r.Quiz.ID {
			quizzes = append(quizzes, r.Quiz)
		}
		if r.Attempt.ID != 0 {
			attempts[r.Quiz.ID] = append(attempts[r.Quiz.ID], r.Attempt)
		}
	}
	return quizzes, attempts
}

// QuizWithAttempts returns the quiz with id, archived or not, and the
// user's attempts at it (userID 0: none), in one statement.
func (s *Store) QuizWithAttempts(ctx context.Context, id, userID int64) (*Quiz, []Attempt, error) {
	var rows []quizAttemptRow
	if err := s.quizAttemptRows(&rows, userID).Where("qz.id = ?", id).Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("quiz %d: %w", id, err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("quiz %d: %w", id, ErrNotFound)
	}
	quizzes, attempts := groupAttempts(rows)
	return &quizzes[0], attempts[id], nil
}

// CourseQuizzesWithAttempts returns the quizzes of a course that are not
// archived, oldest first, and the user's attempts at each (userID 0: none),
// in one statement.
//
// Every module page runs it: a prepared statement (postgres.Select).
func (s *Store) CourseQuizzesWithAttempts(ctx context.Context, courseID, userID int64) ([]Quiz, map[int64][]Attempt, error) {
	var rows []quizAttemptRow
	if err := postgres.Select(ctx, s.db, &rows, courseQuizzesSQL.SQL(s.db), courseID, userID); err != nil {
		return nil, nil, fmt.Errorf("quizzes of course %d: %w", courseID, err)
	}
	quizzes, attempts := groupAttempts(rows)
	return quizzes, attempts, nil
}

// courseQuizzesSQL is CourseQuizzesWithAttempts' statement: $1 the
// course, $2 the learner.
var courseQuizzesSQL = postgres.NewText(func(db bun.IDB) string {
	return NewStore(db).quizAttemptRows(nil, bun.Safe("$2")).Where("qz.course_id = $1 AND qz.archived_at IS NULL").String()
})

// attemptQuizRow is an attempt with its quiz and its questions, as
// AttemptWithQuiz reads them.
type attemptQuizRow struct {
	Attempt   `bun:",extend"`
	Quiz      Quiz          `bun:"embed:qz_"`
	Questions []questionRow `bun:"questions,scanonly,type:jsonb"`
}

// AttemptWithQuiz returns the attempt with id, its quiz and the questions
// its layout presents, by id (archived ones included, as the attempt drew
// them), in one statement. Every save and submit runs it: a prepared
// statement. The questions come as one JSON array, so the attempt's
// columns are read once, not once per question; json_agg, not jsonb_agg:
// the array is only decoded in Go, and building it as jsonb converted
// each row to binary jsonb first, 5 % of a quiz pair's backend
// instructions under callgrind.
func (s *Store) AttemptWithQuiz(ctx context.Context, id int64) (*Attempt, *Quiz, map[int64]Question, error) {
	row := new(attemptQuizRow)
	if err := postgres.SelectOne(ctx, s.db, attemptWithQuizSQL.SQL(s.db), []any{id}, row); err != nil {
		return nil, nil, nil, fmt.Errorf("attempt %d: %w", id, notFound(err))
	}
	byID := make(map[int64]Question, len(row.Questions))
	for i := range row.Questions {
		byID[row.Questions[i].ID] = row.Questions[i].question()
	}
	return &row.Attempt, &row.Quiz, byID, nil
}

// attemptWithQuizSQL is AttemptWithQuiz's statement: $1 the attempt.
var attemptWithQuizSQL = postgres.NewText(func(db bun.IDB) string {
	return db.NewSelect().Model((*attemptQuizRow)(nil)).ColumnExpr("a.*").
		ColumnExpr("?", postgres.Columns(db, (*Quiz)(nil), "qz", "qz_")).
		ColumnExpr(`(SELECT json_agg(qn) FROM questions AS qn WHERE qn.quiz_id = a.quiz_id
			AND qn.id IN (SELECT (s.value ->> 'id')::bigint FROM jsonb_array_elements(a.layout) AS s)) AS questions`).
		Join("JOIN quizzes AS qz ON qz.id = a.quiz_id").Where("a.id = $1").String()
})

// tokenAttemptRow is the token's user with the attempt, its quiz and its
// questions, as SubmitForToken reads them.
type tokenAttemptRow struct {
	Attempt   `bun:",extend"`
	Quiz      Quiz          `bun:"embed:qz_"`
	Questions []questionRow `bun:"questions,scanonly,type:jsonb"`
	Caller    accounts.User `bun:"embed:tu_"`
}

// tokenAttemptSQL is SubmitForToken's statement: $1 the token's hash, $2
// now, $3 the attempt. It is AttemptWithQuiz's with the token's user
// joined first: a token that finds nobody, or an attempt that does not
// exist, reads no row.
func (s *Store) tokenAttemptSQL(t Tokens) string {
	db := s.db
	return db.NewSelect().Model((*tokenAttemptRow)(nil)).
		ModelTableExpr("(?) AS tu", t.TokenUserQuery(db, "$1", "$2")).
		ColumnExpr("a.*").
		ColumnExpr("?", postgres.Columns(db, (*Quiz)(nil), "qz", "qz_")).
		ColumnExpr(`(SELECT json_agg(qn) FROM questions AS qn WHERE qn.quiz_id = a.quiz_id
			AND qn.id IN (SELECT (s.value ->> 'id')::bigint FROM jsonb_array_elements(a.layout) AS s)) AS questions`).
		ColumnExpr("?", postgres.Columns(db, (*accounts.User)(nil), "tu", "tu_", "password_hash")).
		Join("JOIN attempts AS a ON a.id = $3").
		Join("JOIN quizzes AS qz ON qz.id = a.quiz_id").String()
}

// AttemptWithQuizForToken is AttemptWithQuiz with the user an API token
// acts for, read first in the same statement (query, tokenAttemptSQL;
// hash and now are Tokens.TokenArgs'). A nil user, with a nil error, when
// it reads no row: nobody acts with the token, or there is no such
// attempt.
func (s *Store) AttemptWithQuizForToken(ctx context.Context, query string, hash []byte, now time.Time, id int64) (*accounts.User, *Attempt, *Quiz, map[int64]Question, error) {
	row := new(tokenAttemptRow)
	err := postgres.SelectOne(ctx, s.db, query, []any{hash, now, id}, row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("attempt %d with its token: %w", id, err)
	}
	byID := make(map[int64]Question, len(row.Questions))
	for i := range row.Questions {
		byID[row.Questions[i].ID] = row.Questions[i].question()
	}
	return &row.Caller, &row.Attempt, &row.Quiz, byID, nil
}

// startRow is a quiz, the learner's standing at it and its pool, as
// QuizToStart reads them.
type startRow struct {
	Quiz       `bun:",extend"`
	Taken      int  `bun:"taken"`
	LastNumber int  `bun:"last_number"`
	Open       bool `bun:"open"`
	// Pool is the live questions in order, one JSON array: a row per
	// question repeated the quiz's, the caller's and the access' columns
	// on each, and scanning them was half the server's CPU for a start.
	Pool []questionRow `bun:"pool,scanonly,type:jsonb"`
	// Caller is the token's user (QuizToStartForToken; not read otherwise).
	Caller accounts.User `bun:"embed:tu_"`
	// Access is the caller's standing in the quiz's course, by courses'
	// query (QuizToStartForToken; not read otherwise).
	Access courses.AccessRead `bun:"embed:ca_"`
}

// StartState is what starting an attempt needs of the learner's earlier
// ones: how many there are (counted only for a quiz that limits attempts:
// 0 otherwise), the last one's number and whether one is still open (not
// submitted).
type StartState struct {
	Taken, LastNumber int
	Open              bool
}

// QuizToStart returns the quiz with id, userID's standing at it and the
// pool a new attempt draws from, in one statement: the quiz, its
// pool_version and the pool are read in one snapshot. No earlier attempt
// is read: the last number comes from the end of the (quiz, learner,
// number) key and an open one from the open attempts' index, so a
// learner's thousandth attempt starts as fast as the first; attempts are
// counted only when the quiz limits them, so never past that limit.
// Every start runs it: a prepared statement.
func (s *Store) QuizToStart(ctx context.Context, id, userID int64) (*Quiz, StartState, []Question, error) {
	row := new(startRow)
	if err := postgres.SelectOne(ctx, s.db, quizToStartSQL.SQL(s.db), []any{id, userID}, row); err != nil {
		return nil, StartState{}, nil, fmt.Errorf("quiz %d to start: %w", id, notFound(err))
	}
	q, st, pool := startOf(row)
	return q, st, pool, nil
}

// QuizToStartForToken is QuizToStart for the user an API token acts for,
// read first in the same statement (query, quizToStartForTokenSQL; hash
// and now are Tokens.TokenArgs'), with their standing in the quiz's
// course for courses to decide on. A nil user, with a nil error, when it
// reads no row: nobody acts with the token, or there is no such quiz.
func (s *Store) QuizToStartForToken(ctx context.Context, query string, hash []byte, now time.Time, id int64) (*accounts.User, *startRead, error) {
	row := new(startRow)
	err := postgres.SelectOne(ctx, s.db, query, []any{hash, now, id}, row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("quiz %d to start with its token: %w", id, err)
	}
	q, st, pool := startOf(row)
	return &row.Caller, &startRead{quiz: q, st: st, pool: pool, access: &row.Access}, nil
}

// startOf is the quiz, the standing and the pool QuizToStart's row gives.
func startOf(r *startRow) (*Quiz, StartState, []Question) {
	var pool []Question
	if len(r.Pool) > 0 {
		pool = make([]Question, len(r.Pool))
		for i := range r.Pool {
			pool[i] = r.Pool[i].question()
		}
	}
	r.Quiz.QuestionCount = len(pool)
	return &r.Quiz, StartState{Taken: r.Taken, LastNumber: r.LastNumber, Open: r.Open}, pool
}

// quizToStartSQL is QuizToStart's statement: $1 the quiz, $2 the learner.
var quizToStartSQL = postgres.NewText(func(db bun.IDB) string {
	return quizToStartText("", "$2", "$1", "", "", "")
})

// quizToStartForTokenSQL is QuizToStartForToken's statement: $1 the
// token's hash, $2 now, $3 the quiz. It is QuizToStart's with the token's
// user as the learner, and their standing in the quiz's course
// (courses.AccessQuery) read with the quiz: a token that finds nobody
// reads no row.
func (s *Store) quizToStartForTokenSQL(t Tokens) string {
	from := "(" + t.TokenUserQuery(s.db, "$1", "$2").String() + ") AS tu CROSS JOIN "
	caller := string(postgres.Columns(s.db, (*accounts.User)(nil), "tu", "tu_", "password_hash")) + ", "
	// LATERAL sees only the left side of its own join: tu is joined, not
	// listed, for the access to read the learner.
	access := " LEFT JOIN LATERAL (" + courses.AccessQuery(s.db, "qz.course_id", "tu.id").String() + ") AS ca ON true"
	return quizToStartText(from, "tu.id", "$3", caller, access, ", ca.*")
}

// quizToStartText is QuizToStart's statement over learner and quiz (a
// placeholder or a column), with more tables to select from (from, in
// front of the quiz), columns (caller) in front, and a join read with the
// quiz (access, whose columns are accessColumns). One row: the quiz, the
// learner's standing, read once, and the pool as one JSON array in
// order. The last number comes from the end of the (quiz, learner,
// number) key and an open attempt from the open attempts' index, so a
// learner's thousandth attempt starts as fast as the first; attempts are
// counted only when the quiz limits them.
func quizToStartText(from, learner, quiz, caller, access, accessColumns string) string {
	return `SELECT ` + caller + `qz.*` + accessColumns + `,
		coalesce((SELECT a.number FROM attempts AS a WHERE a.quiz_id = qz.id AND a.user_id = ` + learner + `
			ORDER BY a.number DESC LIMIT 1), 0) AS last_number,
		EXISTS (SELECT 1 FROM attempts AS a WHERE a.quiz_id = qz.id AND a.user_id = ` + learner + ` AND a.submitted_at IS NULL) AS open,
		CASE WHEN qz.max_attempts > 0 THEN (SELECT count(*) FROM attempts AS a
			WHERE a.quiz_id = qz.id AND a.user_id = ` + learner + `) ELSE 0 END AS taken,
		(SELECT json_agg(qn ORDER BY qn.position, qn.id) FROM questions AS qn
			WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL) AS pool
	FROM ` + from + `quizzes AS qz` + access + ` WHERE qz.id = ` + quiz
}
