package assessment_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// TestSubmitsOfOneQuizDoNotQueue: learners who answer a quiz alike add to
// the same answer counts; a submit must not wait for another learner's
// submit of the same quiz to commit (it did: every submit of a quiz
// locked the same count rows until its commit, WAL flush included, so a
// quiz took one submit at a time). Another learner's submit is held open
// in a transaction while this one goes through.
func TestSubmitsOfOneQuizDoNotQueue(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)

	// The first learner's graded attempt gives the answers and scores the
	// others repeat.
	first, _ := w.learner()
	a := w.start(first, q.ID)
	body := answersBody(w.attemptQuestions(first, a.ID), true)
	if _, err := w.svc.Submit(ctx, first.UserID, a.ID, body); err != nil {
		t.Fatal(err)
	}

	// Two more attempts, counted in different shards (an attempt's id
	// picks its shard; other tests take ids meanwhile).
	var held *assessment.Attempt
	var mine *assessment.Attempt
	var me courses.Actor
	for mine == nil {
		learner, _ := w.learner()
		b := w.start(learner, q.ID)
		switch {
		case held == nil:
			held = b
		case b.ID%16 != held.ID%16:
			mine, me = b, learner
		}
	}

	// The held submit: the first attempt's grading copied onto another,
	// in a transaction left open, as a submit that has not committed yet.
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // the held submit is never committed
	if _, err := tx.ExecContext(ctx, `UPDATE attempts AS h SET submitted_at = f.submitted_at, score = f.score,
			max_score = f.max_score, percent = f.percent, passed = f.passed, answers = f.answers, scores = f.scores
		FROM attempts AS f WHERE h.id = ? AND f.id = ?`, held.ID, a.ID); err != nil {
		t.Fatal(err)
	}

	// A submit that waited for the held one would wait for good: the
	// bound only keeps a failing test from hanging.
	bounded, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := w.svc.Submit(bounded, me.UserID, mine.ID, answersBody(w.attemptQuestions(me, mine.ID), true))
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(bounded.Err(), context.DeadlineExceeded) {
		t.Fatal("the submit waited for another learner's submit of the quiz to commit")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed {
		t.Errorf("result %+v, want passed", res)
	}
}

// TestStartCommitsAsyncOnlyItself: a start commits without waiting for
// the WAL flush, and only itself: the connection it ran on commits
// synchronously again for the next statement, which may be a submit.
func TestStartCommitsAsyncOnlyItself(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, enrolment := w.learner()
	conn, err := w.db.Conn(ctx) // the connection the start runs on
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	a := &assessment.Attempt{QuizID: q.ID, EnrolmentID: enrolment.ID, UserID: learner.UserID, Number: 1, StartedAt: w.clock.Now(),
		Layout: []assessment.Slot{{QuestionID: 1}}}
	inserted, err := assessment.NewStore(conn).InsertAttempt(ctx, a, q.PoolVersion)
	if err != nil || !inserted || a.ID == 0 {
		t.Fatalf("insert: %v, %v, id %d", inserted, err, a.ID)
	}
	var setting string
	if err := conn.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&setting); err != nil {
		t.Fatal(err)
	}
	if setting != "on" {
		t.Errorf("synchronous_commit after a start = %q, want on", setting)
	}
}
