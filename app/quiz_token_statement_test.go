package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestQuizStartSubmitReadTokenInTheirStatement: a start and a submit find
// their caller's token in the statement that reads the quiz or the
// attempt, and still refuse, at the next request, a token revoked or a
// user disabled, and answer everyone else as every API route does.
func TestQuizStartSubmitReadTokenInTheirStatement(t *testing.T) {
	e := newQuizEnv(t)
	ctx := context.Background()
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 1)
	quiz := e.createQuizAPI(teacherToken, course.ID, nil)
	token, learner := e.learnerToken(course.ID)

	start := "/api/v1/quizzes/" + itoa(quiz.ID) + "/attempts"
	wantStatus(t, e.api(http.MethodPost, start, "", nil), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodPost, start, "aula_nobody", nil), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/quizzes/999999999/attempts", token, nil), http.StatusNotFound)
	started := e.api(http.MethodPost, start, token, nil)
	wantStatus(t, started, http.StatusCreated)
	// Started again: the open attempt, not a second one.
	wantStatus(t, e.api(http.MethodPost, start, token, nil), http.StatusOK)
	var a apiAttempt
	decode(t, started, &a)
	submit := "/api/v1/attempts/" + itoa(a.ID) + "/submit"
	body := answers(a, true)

	// Nobody's: no token, a token that is no one's, another learner's.
	wantStatus(t, e.api(http.MethodPost, submit, "", body), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodPost, submit, "aula_nobody", body), http.StatusUnauthorized)
	other, _ := e.learnerToken(course.ID)
	wantStatus(t, e.api(http.MethodPost, submit, other, body), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/999999999/submit", token, body), http.StatusNotFound)

	// A user disabled after starting is refused at once, and taken again
	// once enabled.
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("disabled = true").Where("id = ?", learner.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.api(http.MethodPost, submit, token, body), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodPost, start, token, nil), http.StatusUnauthorized)
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("disabled = false").Where("id = ?", learner.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	// A token revoked after the start is refused at the next request, and
	// the attempt stays open for another of the learner's tokens.
	if err := e.accounts.RevokeAPIToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.api(http.MethodPost, submit, token, body), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodPost, start, token, nil), http.StatusUnauthorized)
	fresh, err := e.accounts.CreateAPIToken(ctx, learner.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := e.api(http.MethodPost, submit, fresh, body)
	wantStatus(t, res, http.StatusOK)
	// Submitted once: the second submit is the 409 with the first result.
	wantStatus(t, e.api(http.MethodPost, submit, fresh, body), http.StatusConflict)
	// Another learner, not enrolled, is refused the quiz as before.
	outsider, _ := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPost, start, outsider, nil), http.StatusForbidden)
	// The start reads the course access in its statement too: an
	// enrolment withdrawn is refused at the next start.
	if _, err := e.db.NewUpdate().Model((*courses.Enrolment)(nil)).Set("status = ?", courses.EnrolmentWithdrawn).
		Where("user_id = ? AND course_id = ?", learner.ID, course.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.api(http.MethodPost, start, fresh, nil), http.StatusForbidden)
}
