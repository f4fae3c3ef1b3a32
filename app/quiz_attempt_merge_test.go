package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// TestSavesMergeAndSubmitGradesThem: over the API, a save changes only the
// questions it carries (null clears one), and a submit grades the saved
// answers merged with its body, whatever empty body it sends.
func TestSavesMergeAndSubmitGradesThem(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	token, _ := e.learnerToken(course.ID)
	start := func() apiAttempt {
		t.Helper()
		var a apiAttempt
		res := e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
		wantStatus(t, res, http.StatusCreated)
		decode(t, res, &a)
		return a
	}
	save := func(a apiAttempt, seq int, answers any) {
		t.Helper()
		res := e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token, map[string]any{"seq": seq, "answers": answers})
		wantStatus(t, res, http.StatusOK)
		mustContain(t, res, `"saved":true`)
	}
	saved := func(a apiAttempt) map[string]any {
		t.Helper()
		var got apiAttempt
		decode(t, e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil), &got)
		return got.Answers
	}

	a := start()
	single, multiple, text := itoa(questionOf(a, assessment.KindSingle)), itoa(questionOf(a, assessment.KindMultiple)),
		itoa(questionOf(a, assessment.KindShortText))
	save(a, 1, answers(a, true)["answers"])
	// One answer changed: the other four stay.
	save(a, 2, map[string]any{single: 0})
	if got := saved(a); len(got) != 5 || got[single] != 0.0 {
		t.Fatalf("after a save of one answer: %v, want all five with %s = 0", got, single)
	}
	// null clears one answer, and only that one.
	save(a, 3, map[string]any{text: nil, single: 1})
	if got := saved(a); len(got) != 4 || got[text] != nil || got[single] != 1.0 {
		t.Fatalf("after clearing %s: %v", text, got)
	}
	// A late save still changes nothing.
	res := e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token, map[string]any{"seq": 2, "answers": map[string]any{multiple: nil}})
	mustContain(t, res, `"saved":false`, `"last_save_seq":3`)
	// The submit's own answers win over the saved ones; the rest are graded as saved.
	res = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, map[string]any{"answers": map[string]any{multiple: []int{0}}})
	wantStatus(t, res, http.StatusOK)
	var result assessment.Result
	decode(t, res, &result)
	if result.Score != 4 || result.MaxScore != 6 { // single 1, multiple 1 of 2, true_false 1, numeric 1, text cleared
		t.Errorf("submit over saved answers: %+v, want 4 of 6", result)
	}
	if got := saved(a); len(got) != 4 || got[text] != nil {
		t.Errorf("graded answers: %v, want the four saved and sent", got)
	}

	// No body, {} and {"answers": {}} all submit what is saved.
	for name, body := range map[string]any{"no body": nil, "{}": `{}`, `{"answers":{}}`: map[string]any{"answers": map[string]any{}}} {
		a := start()
		save(a, 1, answers(a, true)["answers"])
		res := e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, body)
		wantStatus(t, res, http.StatusOK)
		decode(t, res, &result)
		if result.Score != 6 || !result.Passed {
			t.Errorf("submit with %s: %+v, want the saved answers' 6 of 6", name, result)
		}
		if got := saved(a); len(got) != 5 {
			t.Errorf("submit with %s stored %v, want the five saved answers", name, got)
		}
	}
}

