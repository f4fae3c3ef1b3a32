package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
)

// TestQuizAPIFlow goes through the contract: an instructor creates a quiz,
// a learner starts an attempt, submits it once, and a second submit is 409
// with the first result.
func TestQuizAPIFlow(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 1)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	if len(q.Questions) != 5 || q.Questions[0].ID == 0 {
		t.Fatalf("created quiz %+v", q)
	}
	// The editor reads it back with the answers.
	res := e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID), teacherToken, nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, secretAccepted, `"correct":true`, `"answer":1695.25`)

	token, _ := e.learnerToken(course.ID)
	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID), token, nil)
	wantStatus(t, res, http.StatusOK)
	mustNotContain(t, res, secretAccepted, `"correct"`, secretNumber)

	res = e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
	wantStatus(t, res, http.StatusCreated)
	var a apiAttempt
	decode(t, res, &a)
	if a.QuizID != q.ID || len(a.Questions) != 5 || a.Number != 1 || a.Status != "in_progress" || a.SecondsLeft != nil {
		t.Fatalf("attempt %+v", a)
	}
	for _, qq := range a.Questions {
		if qq.Kind == assessment.KindSingle && (len(qq.Options) != 3 || qq.Options[1].Text != "La caja" || qq.Options[1].Index != 1) {
			t.Errorf("single question options %+v", qq.Options)
		}
	}
	// Starting again gives the same attempt back: 200, not a new one.
	res = e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
	wantStatus(t, res, http.StatusOK)

	res = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, true))
	wantStatus(t, res, http.StatusOK)
	var first assessment.Result
	decode(t, res, &first)
	if first != (assessment.Result{Score: 6, MaxScore: 6, Percent: 100, Passed: true}) {
		t.Errorf("result %+v", first)
	}
	for _, field := range []string{`"score"`, `"max_score"`, `"percent"`, `"passed"`} {
		mustContain(t, res, field)
	}

	res = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, false))
	wantStatus(t, res, http.StatusConflict)
	var again struct {
		apiError
		assessment.Result
	}
	decode(t, res, &again)
	if again.Result != first || again.Error.Code != "already_submitted" {
		t.Errorf("second submit: %s", res.body)
	}

	// Once submitted, the review (after_attempt) shows the answers.
	res = e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil)
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &a)
	if a.Status != "submitted" || a.Result == nil || *a.Result != first || len(a.Review) != 5 || !a.Review[0].Correct {
		t.Errorf("submitted attempt %s", res.body)
	}
	mustContain(t, res, secretAccepted)

	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"total":1`, `"status":"submitted"`)
}

// TestCorrectAnswersNeverLeakBeforeReview checks the attempt's JSON and its
// page, before and after submitting, under each review rule.
func TestCorrectAnswersNeverLeakBeforeReview(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	for _, tt := range []struct {
		review              string
		afterFail, afterWin bool // answers shown after a failed, then a passed attempt
	}{
		{"never", false, false},
		{"after_pass", false, true},
		{"after_attempt", true, true},
	} {
		q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["review"] = tt.review })
		token, u := e.learnerToken(course.ID)
		browser := e.browser()
		if res := browser.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		hidden := func(path string, shown bool) {
			t.Helper()
			res := e.api(http.MethodGet, "/api/v1"+path, token, nil)
			wantStatus(t, res, http.StatusOK)
			page := browser.get(path)
			wantStatus(t, page, http.StatusOK)
			for _, r := range []response{res, page} {
				if got := strings.Contains(r.body, secretAccepted); got != shown {
					t.Errorf("review %s, GET %s: accepted answer shown %v, want %v", tt.review, r.Request.URL, got, shown)
				}
			}
			if !shown {
				mustNotContain(t, res, `"correct"`, secretNumber, `"accepted"`, `"review"`)
				mustNotContain(t, page, "1695,25", secretNumber, "opção correta")
			}
		}
		attempt := func(right bool) int64 {
			res := e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
			wantStatus(t, res, http.StatusCreated)
			mustNotContain(t, res, secretAccepted, `"correct"`, secretNumber)
			var a apiAttempt
			decode(t, res, &a)
			hidden("/attempts/"+itoa(a.ID), false)
			wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, right)), http.StatusOK)
			return a.ID
		}
		failed := attempt(false)
		hidden("/attempts/"+itoa(failed), tt.afterFail)
		passed := attempt(true)
		hidden("/attempts/"+itoa(passed), tt.afterWin)
	}
}

// TestAnotherLearnersAttemptIs404: reading, saving or submitting someone
// else's attempt looks exactly like a missing one.
func TestAnotherLearnersAttemptIs404(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	owner, _ := e.learnerToken(course.ID)
	intruder, intruderUser := e.learnerToken(course.ID)
	res := e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", owner, nil)
	wantStatus(t, res, http.StatusCreated)
	var a apiAttempt
	decode(t, res, &a)

	path := "/api/v1/attempts/" + itoa(a.ID)
	missing := "/api/v1/attempts/987654321"
	for _, p := range []string{path, missing} {
		wantStatus(t, e.api(http.MethodGet, p, intruder, nil), http.StatusNotFound)
		wantStatus(t, e.api(http.MethodPut, p+"/answers", intruder, map[string]any{"seq": 1, "answers": map[string]any{}}), http.StatusNotFound)
		wantStatus(t, e.api(http.MethodPost, p+"/submit", intruder, answers(a, true)), http.StatusNotFound)
	}
	browser := e.browser()
	browser.signIn(intruderUser.Email, testPassword)
	wantStatus(t, browser.get("/attempts/"+itoa(a.ID)), http.StatusNotFound)
	wantStatus(t, browser.post("/attempts/"+itoa(a.ID), map[string][]string{"action": {"submit"}}), http.StatusNotFound)

	// The owner's attempt is untouched.
	res = e.api(http.MethodGet, path, owner, nil)
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &a)
	if a.Status != "in_progress" || a.LastSaveSeq != 0 {
		t.Errorf("owner's attempt after the intrusion: %+v", a)
	}
	// Someone not enrolled cannot start; an instructor of another course
	// cannot read the results.
	stranger, _ := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", stranger, nil), http.StatusForbidden)
	otherTeacher, _ := e.token(accounts.RoleInstructor)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results", otherTeacher, nil), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(course.ID)+"/quizzes", otherTeacher, quizBody(nil)), http.StatusForbidden)
}

// TestBadAnswersAreRefusedNever500: untrusted answers get a status and a
// message, and the attempt stays open.
func TestBadAnswersAreRefusedNever500(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	token, _ := e.learnerToken(course.ID)
	res := e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
	var a apiAttempt
	decode(t, res, &a)
	single, text, tf := itoa(questionOf(a, assessment.KindSingle)), itoa(questionOf(a, assessment.KindShortText)), itoa(questionOf(a, assessment.KindTrueFalse))

	for _, tt := range []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"unknown question", `{"answers": {"999999999": 1}}`, 422, "answers.999999999"},
		{"wrong type", `{"answers": {"` + tf + `": "yes"}}`, 422, "answers." + tf},
		{"index out of range", `{"answers": {"` + single + `": 3}}`, 422, "answers." + single},
		{"negative index", `{"answers": {"` + single + `": -1}}`, 422, "answers." + single},
		{"huge index", `{"answers": {"` + single + `": 1e400}}`, 422, "answers." + single},
		{"string too long", `{"answers": {"` + text + `": "` + strings.Repeat("ç", 5000) + `"}}`, 422, "answers." + text},
		{"not JSON", `answers please`, 400, "answers"},
		{"other top-level key", `{"answers": {}, "score": 100}`, 400, "answers"},
		{"deeply nested", strings.Repeat("[", 10000), 400, "answers"},
		{"body too large", `{"answers": {"` + text + `": "` + strings.Repeat("a", 300<<10) + `"}}`, 413, ""},
	} {
		res := e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, tt.body)
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d: %.300s", tt.name, res.StatusCode, tt.status, res.body)
			continue
		}
		var body apiError
		decode(t, res, &body)
		if body.Error.Message == "" || (tt.field != "" && body.Error.Fields[tt.field] == "") {
			t.Errorf("%s: error %s, want a message for %s", tt.name, res.body, tt.field)
		}
		save := e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token,
			`{"seq": 1, "answers": `+strings.TrimSuffix(strings.TrimPrefix(tt.body, `{"answers": `), `}`)+`}`)
		if save.StatusCode >= 500 || save.StatusCode == 200 {
			t.Errorf("%s saved: status %d", tt.name, save.StatusCode)
		}
	}
	res = e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil)
	decode(t, res, &a)
	if a.Status != "in_progress" || a.LastSaveSeq != 0 {
		t.Errorf("attempt after bad answers: %+v", a)
	}
	// Answers in Portuguese come back in Portuguese.
	res = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, `{"answers": {"`+single+`": 9}}`, "Accept-Language", "pt-BR")
	mustContain(t, res, "Esta opção não existe.")
}

// TestConcurrentSubmitsOverHTTP: a double click, two tabs and a retry at
// once grade the attempt once; the others get 409 with that result.
func TestConcurrentSubmitsOverHTTP(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	token, _ := e.learnerToken(course.ID)
	var a apiAttempt
	decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)

	const n = 8
	results := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, i%2 == 0))
		}()
	}
	wg.Wait()
	var ok []assessment.Result
	var conflicts []assessment.Result
	for _, res := range results {
		var r assessment.Result
		if err := json.Unmarshal([]byte(res.body), &r); err != nil {
			t.Fatalf("%d %s", res.StatusCode, res.body)
		}
		switch res.StatusCode {
		case http.StatusOK:
			ok = append(ok, r)
		case http.StatusConflict:
			conflicts = append(conflicts, r)
		default:
			t.Errorf("submit: %d %s", res.StatusCode, res.body)
		}
	}
	if len(ok) != 1 || len(conflicts) != n-1 {
		t.Fatalf("%d graded and %d conflicts, want 1 and %d", len(ok), len(conflicts), n-1)
	}
	for _, r := range conflicts {
		if r != ok[0] {
			t.Errorf("409 with %+v, want the first result %+v", r, ok[0])
		}
	}
}

// TestAttemptsLimitUnderConcurrencyOverHTTP: with one attempt left, two
// simultaneous starts make one attempt, and then none is left.
func TestAttemptsLimitUnderConcurrencyOverHTTP(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["max_attempts"] = 2 })
	token, _ := e.learnerToken(course.ID)
	start := func() response {
		return e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil)
	}
	var a apiAttempt
	decode(t, start(), &a)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, false)), http.StatusOK)

	var wg sync.WaitGroup
	res := make([]response, 2)
	for i := range res {
		wg.Add(1)
		go func() { defer wg.Done(); res[i] = start() }()
	}
	wg.Wait()
	var ids [2]int64
	created := 0
	for i, r := range res {
		var got apiAttempt
		decode(t, r, &got)
		ids[i] = got.ID
		if r.StatusCode == http.StatusCreated {
			created++
		} else if r.StatusCode != http.StatusOK {
			t.Fatalf("start: %d %s", r.StatusCode, r.body)
		}
	}
	if created != 1 || ids[0] != ids[1] {
		t.Fatalf("simultaneous starts: %d created, attempts %v; want 1 created, one attempt", created, ids)
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(ids[0])+"/submit", token, answers(a, false)), http.StatusOK)
	r := start()
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r, `"no_attempts_left"`)
	var qz apiQuiz
	decode(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID), token, nil), &qz)
	if len(qz.Attempts) != 2 || qz.AttemptsLeft == nil || *qz.AttemptsLeft != 0 {
		t.Errorf("quiz after the limit: %+v", qz)
	}
}

// TestTimeLimitOverHTTP moves the quiz clock: a submit after the deadline
// and grace is 422, and the attempt is closed with its saved answers graded.
func TestTimeLimitOverHTTP(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["time_limit_seconds"] = 300 })
	token, _ := e.learnerToken(course.ID)
	var a apiAttempt
	decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)
	if a.SecondsLeft == nil || *a.SecondsLeft != 300 || a.Deadline == nil {
		t.Fatalf("attempt %+v", a)
	}
	single := itoa(questionOf(a, assessment.KindSingle))
	res := e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token, `{"seq": 7, "answers": {"`+single+`": 1}}`)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"saved":true`, `"last_save_seq":7`)

	e.clock.Advance(5*time.Minute + e.assessment.Grace() + time.Second)
	res = e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, true))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `"deadline_passed"`)
	decode(t, e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil), &a)
	if a.Status != "timed_out" || a.Result == nil || a.Result.Score != 1 {
		t.Errorf("closed attempt: %+v", a)
	}
}

