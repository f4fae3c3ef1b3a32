package assessment_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

func TestCreateQuizKeepsEveryKind(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 1)
	mod := w.modules[0].ID
	q := w.quiz(func(p *assessment.QuizParams) { p.ModuleID = &mod; p.Required = true; p.DrawCount = 3 })

	got, err := w.svc.EditableQuiz(ctx, w.teacher, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fiveKinds()
	if len(got.Questions) != len(want) {
		t.Fatalf("%d questions stored, want %d", len(got.Questions), len(want))
	}
	for i := range want {
		want[i].ID = got.Questions[i].ID
		if want[i].ID == 0 {
			t.Fatalf("question %d has no id", i)
		}
	}
	if !reflect.DeepEqual(got.Questions, want) {
		t.Errorf("stored questions\n%+v\nwant\n%+v", got.Questions, want)
	}
	if *got.ModuleID != mod || !got.Required || got.DrawCount != 3 || got.Review != assessment.ReviewAfterAttempt || got.QuestionCount != 5 {
		t.Errorf("stored quiz %+v", got)
	}
}

func TestOnlyEditorsAuthor(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 1)
	q := w.quiz(nil)
	learner, _ := w.learner()
	otherTeacher := courses.ActorFor(w.user(accounts.RoleInstructor, nil))
	admin := courses.ActorFor(w.user(accounts.RoleAdmin, nil))

	for name, actor := range map[string]courses.Actor{"learner": learner, "another course's instructor": otherTeacher} {
		if _, err := w.svc.CreateQuiz(ctx, actor, w.course.ID, defaultParams(), fiveKinds()); !errors.Is(err, courses.ErrForbidden) {
			t.Errorf("%s creates a quiz: %v, want ErrForbidden", name, err)
		}
		if _, err := w.svc.EditableQuiz(ctx, actor, q.ID); !errors.Is(err, courses.ErrForbidden) {
			t.Errorf("%s reads the answers: %v, want ErrForbidden", name, err)
		}
		if err := w.svc.DeleteQuiz(ctx, actor, q.ID); !errors.Is(err, courses.ErrForbidden) {
			t.Errorf("%s deletes the quiz: %v, want ErrForbidden", name, err)
		}
	}
	if _, err := w.svc.CreateQuiz(ctx, admin, w.course.ID, defaultParams(), fiveKinds()); err != nil {
		t.Errorf("admin creates a quiz: %v", err)
	}
}

func TestCreateQuizValidation(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 1)
	other := newWorld(t, 1)
	foreign := other.modules[0].ID

	p := defaultParams()
	p.ModuleID = &foreign
	p.PassPercent = 101
	_, err := w.svc.CreateQuiz(ctx, w.teacher, w.course.ID, p, []assessment.Question{})
	var ve *assessment.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want *ValidationError", err)
	}
	want := map[string]string{"module_id": "quiz.module_unknown", "pass_percent": "quiz.pass_percent_range", "questions": "quiz.questions_required"}
	if !reflect.DeepEqual(ve.Fields, want) {
		t.Errorf("fields %v, want %v", ve.Fields, want)
	}

	// Pages create the quiz first and add questions one by one.
	q, err := w.svc.CreateQuiz(ctx, w.teacher, w.course.ID, defaultParams(), nil)
	if err != nil {
		t.Fatalf("empty quiz: %v", err)
	}
	learner, _ := w.learner()
	if _, _, err := w.svc.Start(ctx, learner, q.ID); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("start of a quiz without questions: %v, want ErrNotFound", err)
	}
	if _, err := w.svc.AddQuestion(ctx, w.teacher, q.ID, assessment.Question{Kind: assessment.KindSingle, Prompt: "?", Points: 1,
		Options: opts(true, true)}); !errors.As(err, &ve) || ve.Fields["options"] != "quiz.single_needs_one_correct" {
		t.Errorf("bad question: %v", err)
	}
	if _, err := w.svc.AddQuestion(ctx, w.teacher, q.ID, fiveKinds()[2]); err != nil {
		t.Fatal(err)
	}
	if _, created, err := w.svc.Start(ctx, learner, q.ID); err != nil || !created {
		t.Errorf("start once a question is added: %v", err)
	}
}

