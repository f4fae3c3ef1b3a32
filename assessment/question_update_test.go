package assessment_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// TestUpdateQuestion: an instructor's change replaces the question in its
// place; a change that breaks a rule, or comes from someone who may not
// edit the quiz, stores nothing; an open attempt sees the new version.
func TestUpdateQuestion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, q.ID)
	pool := func() []assessment.Question {
		got, err := w.svc.EditableQuiz(ctx, w.teacher, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Questions
	}
	before := pool()
	target := before[3] // the short text question
	changed := target
	changed.Prompt = "Nome do órgão gestor da Previdência?"
	changed.Accepted = []string{"INSS", "Instituto Nacional do Seguro Social"}
	changed.Points = 2

	quiz, err := w.svc.UpdateQuestion(ctx, w.teacher, target.ID, changed)
	if err != nil {
		t.Fatal(err)
	}
	if quiz.ID != q.ID {
		t.Errorf("UpdateQuestion returned quiz %d, want %d", quiz.ID, q.ID)
	}
	after := pool()
	if len(after) != len(before) || after[3].ID != target.ID || after[3].Prompt != changed.Prompt ||
		after[3].Points != 2 || len(after[3].Accepted) != 2 {
		t.Fatalf("after the update the pool is %+v", after)
	}

	// A rule broken: nothing stored.
	bad := changed
	bad.Accepted = nil
	var ve *assessment.ValidationError
	if _, err := w.svc.UpdateQuestion(ctx, w.teacher, target.ID, bad); !errors.As(err, &ve) {
		t.Errorf("question without accepted answers: %v, want *ValidationError", err)
	}
	// Someone who may not edit the quiz: nothing stored.
	if _, err := w.svc.UpdateQuestion(ctx, learner, target.ID, bad); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("learner's update: %v, want courses.ErrForbidden", err)
	}
	other := courses.ActorFor(w.user(accounts.RoleInstructor, nil))
	if _, err := w.svc.UpdateQuestion(ctx, other, target.ID, bad); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("another instructor's update: %v, want courses.ErrForbidden", err)
	}
	if got := pool()[3]; len(got.Accepted) != 2 {
		t.Errorf("refused updates changed the question: %+v", got)
	}
	if _, err := w.svc.UpdateQuestion(ctx, w.teacher, 987654321, changed); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("update of a missing question: %v, want ErrNotFound", err)
	}

	// The open attempt grades against the new accepted answers.
	qs := w.attemptQuestions(learner, a.ID)
	for _, qq := range qs {
		if qq.ID == target.ID && qq.Prompt != changed.Prompt {
			t.Errorf("open attempt shows %q, want the new prompt", qq.Prompt)
		}
	}
	body := []byte(fmt.Sprintf(`{"answers":{"%d":"inss"}}`, target.ID))
	res, err := w.svc.Submit(ctx, learner.UserID, a.ID, body)
	if err != nil || res.Score != 2 {
		t.Errorf("submit with the new accepted answer: %+v, %v; want 2 points", res, err)
	}
}
