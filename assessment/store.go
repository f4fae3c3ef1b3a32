package assessment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/aula-platform/aula/postgres"
)

// Store runs the queries of quizzes, questions and attempts on a database or
// inside a transaction. It checks no permission: the Service does.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db (a *bun.DB or a bun.Tx).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// questionCount is the select expression filling Quiz.QuestionCount.
const questionCount = "(SELECT count(*) FROM questions AS qn WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL) AS question_count"

// Quiz returns the quiz with id, archived or not.
func (s *Store) Quiz(ctx context.Context, id int64) (*Quiz, error) {
	q := new(Quiz)
	err := s.db.NewSelect().Model(q).ColumnExpr("qz.*").ColumnExpr(questionCount).Where("qz.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("quiz %d: %w", id, notFound(err))
	}
	return q, nil
}

// LockQuiz returns the quiz with id, locked until the end of the
// transaction s runs in, so changes to one quiz's pool happen one at a
// time, and moves its pool version on: an attempt drawn from the pool as
// it was before is not inserted (InsertAttempt), so a question removed
// here cannot miss an attempt that drew it.
func (s *Store) LockQuiz(ctx context.Context, id int64) (*Quiz, error) {
	q := new(Quiz)
	_, err := s.db.NewUpdate().Model(q).Set("pool_version = qz.pool_version + 1").Where("qz.id = ?", id).
		Returning("*").Exec(ctx)
	if err == nil && q.ID == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return nil, fmt.Errorf("lock quiz %d: %w", id, notFound(err))
	}
	return q, nil
}

// ShareLockQuiz returns the quiz with id, share-locked until the end of the
// transaction s runs in: its pool stays still while an attempt draws from
// it, so removing a question cannot miss the attempt that drew it.
func (s *Store) ShareLockQuiz(ctx context.Context, id int64) (*Quiz, error) {
	q := new(Quiz)
	err := s.db.NewSelect().Model(q).ColumnExpr("qz.*").ColumnExpr(questionCount).
		Where("qz.id = ?", id).For("SHARE OF qz").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("share-lock quiz %d: %w", id, notFound(err))
	}
	return q, nil
}

// HasQuizzes reports whether a course has any quiz, archived or not.
func (s *Store) HasQuizzes(ctx context.Context, courseID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Quiz)(nil)).Where("course_id = ?", courseID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("has course %d quizzes: %w", courseID, err)
	}
	return ok, nil
}

// InsertQuiz stores a new quiz and fills its id and times.
func (s *Store) InsertQuiz(ctx context.Context, q *Quiz) error {
	if _, err := s.db.NewInsert().Model(q).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		return fmt.Errorf("insert quiz: %w", err)
	}
	return nil
}

// UpdateQuiz saves the settings of q.
func (s *Store) UpdateQuiz(ctx context.Context, q *Quiz, now time.Time) error {
	q.UpdatedAt = now
	_, err := s.db.NewUpdate().Model(q).
		Column("module_id", "title", "instructions", "required", "pass_percent", "max_attempts",
			"time_limit_seconds", "shuffle", "draw_count", "review", "updated_at").
		WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("update quiz %d: %w", q.ID, err)
	}
	return nil
}

// ArchiveQuiz hides a quiz from learners and from completion, keeping its results.
func (s *Store) ArchiveQuiz(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Quiz)(nil)).Set("archived_at = ?, updated_at = ?", now, now).
		Where("id = ? AND archived_at IS NULL", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive quiz %d: %w", id, err)
	}
	return nil
}

// DeleteQuiz removes a quiz without attempts and its questions.
func (s *Store) DeleteQuiz(ctx context.Context, id int64) error {
	if _, err := s.db.NewDelete().Model((*Quiz)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete quiz %d: %w", id, err)
	}
	return nil
}

// Questions returns the live questions of a quiz, in pool order.
func (s *Store) Questions(ctx context.Context, quizID int64) ([]Question, error) {
	var rows []questionRow
	err := s.db.NewSelect().Model(&rows).Where("qn.quiz_id = ? AND qn.archived_at IS NULL", quizID).
		OrderExpr("qn.position, qn.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("questions of quiz %d: %w", quizID, err)
	}
	out := make([]Question, len(rows))
	for i := range rows {
		out[i] = rows[i].question()
	}
	return out, nil
}