// TestAttemptFormMergesAndAsksToConfirm: the plain form and the script's
// saves merge the same way, and a submit with questions unanswered shows a
// summary and asks to confirm; the confirmation grades what was saved.
func TestAttemptFormMergesAndAsksToConfirm(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	pa := startOnPages(e, teacherToken, teacher, nil)
	learner, attempt, d, q := pa.learner, pa.path, pa.detail, pa.quiz
	page := learner.get(attempt)
	field := map[assessment.Kind]string{}
	number := map[assessment.Kind]int{}
	for i, p := range d.Questions {
		field[p.Question.Kind] = assessment.FormField(p.Question.ID)
		number[p.Question.Kind] = i + 1
	}
	// Unchecking every box of a multiple question still sends its field.
	mustContain(t, page, `<input type="hidden" name="`+field[assessment.KindMultiple]+`" value="">`)

	// The script saves one field at a time: each save keeps the others.
	wantStatus(t, learner.post(attempt+"/save", url.Values{"seq": {"10"}, field[assessment.KindNumeric]: {"1695"}}), http.StatusOK)
	wantStatus(t, learner.post(attempt+"/save", url.Values{"seq": {"11"}, field[assessment.KindShortText]: {"Zumbi"}}), http.StatusOK)
	wantStatus(t, learner.post(attempt+"/save", url.Values{"seq": {"12"}, field[assessment.KindMultiple]: {"", "0", "2"}}), http.StatusOK)
	mustContain(t, learner.get(attempt), `value="1695"`, `value="Zumbi"`, `value="0" checked`, `value="2" checked`)
	// Every box unchecked: the empty field clears the saved answer.
	wantStatus(t, learner.post(attempt+"/save", url.Values{"seq": {"13"}, field[assessment.KindMultiple]: {""}}), http.StatusOK)
	page = learner.get(attempt)
	mustContain(t, page, `value="1695"`, `value="Zumbi"`)
	mustNotContain(t, page, `checked`)

	// The form's submit with questions left: saved, and a summary asks to confirm.
	res := learner.post(attempt, url.Values{"action": {"submit"}, "seq": {"14"}, field[assessment.KindSingle]: {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != attempt+"?confirm=1#confirm" {
		t.Fatalf("submit with unanswered questions went to %q", loc)
	}
	page = learner.get(attempt + "?confirm=1")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Some questions have no answer", "Questions answered: 3 of 5.",
		`href="#question-`+field[assessment.KindMultiple][1:]+`">Question `+itoa(int64(number[assessment.KindMultiple]))+`</a>`,
		`href="#question-`+field[assessment.KindTrueFalse][1:]+`">Question `+itoa(int64(number[assessment.KindTrueFalse]))+`</a>`,
		`name="action" value="confirm"`, `value="1" checked`, `value="1695"`)
	// Nothing is graded until the learner confirms.
	mustContain(t, learner.get("/quizzes/"+itoa(q.ID)), "In progress")

	// Confirmed with no answer fields at all: what was saved is graded.
	res = learner.post(attempt, url.Values{"action": {"confirm"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = learner.get(attempt)
	mustContain(t, page, "Your attempt was submitted.", "2 of 6 points") // single 1, numeric 1; "Zumbi" is not accepted
}

// TestFormSubmitWithEverythingAnsweredNeedsNoConfirmation: answered in
// full (part saved before, part in the form), the form's submit grades.
func TestFormSubmitWithEverythingAnsweredNeedsNoConfirmation(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	pa := startOnPages(e, teacherToken, teacher, func(b map[string]any) { b["max_attempts"] = 3 })
	learner, attempt, d, q := pa.learner, pa.path, pa.detail, pa.quiz
	saved, sent := url.Values{"seq": {"1"}}, url.Values{"action": {"submit"}}
	for i, p := range d.Questions {
		half := saved
		if i%2 == 1 {
			half = sent
		}
		f := assessment.FormField(p.Question.ID)
		switch p.Question.Kind {
		case assessment.KindSingle:
			half[f] = []string{"1"}
		case assessment.KindMultiple:
			half[f] = []string{"", "0", "2"}
		case assessment.KindTrueFalse:
			half[f] = []string{"true"}
		case assessment.KindShortText:
			half[f] = []string{"Zumbi dos Palmares"}
		case assessment.KindNumeric:
			half[f] = []string{"1695,25"}
		}
	}
	wantStatus(t, learner.post(attempt+"/save", saved), http.StatusOK)
	res := learner.post(attempt, sent)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != attempt {
		t.Fatalf("submit went to %q, want the result", res.Header.Get("Location"))
	}
	page := learner.get(attempt)
	mustContain(t, page, "6 of 6 points", "Passed")
	// Passed: no other attempt is offered, though two are left.
	mustNotContain(t, page, "Start another attempt")
	page = learner.get("/quizzes/" + itoa(q.ID))
	mustContain(t, page, "You have passed this quiz.")
	mustNotContain(t, page, "Start another attempt", "Attempts left")
}

// pageAttempt is an attempt a learner started through the pages, with its
// questions as the domain sees them.
type pageAttempt struct {
	learner *client
	quiz    apiQuiz
	path    string // /attempts/{id}
	detail  *assessment.AttemptDetail
}

// startOnPages creates a quiz of the five kinds (changed by change) taught
// by teacher and has a new learner start it through the pages.
func startOnPages(e *quizEnv, teacherToken string, teacher *accounts.User, change func(map[string]any)) pageAttempt {
	e.t.Helper()
	course, _ := quizCourse(e.t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, change)
	learner, u := e.signedIn(accounts.RoleLearner)
	e.enrol(u, course.ID)
	res := learner.post("/quizzes/"+itoa(q.ID)+"/attempts", nil)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("start: status %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	learner.get(path) // the form's token
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/attempts/"), 10, 64)
	if err != nil {
		e.t.Fatalf("start went to %q", path)
	}
	d, err := e.assessment.Attempt(context.Background(), courses.ActorFor(u), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return pageAttempt{learner: learner, quiz: q, path: path, detail: d}
}

// TestContinueOnlyOnceStarted: "continue where you left off" needs some
// progress; before it, My courses and the course page say "start".
func TestContinueOnlyOnceStarted(t *testing.T) {
	e := newQuizEnv(t)
	_, teacher := e.token(accounts.RoleInstructor)
	course, mods := quizCourse(t, e.db, teacher, 2)
	learner, u := e.signedIn(accounts.RoleLearner)
	en := e.enrol(u, course.ID)
	for _, path := range []string{"/my/courses", "/courses/" + course.Slug} {
		page := learner.get(path)
		wantStatus(t, page, http.StatusOK)
		mustContain(t, page, "Start the course")
		mustNotContain(t, page, "Continue where you left off")
	}
	if _, err := e.courses.CompleteModule(context.Background(), u.ID, en.ID, mods[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/my/courses", "/courses/" + course.Slug} {
		page := learner.get(path)
		mustContain(t, page, "Continue where you left off", "/modules/"+itoa(mods[1].ID))
		mustNotContain(t, page, "Start the course")
	}
}

// TestOnlyTheLearnerAnswersTheirAttempt: the quiz's instructor may look at
// an attempt but not answer it, through the form or the script's save; the
// save answers its errors in the API's JSON shape; a form sent after the
// time limit is told so, and the saved answers count.
func TestOnlyTheLearnerAnswersTheirAttempt(t *testing.T) {
	e := newQuizEnv(t)
	teacherBrowser, teacher := e.signedIn(accounts.RoleInstructor)
	teacherToken, err := e.accounts.CreateAPIToken(context.Background(), teacher.ID)
	if err != nil {
		t.Fatal(err)
	}
	pa := startOnPages(e, teacherToken, teacher, func(b map[string]any) { b["time_limit_seconds"] = 60 })
	learner, attempt, d := pa.learner, pa.path, pa.detail
	single := assessment.FormField(d.Questions[0].Question.ID)
	if d.Questions[0].Question.Kind != assessment.KindSingle {
		t.Fatalf("first question is %s", d.Questions[0].Question.Kind)
	}

	wantStatus(t, teacherBrowser.get(attempt), http.StatusOK)
	wantStatus(t, teacherBrowser.post(attempt, url.Values{"action": {"save"}, "seq": {"1"}, single: {"0"}}), http.StatusNotFound)
	wantStatus(t, teacherBrowser.post(attempt, url.Values{"action": {"confirm"}}), http.StatusNotFound)
	res := teacherBrowser.post(attempt+"/save", url.Values{"seq": {"1"}, single: {"0"}})
	wantStatus(t, res, http.StatusNotFound)
	var body apiError
	decode(t, res, &body)
	if body.Error.Code != "not_found" || body.Error.Message == "" {
		t.Errorf("save by the instructor answered %s", res.body)
	}

	wantStatus(t, learner.post(attempt+"/save", url.Values{"seq": {"5"}, single: {"1"}}), http.StatusOK)
	e.clock.Advance(time.Hour)
	// The script's save to a closed attempt is a 409, after which it forgets its copy.
	res = learner.post(attempt+"/save", url.Values{"seq": {"6"}, single: {"0"}})
	wantStatus(t, res, http.StatusConflict)
	decode(t, res, &body)
	if body.Error.Code != "already_submitted" {
		t.Errorf("save after the time limit answered %s", res.body)
	}
	res = learner.post(attempt, url.Values{"action": {"submit"}, single: {"0"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "The time for this attempt is over.", "1 of 6 points")
}
