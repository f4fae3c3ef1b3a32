package wiring_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// TestErrorChainsNamePackagesOnce: an error that crosses packages reads
// like a sentence an operator can follow in the log, each package named at
// most twice (where its exported method wraps it, and in its sentinel),
// not once per store and helper it passed through
// ("assessment: … courses: … courses: … courses: not found").
func TestErrorChainsNamePackagesOnce(t *testing.T) {
	ctx := context.Background()
	svc, person := newServices(t, "wiring_errors")
	admin := person(accounts.RoleAdmin, "Administradora Peña")
	teacher := courses.ActorFor(person(accounts.RoleInstructor, "Profesora Conceição"))
	learner := courses.ActorFor(person(accounts.RoleLearner, "João Conceição"))
	course, err := svc.Courses.CreateCourse(ctx, teacher, courses.CourseParams{Title: "Previdência social", Language: "pt", WorkloadHours: 2})
	if err != nil {
		t.Fatal(err)
	}
	const gone = int64(1 << 40) // no row has this id
	yes := true
	quiz, err := svc.Assessment.CreateQuiz(ctx, teacher, course.ID,
		assessment.QuizParams{Title: "Final", PassPercent: 50, Review: assessment.ReviewAfterAttempt},
		[]assessment.Question{{Kind: assessment.KindTrueFalse, Prompt: "¿Es un derecho?", Points: 1, AnswerBool: &yes}})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		run    func() error
		target error
	}{
		{"quiz for a course that does not exist", func() error {
			_, err := svc.Assessment.CreateQuiz(ctx, teacher, gone, assessment.QuizParams{Title: "Final", PassPercent: 50}, nil)
			return err
		}, courses.ErrNotFound},
		{"start a quiz that does not exist", func() error {
			_, _, err := svc.Assessment.Start(ctx, learner, gone)
			return err
		}, assessment.ErrNotFound},
		{"start a quiz of a course not enrolled in", func() error {
			_, _, err := svc.Assessment.Start(ctx, learner, quiz.ID)
			return err
		}, nil},
		{"edit a course that does not exist", func() error {
			_, err := svc.Courses.Publish(ctx, teacher, gone)
			return err
		}, courses.ErrNotFound},
		{"enrol in a course that does not exist", func() error {
			_, err := svc.Courses.Enrol(ctx, learner.UserID, gone, nil)
			return err
		}, nil},
		{"certificate for a course that does not exist", func() error {
			_, err := svc.Certificates.Issue(ctx, certificates.IssueParams{UserID: learner.UserID, CourseID: gone, By: admin.ID})
			return err
		}, nil},
		{"certificate for a person who does not exist", func() error {
			_, err := svc.Certificates.Issue(ctx, certificates.IssueParams{UserID: gone, CourseID: course.ID, By: admin.ID})
			return err
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("%q is not %v", err, tc.target)
			}
			for _, pkg := range []string{"accounts", "courses", "assessment", "certificates"} {
				if got := strings.Count(err.Error(), pkg+": "); got > 2 {
					t.Errorf("%q names %s %d times, want at most twice", err, pkg, got)
				}
			}
			t.Log(err)
		})
	}
}

// newServices builds an installation's services on a test database of its
// own, and a function that adds a person with a role to it.
func newServices(t *testing.T, schema string) (*wiring.Services, func(accounts.Role, string) *accounts.User) {
	t.Helper()
	db := testdb.Open(t, schema)
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test"})
	if err != nil {
		t.Fatal(err)
	}
	n := time.Now().UnixNano()
	person := func(role accounts.Role, name string) *accounts.User {
		u, err := svc.Accounts.CreateUser(context.Background(), accounts.CreateUserParams{
			Email: fmt.Sprintf("%s-%d@example.org", role, n), Name: name, Role: role, Password: "a long and unusual passphrase",
		})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	return svc, person
}