// TestLateSaveNeverOverwritesNewer: saves carry a sequence number.
func TestLateSaveNeverOverwritesNewer(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	token, _ := e.learnerToken(course.ID)
	var a apiAttempt
	decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)
	text := itoa(questionOf(a, assessment.KindShortText))
	save := func(seq int, answer string) response {
		return e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token,
			map[string]any{"seq": seq, "answers": map[string]any{text: answer}})
	}
	mustContain(t, save(20, "Dandara"), `"saved":true`)
	mustContain(t, save(19, "late"), `"saved":false`, `"last_save_seq":20`)
	mustContain(t, save(20, "repeated"), `"saved":false`)
	res := e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil)
	mustContain(t, res, `"`+text+`":"Dandara"`)
	wantStatus(t, e.api(http.MethodPut, "/api/v1/attempts/"+itoa(a.ID)+"/answers", token, map[string]any{"answers": map[string]any{}}), 422)
}

// TestPassingRequiredQuizCompletesCourse: with the modules done, passing
// the required quiz completes the enrolment.
func TestPassingRequiredQuizCompletesCourse(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, mods := quizCourse(t, e.db, teacher, 1)
	q := e.createQuizAPI(teacherToken, course.ID, func(b map[string]any) { b["required"] = true; b["module_id"] = mods[0].ID })
	token, u := e.learnerToken(course.ID)
	en, err := e.courses.CompleteModule(t.Context(), u.ID, mustEnrolment(t, e, u.ID, course.ID), mods[0].ID)
	if err != nil || en.Status != "active" {
		t.Fatalf("module completed: %+v, %v", en, err)
	}
	var a apiAttempt
	decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, true)), http.StatusOK)
	got, err := e.courses.Enrolment(t.Context(), u.ID, course.ID)
	if err != nil || got.Status != "completed" {
		t.Errorf("enrolment after passing the required quiz: %+v, %v", got, err)
	}
}