func TestReplacePool(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	pool := q.Questions
	learner, _ := w.learner()
	a := w.start(learner, q.ID) // draws every question, so removed ones are archived

	// Keep question 3 (changed) then 1, drop the rest, add one.
	kept := pool[2]
	kept.Prompt = "A pensão é paga todo mês."
	newQ := assessment.Question{Kind: assessment.KindNumeric, Prompt: "Quantos meses?", Points: 2, AnswerNumber: numPtr(12)}
	next := []assessment.Question{kept, pool[0], newQ}
	got, err := w.svc.UpdateQuiz(ctx, w.teacher, q.ID, q.Params(), &next)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Questions) != 3 || got.Questions[0].ID != kept.ID || got.Questions[0].Prompt != kept.Prompt ||
		got.Questions[1].ID != pool[0].ID || got.Questions[2].ID == 0 {
		t.Fatalf("pool after update: %+v", got.Questions)
	}
	// The open attempt still shows every question it drew.
	if qs := w.attemptQuestions(learner, a.ID); len(qs) != 5 {
		t.Errorf("attempt shows %d questions after the pool changed, want 5", len(qs))
	}

	bad := []assessment.Question{{ID: 987654, Kind: assessment.KindTrueFalse, Prompt: "?", Points: 1, AnswerBool: boolPtr(true)}}
	var ve *assessment.ValidationError
	if _, err := w.svc.UpdateQuiz(ctx, w.teacher, q.ID, q.Params(), &bad); !errors.As(err, &ve) || ve.Fields["questions[0].id"] != "quiz.question_unknown" {
		t.Errorf("question of another quiz: %v", err)
	}
}

func TestDeleteQuiz(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	unused := w.quiz(nil)
	if err := w.svc.DeleteQuiz(ctx, w.teacher, unused.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.EditableQuiz(ctx, w.teacher, unused.ID); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("deleted quiz: %v, want ErrNotFound", err)
	}

	used := w.quiz(nil)
	learner, _ := w.learner()
	a := w.start(learner, used.ID)
	if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteQuiz(ctx, w.teacher, used.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Overview(ctx, learner, used.ID); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("learner sees an archived quiz: %v, want ErrNotFound", err)
	}
	res, err := w.svc.Results(ctx, w.teacher, used.ID, assessment.ResultsFilter{})
	if err != nil || res.Total != 1 {
		t.Errorf("results of an archived quiz: %v, %+v", err, res)
	}
	if d, err := w.svc.Attempt(ctx, learner, a.ID); err != nil || !d.Attempt.Submitted() {
		t.Errorf("learner's attempt at an archived quiz: %v", err)
	}
}

func TestMoveAndDeleteQuestion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	ids := func() []int64 {
		got, err := w.svc.EditableQuiz(ctx, w.teacher, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, len(got.Questions))
		for i, qq := range got.Questions {
			out[i] = qq.ID
		}
		return out
	}
	before := ids()
	if _, err := w.svc.MoveQuestion(ctx, w.teacher, before[2], true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.MoveQuestion(ctx, w.teacher, before[0], true); err != nil { // already first
		t.Fatal(err)
	}
	want := []int64{before[0], before[2], before[1], before[3], before[4]}
	if got := ids(); !reflect.DeepEqual(got, want) {
		t.Errorf("after moving up: %v, want %v", got, want)
	}
	if _, err := w.svc.DeleteQuestion(ctx, w.teacher, before[2]); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 4 {
		t.Errorf("after delete: %v", got)
	}
	if _, _, err := w.svc.EditableQuestion(ctx, w.teacher, before[2]); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("deleted question: %v, want ErrNotFound", err)
	}
}
