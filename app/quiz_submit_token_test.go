package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestQuizSubmitReadsTokenInItsStatement: a submit finds its caller's
// token in the statement that reads the attempt, and still refuses, at
// the next request, a token revoked or a user disabled after the start,
// and answers everyone else as every API route does.
func TestQuizSubmitReadsTokenInItsStatement(t *testing.T) {
	e := newQuizEnv(t)
	ctx := context.Background()
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 1)
	quiz := e.createQuizAPI(teacherToken, course.ID, nil)
	token, learner := e.learnerToken(course.ID)

	started := e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(quiz.ID)+"/attempts", token, nil)
	wantStatus(t, started, http.StatusCreated)
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
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("disabled = false").Where("id = ?", learner.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	// A token revoked after the start is refused at the next request, and
	// the attempt stays open for another of the learner's tokens.
	if err := e.accounts.RevokeAPIToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.api(http.MethodPost, submit, token, body), http.StatusUnauthorized)
	fresh, err := e.accounts.CreateAPIToken(ctx, learner.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := e.api(http.MethodPost, submit, fresh, body)
	wantStatus(t, res, http.StatusOK)
	// Submitted once: the second submit is the 409 with the first result.
	wantStatus(t, e.api(http.MethodPost, submit, fresh, body), http.StatusConflict)
}
