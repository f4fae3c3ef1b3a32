package wiring_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestCompletionNeedsQuizAndIssuesCertificate is the journey the wiring
// exists for: reading every module of a course with a required quiz does
// not complete it; passing the quiz does, and the certificate is issued
// in that same step. Without the requirement or the hook it fails.
func TestCompletionNeedsQuizAndIssuesCertificate(t *testing.T) {
	ctx := context.Background()
	svc, person := newServices(t, "wiring")
	if _, err := svc.Certificates.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	teacher := courses.ActorFor(person(accounts.RoleInstructor, "Profesora Peña"))
	learner := person(accounts.RoleLearner, "João Conceição")

	course, err := svc.Courses.CreateCourse(ctx, teacher, courses.CourseParams{Title: "Seguridad social", Language: "es", WorkloadHours: 2})
	if err != nil {
		t.Fatal(err)
	}
	mod, err := svc.Courses.CreateModule(ctx, teacher, course.ID, courses.ModuleParams{Title: "Uno", BodyMarkdown: "Texto."})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	quiz, err := svc.Assessment.CreateQuiz(ctx, teacher, course.ID,
		assessment.QuizParams{Title: "Final", Required: true, PassPercent: 50, Review: assessment.ReviewAfterAttempt},
		[]assessment.Question{{Kind: assessment.KindTrueFalse, Prompt: "¿Es un derecho?", Points: 1, AnswerBool: &yes}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Courses.Publish(ctx, teacher, course.ID); err != nil {
		t.Fatal(err)
	}
	enrolment, err := svc.Courses.Enrol(ctx, learner.ID, course.ID, nil)
	if err != nil {
		t.Fatal(err)
	}

	e, err := svc.Courses.CompleteModule(ctx, learner.ID, enrolment.ID, mod.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.CompletedAt != nil {
		t.Fatal("the course is complete with its required quiz not taken")
	}
	if got, _ := svc.Certificates.UserCertificates(ctx, learner.ID); len(got) != 0 {
		t.Fatalf("a certificate was issued before the course was complete: %+v", got)
	}

	d, _, err := svc.Assessment.Start(ctx, courses.ActorFor(learner), quiz.ID)
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"answers":{"%d":true}}`, d.Questions[0].Question.ID)
	res, err := svc.Assessment.Submit(ctx, learner.ID, d.Attempt.ID, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed {
		t.Fatalf("the right answer did not pass: %+v", res)
	}
	e, err = svc.Courses.Enrolment(ctx, learner.ID, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.CompletedAt == nil {
		t.Fatal("passing the required quiz did not complete the course")
	}
	certs, err := svc.Certificates.UserCertificates(ctx, learner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 || certs[0].CourseID != course.ID {
		t.Fatalf("certificates after completion: %+v, want one for course %d", certs, course.ID)
	}
}