func mustEnrolment(t *testing.T, e *quizEnv, userID, courseID int64) int64 {
	t.Helper()
	en, err := e.courses.Enrolment(t.Context(), userID, courseID)
	if err != nil {
		t.Fatal(err)
	}
	return en.ID
}

// TestQuizValidationOverAPI: a quiz that breaks a rule is 422 with a
// translated message per field, in the API's field names.
func TestQuizValidationOverAPI(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	body := quizBody(func(b map[string]any) {
		b["pass_percent"] = 150
		qs := b["questions"].([]map[string]any)
		qs[0]["options"] = []map[string]any{{"text": "A", "correct": true}, {"text": "B", "correct": true}}
		qs[3]["accepted"] = []string{}
	})
	res := e.api(http.MethodPost, "/api/v1/courses/"+itoa(course.ID)+"/quizzes", teacherToken, body, "Accept-Language", "es")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var out apiError
	decode(t, res, &out)
	want := map[string]string{
		"pass_percent":          "La nota de aprobación debe estar entre 0 y 100.",
		"questions[0].options":  "Marque exactamente una opción como correcta.",
		"questions[3].accepted": "Indique al menos una respuesta aceptada.",
	}
	for f, msg := range want {
		if out.Error.Fields[f] != msg {
			t.Errorf("field %s: %q, want %q", f, out.Error.Fields[f], msg)
		}
	}
	res = e.api(http.MethodPost, "/api/v1/courses/"+itoa(course.ID)+"/quizzes", teacherToken, quizBody(func(b map[string]any) { delete(b, "questions") }))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `"questions"`)
}