// QuestionsByID returns questions of a quiz by id, archived ones included,
// as an attempt that drew them needs them.
func (s *Store) QuestionsByID(ctx context.Context, quizID int64, ids []int64) (map[int64]Question, error) {
	out := make(map[int64]Question, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	// Every save and submit runs it: a prepared statement, the ids one
	// array argument.
	var rows []questionRow
	if err := postgres.Select(ctx, s.db, &rows, questionsByIDSQL.SQL(s.db), quizID, postgres.Int64Array(ids)); err != nil {
		return nil, fmt.Errorf("questions of quiz %d: %w", quizID, err)
	}
	for i := range rows {
		out[rows[i].ID] = rows[i].question()
	}
	return out, nil
}

// questionsByIDSQL is QuestionsByID's statement: $1 the quiz, $2 the ids.
var questionsByIDSQL = postgres.NewText(func(db bun.IDB) string {
	return db.NewSelect().Model((*questionRow)(nil)).Where("qn.quiz_id = $1 AND qn.id = ANY ($2::bigint[])").String()
})

// QuestionQuiz returns the quiz a live question belongs to.
func (s *Store) QuestionQuiz(ctx context.Context, questionID int64) (int64, error) {
	var quizID int64
	err := s.db.NewSelect().Model((*questionRow)(nil)).Column("quiz_id").
		Where("id = ? AND archived_at IS NULL", questionID).Scan(ctx, &quizID)
	if err != nil {
		return 0, fmt.Errorf("question %d: %w", questionID, notFound(err))
	}
	return quizID, nil
}

// Question returns a live question and its position in the pool.
func (s *Store) Question(ctx context.Context, id int64) (Question, int, error) {
	var row questionRow
	if err := s.db.NewSelect().Model(&row).Where("qn.id = ? AND qn.archived_at IS NULL", id).Scan(ctx); err != nil {
		return Question{}, 0, fmt.Errorf("question %d: %w", id, notFound(err))
	}
	return row.question(), row.Position, nil
}

// InsertQuestion stores q as the question at position of a quiz and fills its id.
func (s *Store) InsertQuestion(ctx context.Context, quizID int64, position int, q *Question) error {
	row := rowFromQuestion(quizID, position, *q)
	row.ID = 0
	if _, err := s.db.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert question: %w", err)
	}
	q.ID = row.ID
	return nil
}

// UpdateQuestion saves q (found by its id) and its position.
func (s *Store) UpdateQuestion(ctx context.Context, quizID int64, position int, q Question, now time.Time) error {
	row := rowFromQuestion(quizID, position, q)
	row.UpdatedAt = now
	_, err := s.db.NewUpdate().Model(&row).
		Column("position", "kind", "prompt", "points", "options", "partial_credit", "accepted", "answer", "tolerance", "updated_at").
		Where("id = ? AND quiz_id = ?", q.ID, quizID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update question %d: %w", q.ID, err)
	}
	return nil
}

// SetQuestionPosition moves a question in its quiz's pool.
func (s *Store) SetQuestionPosition(ctx context.Context, id int64, position int) error {
	if _, err := s.db.NewUpdate().Model((*questionRow)(nil)).Set("position = ?", position).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("move question %d: %w", id, err)
	}
	return nil
}

// NextPosition returns the position after the last question of a quiz.
func (s *Store) NextPosition(ctx context.Context, quizID int64) (int, error) {
	var pos int
	err := s.db.NewSelect().Model((*questionRow)(nil)).ColumnExpr("coalesce(max(position), 0) + 1").
		Where("quiz_id = ?", quizID).Scan(ctx, &pos)
	if err != nil {
		return 0, fmt.Errorf("next position in quiz %d: %w", quizID, err)
	}
	return pos, nil
}

// RemoveQuestion takes a question out of its quiz's pool: archived when an
// attempt drew it (its review and statistics still need it), deleted otherwise.
func (s *Store) RemoveQuestion(ctx context.Context, quizID, id int64, now time.Time) error {
	drawn, err := json.Marshal([]Slot{{QuestionID: id}})
	if err != nil {
		return err
	}
	used, err := s.db.NewSelect().Model((*Attempt)(nil)).
		Where("quiz_id = ? AND layout @> ?::jsonb", quizID, string(drawn)).Exists(ctx)
	if err != nil {
		return fmt.Errorf("is question %d used: %w", id, err)
	}
	if used {
		_, err = s.db.NewUpdate().Model((*questionRow)(nil)).Set("archived_at = ?, updated_at = ?", now, now).
			Where("id = ?", id).Exec(ctx)
	} else {
		_, err = s.db.NewDelete().Model((*questionRow)(nil)).Where("id = ?", id).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("remove question %d: %w", id, err)
	}
	return nil
}

// HasAttempts reports whether anyone has started the quiz.
func (s *Store) HasAttempts(ctx context.Context, quizID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Attempt)(nil)).Where("quiz_id = ?", quizID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("attempts of quiz %d: %w", quizID, err)
	}
	return ok, nil
}

