package assessment_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/postgres"
)

// A start finds the learner's next number and open attempt without
// counting their attempts: numbers still follow on, per learner, an open
// attempt is still given back, and a limited quiz still counts.
func TestStartNumbersFollowOnPerLearner(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	limited := w.quiz(func(p *assessment.QuizParams) { p.MaxAttempts = 2 })
	learner, _ := w.learner()
	other, _ := w.learner()

	w.start(other, q.ID) // another learner's open attempt is not this one's
	for n := 1; n <= 4; n++ {
		a := w.start(learner, q.ID)
		if a.Number != n {
			t.Fatalf("attempt %d numbered %d", n, a.Number)
		}
		again, created, err := w.svc.Start(ctx, learner, q.ID)
		if err != nil || created || again.Attempt.ID != a.ID {
			t.Fatalf("start with attempt %d open: %v, created %v, got %d", a.ID, err, created, again.Attempt.ID)
		}
		if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(w.attemptQuestions(learner, a.ID), n%2 == 0)); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		a := w.start(learner, limited.ID)
		if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := w.svc.Start(ctx, learner, limited.ID); err == nil {
		t.Fatal("third attempt at a quiz of two started")
	}
}

// An attempt's learner is its enrolment's (one foreign key checks both),
// and deleting a user still deletes their attempts.
func TestAttemptBelongsToItsEnrolmentsLearner(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, e := w.learner()
	other, _ := w.learner()
	a := w.start(learner, q.ID)

	_, err := w.db.ExecContext(ctx, `INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, layout)
		VALUES (?, ?, ?, 1, now(), '[]')`, q.ID, e.ID, other.UserID)
	if postgres.Code(err) != postgres.ForeignKeyViolation {
		t.Fatalf("attempt of another learner's enrolment: %v, want a foreign key violation", err)
	}
	if _, err := w.db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, learner.UserID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := w.db.NewRaw(`SELECT count(*) FROM attempts WHERE id = ?`, a.ID).Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("the deleted learner's attempt is still there")
	}
}