// TestQuizAPIEditing: the pool is replaced by PATCH (questions with an id
// kept and changed, others added or removed), settings change alone, and a
// quiz someone attempted is archived by DELETE, its results kept.
func TestQuizAPIEditing(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	path := "/api/v1/quizzes/" + itoa(q.ID)

	res := e.api(http.MethodPatch, path, teacherToken, map[string]any{"title": "Avaliação revista", "max_attempts": 1})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"title":"Avaliação revista"`, `"max_attempts":1`, `"pass_percent":60`, `"question_count":5`)

	res = e.api(http.MethodPatch, path, teacherToken, map[string]any{"questions": []map[string]any{
		{"id": q.Questions[2].ID, "kind": "true_false", "prompt": "A pensão é paga em dezembro.", "points": 3, "answer": false},
		{"kind": "numeric", "prompt": "Quantos meses?", "points": 1, "answer": 13},
	}})
	wantStatus(t, res, http.StatusOK)
	var got apiQuiz
	decode(t, res, &got)
	if len(got.Questions) != 2 || got.Questions[0].ID != q.Questions[2].ID || got.Questions[1].ID == 0 {
		t.Fatalf("pool after PATCH: %s", res.body)
	}
	mustContain(t, res, "A pensão é paga em dezembro.", `"points":3`)

	token, _ := e.learnerToken(course.ID)
	res = e.api(http.MethodGet, "/api/v1/courses/"+itoa(course.ID)+"/quizzes", token, nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"total":1`, "Avaliação revista", `"attempts_left":1`)
	mustNotContain(t, res, `"answer"`, "dezembro")

	var a apiAttempt
	decode(t, e.api(http.MethodPost, path+"/attempts", token, nil), &a)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, `{"answers": {}}`), http.StatusOK)
	wantStatus(t, e.api(http.MethodDelete, path, token, nil), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodDelete, path, teacherToken, nil), http.StatusNoContent)
	wantStatus(t, e.api(http.MethodGet, path, token, nil), http.StatusNotFound)
	res = e.api(http.MethodGet, path+"/results", teacherToken, nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"total":1`)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/attempts/"+itoa(a.ID), token, nil), http.StatusOK)
}