// HasPassed reports whether a learner has passed the quiz in any attempt.
func (s *Store) HasPassed(ctx context.Context, quizID, userID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Attempt)(nil)).
		Where("quiz_id = ? AND user_id = ? AND passed", quizID, userID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("has %d passed quiz %d: %w", userID, quizID, err)
	}
	return ok, nil
}

// The required quizzes of the course of the enrolment row e that can be
// taken (not archived, with a question), and those of them it passed
// (RequiredQuizzes).
const (
	requiredQuizzesSQL = `(SELECT count(*) FROM quizzes AS qz
		WHERE qz.course_id = e.course_id AND qz.required AND qz.archived_at IS NULL
		  AND EXISTS (SELECT 1 FROM questions AS qn WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL))`
	requiredQuizzesPassedSQL = `(SELECT count(*) FROM quizzes AS qz
		WHERE qz.course_id = e.course_id AND qz.required AND qz.archived_at IS NULL
		  AND EXISTS (SELECT 1 FROM questions AS qn WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL)
		  AND EXISTS (SELECT 1 FROM attempts AS a WHERE a.enrolment_id = e.id AND a.quiz_id = qz.id AND a.passed))`
)

// Attempt returns the attempt with id.
func (s *Store) Attempt(ctx context.Context, id int64) (*Attempt, error) {
	a := new(Attempt)
	if err := s.db.NewSelect().Model(a).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("attempt %d: %w", id, notFound(err))
	}
	return a, nil
}

// LockAttempt returns the attempt with id, locked until the end of the
// transaction s runs in.
func (s *Store) LockAttempt(ctx context.Context, id int64) (*Attempt, error) {
	a := new(Attempt)
	if err := s.db.NewSelect().Model(a).Where("a.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("lock attempt %d: %w", id, notFound(err))
	}
	return a, nil
}

// LearnerAttempts returns a learner's attempts at a quiz, first one first.
func (s *Store) LearnerAttempts(ctx context.Context, quizID, userID int64) ([]Attempt, error) {
	var list []Attempt
	err := s.db.NewSelect().Model(&list).ExcludeColumn("layout", "answers", "scores").
		Where("a.quiz_id = ? AND a.user_id = ?", quizID, userID).OrderExpr("a.number").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("attempts of %d at quiz %d: %w", userID, quizID, err)
	}
	return list, nil
}

// InsertAttempt stores a new attempt drawn from the quiz's pool at
// poolVersion and fills its id, in one statement that share-locks the
// quiz. It reports false, inserting nothing, when the pool has changed
// since (LockQuiz moved the version on): the caller draws again. A change
// that commits while this statement waits for the lock is seen too, as
// PostgreSQL checks the locked row again in its newest version.
//
// Outside a transaction the insert commits without waiting for its WAL
// to reach the disk (synchronous_commit off for this statement's own
// transaction only): a start is half of what the quiz pair waits for, and
// one lost in a crash (the last fraction of a second before it) is
// harmless: the learner starts again and gets the same attempt number.
// Anything the attempt later stores (a save, the submit) commits
// synchronously and, the WAL being written in order, makes the start
// durable with it. Inside a caller's transaction it commits as that does.
func (s *Store) InsertAttempt(ctx context.Context, a *Attempt, poolVersion int64) (bool, error) {
	layout, err := json.Marshal(a.Layout)
	if err != nil {
		return false, fmt.Errorf("insert attempt: %w", err)
	}
	if a.Answers == nil {
		a.Answers = json.RawMessage("{}")
	}
	if a.Scores == nil {
		a.Scores = map[int64]float64{}
	}
	insert := insertAttemptSQL
	if _, inTx := s.db.(bun.Tx); inTx {
		insert = insertAttemptInTxSQL
	}
	// Every start runs it: a prepared statement.
	err = postgres.SelectOne(ctx, s.db, insert,
		[]any{a.EnrolmentID, a.UserID, a.Number, a.StartedAt, a.Deadline, string(layout), a.QuizID, poolVersion}, &a.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("insert attempt: %w", err)
	}
	return true, nil
}

// insertAttemptInTxSQL is InsertAttempt's statement; insertAttemptSQL
// also turns synchronous_commit off until its transaction ends, which is
// the statement's own (set_config's third argument: local), once the quiz
// row it inserts from is found.
const insertAttemptInTxSQL = `INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, deadline, layout, answers, scores)
		SELECT qz.id, $1, $2, $3, $4, $5, $6::jsonb, '{}', '{}' FROM quizzes AS qz
		WHERE qz.id = $7 AND qz.pool_version = $8
		FOR SHARE
		RETURNING id`

