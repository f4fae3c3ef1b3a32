package app_test

import (
	"net/http"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
)

// pageStatementBudget is the most SQL statements (BEGIN and COMMIT
// count) one view of a page learners load most may run: the session and
// the page's data, each in as few round trips as the data allows.
const pageStatementBudget = 3

// TestPageStatementBudgets loads the pages a learner loads most, as a
// visitor and as an enrolled learner with some progress, and fails when
// one runs more statements than the budget: a query per row or an
// access check repeated would show here before it shows in production.
func TestPageStatementBudgets(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, mods := quizCourse(t, e.db, teacher, 3)
	e.createQuizAPI(teacherToken, course.ID, func(q map[string]any) { q["module_id"] = mods[1].ID })
	final := e.createQuizAPI(teacherToken, course.ID, func(q map[string]any) { q["title"] = "Final"; q["required"] = true })

	learner := e.user(accounts.RoleLearner)
	enrolment := e.enrol(learner, course.ID)
	browser := e.browser()
	if res := browser.signIn(learner.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	wantStatus(t, browser.post("/enrolments/"+itoa(enrolment.ID)+"/modules/"+itoa(mods[0].ID)+"/complete", nil), http.StatusSeeOther)
	visitor := e.browser()

	coursePath := "/courses/" + course.Slug
	for _, tc := range []struct {
		name string
		who  *client
		path string
	}{
		{"catalogue, visitor", visitor, "/courses"},
		{"catalogue search, visitor", visitor, "/courses?q=previdencia"},
		{"course, visitor", visitor, coursePath},
		{"catalogue, learner", browser, "/courses"},
		{"course, learner", browser, coursePath},
		{"module, learner", browser, coursePath + "/modules/" + itoa(mods[1].ID)},
		{"quiz, learner", browser, "/quizzes/" + itoa(final.ID)},
		{"my courses, learner", browser, "/my/courses"},
	} {
		var res response
		n := e.countStatements(func() { res = tc.who.get(tc.path) })
		wantStatus(t, res, http.StatusOK)
		if n > pageStatementBudget {
			t.Errorf("%s (%s): %d statements, budget %d", tc.name, tc.path, n, pageStatementBudget)
		} else {
			t.Logf("%s (%s): %d statements", tc.name, tc.path, n)
		}
	}
}

// quizPairBudget is the most statements starting an attempt and submitting
// it may run together, BEGIN and COMMIT included, and the bearer token
// looked up once per request (sessions and tokens stay in PostgreSQL, so
// revoking one works at once): start 2 (the token's user with the quiz,
// their standing, its pool and their access to its course, in one
// statement; guarded insert), submit 2 (the token's user with the
// attempt, its quiz and its questions, in one statement; guarded update).
const quizPairBudget = 4

// TestQuizStartSubmitStatements starts and submits an attempt through the
// API, as the quiz page's script does, and holds the pair to its budget.
func TestQuizStartSubmitStatements(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 1)
	quiz := e.createQuizAPI(teacherToken, course.ID, nil)
	token, _ := e.learnerToken(course.ID)

	var started, submitted response
	n := e.countStatements(func() {
		started = e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(quiz.ID)+"/attempts", token, nil)
	})
	wantStatus(t, started, http.StatusCreated)
	var a apiAttempt
	decode(t, started, &a)
	m := e.countStatements(func() {
		submitted = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, true))
	})
	wantStatus(t, submitted, http.StatusOK)
	var result assessment.Result
	decode(t, submitted, &result)
	if !result.Passed {
		t.Fatalf("all right answers did not pass: %s", submitted.body)
	}
	t.Logf("start %d statements, submit %d", n, m)
	if n+m > quizPairBudget {
		t.Errorf("start + submit: %d + %d statements, budget %d", n, m, quizPairBudget)
	}
}