var insertAttemptSQL = strings.Replace(insertAttemptInTxSQL, "qz.pool_version = $8",
	"qz.pool_version = $8 AND set_config('synchronous_commit', 'off', true) = 'off'", 1)

// MergeAnswers merges changes into an open attempt's saved answers and
// records seq as its last save, unless a save with seq or a higher number
// came first. The merge is one statement on the stored JSON, so saves
// racing each other never lose an answer the winner did not touch. It
// reports whether anything was written.
func (s *Store) MergeAnswers(ctx context.Context, attemptID, seq int64, changes AnswerChanges) (bool, error) {
	set := make(Answers, len(changes))
	cleared := []string{}
	for id, a := range changes {
		if a.Kind == "" {
			cleared = append(cleared, strconv.FormatInt(id, 10))
			continue
		}
		set[id] = a
	}
	setJSON, err := json.Marshal(set)
	if err != nil {
		return false, fmt.Errorf("merge answers of attempt %d: %w", attemptID, err)
	}
	var saved []int64
	err = s.db.NewUpdate().Model((*Attempt)(nil)).
		Set("answers = (coalesce(answers, '{}'::jsonb) || ?::jsonb) - ?::text[], last_save_seq = ?",
			string(setJSON), pgdialect.Array(cleared), seq).
		Where("id = ? AND submitted_at IS NULL AND last_save_seq < ?", attemptID, seq).
		Returning("last_save_seq").Scan(ctx, &saved)
	if err != nil {
		return false, fmt.Errorf("merge answers of attempt %d: %w", attemptID, err)
	}
	return len(saved) == 1, nil
}

// SetAnswers stores the answers of an open attempt as they are, without
// a save's sequence number: a submit that was held back for unanswered
// questions keeps what it merged.
func (s *Store) SetAnswers(ctx context.Context, attemptID int64, answers Answers) error {
	stored, err := json.Marshal(answers)
	if err != nil {
		return fmt.Errorf("store answers of attempt %d: %w", attemptID, err)
	}
	_, err = s.db.NewUpdate().Model((*Attempt)(nil)).Set("answers = ?", string(stored)).
		Where("id = ? AND submitted_at IS NULL", attemptID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store answers of attempt %d: %w", attemptID, err)
	}
	return nil
}

// Grade closes an open attempt with its result, the answers graded and
// each question's score.
func (s *Store) Grade(ctx context.Context, attemptID int64, closedAt time.Time, timedOut bool, res Result, answers Answers, scores map[int64]float64) error {
	_, err := s.GradeIfUnchanged(ctx, attemptID, nil, closedAt, timedOut, res, answers, scores)
	return err
}

// GradeIfUnchanged is Grade for an attempt read without a lock: with saved
// not nil, it closes the attempt only if its saved answers are still
// saved (nothing was saved meanwhile), and reports whether it did.
func (s *Store) GradeIfUnchanged(ctx context.Context, attemptID int64, saved json.RawMessage, closedAt time.Time, timedOut bool, res Result, answers Answers, scores map[int64]float64) (bool, error) {
	stored, err := json.Marshal(answers)
	if err != nil {
		return false, fmt.Errorf("grade attempt %d: %w", attemptID, err)
	}
	scoresJSON, err := json.Marshal(scores)
	if err != nil {
		return false, fmt.Errorf("grade attempt %d: %w", attemptID, err)
	}
	// Every submit runs it: a prepared statement. $10 NULL grades whatever
	// is saved.
	var unchanged any
	if saved != nil {
		unchanged = string(saved)
	}
	r, err := postgres.Exec(ctx, s.db, `UPDATE attempts SET submitted_at = $1, timed_out = $2, score = $3, max_score = $4,
		percent = $5, passed = $6, answers = $7, scores = $8
		WHERE id = $9 AND submitted_at IS NULL AND ($10::jsonb IS NULL OR answers = $10::jsonb)`,
		closedAt, timedOut, res.Score, res.MaxScore, res.Percent, res.Passed, string(stored), string(scoresJSON), attemptID, unchanged)
	if err != nil {
		return false, fmt.Errorf("grade attempt %d: %w", attemptID, err)
	}
	n, _ := r.RowsAffected()
	return n > 0, nil
}

// ExpiredAttempts returns the ids of a quiz's open attempts whose deadline
// was before cutoff (userID 0: every learner's).
func (s *Store) ExpiredAttempts(ctx context.Context, quizID, userID int64, cutoff time.Time) ([]int64, error) {
	var ids []int64
	q := s.db.NewSelect().Model((*Attempt)(nil)).Column("id").
		Where("quiz_id = ? AND submitted_at IS NULL AND deadline < ?", quizID, cutoff)
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	if err := q.Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("expired attempts of quiz %d: %w", quizID, err)
	}
	return ids, nil
}
