package app_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// TestQuizEditingPages walks every quiz-editing page as an instructor
// would: what the page shows, and that the change is stored.
func TestQuizEditingPages(t *testing.T) {
	e := newQuizEnv(t)
	ctx := context.Background()
	teacherBrowser, teacher := e.signedIn(accounts.RoleInstructor)
	course, mods := quizCourse(t, e.db, teacher, 1)
	stored := func(id int64) *assessment.Quiz {
		t.Helper()
		q, err := e.assessment.EditableQuiz(ctx, courses.ActorFor(teacher), id)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}

	// New quiz: the form offers the course's modules.
	page := teacherBrowser.get("/manage/courses/" + itoa(course.ID) + "/quizzes/new")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `name="title"`, `<option value="`+itoa(mods[0].ID)+`"`, html.EscapeString(mods[0].Title))
	res := teacherBrowser.post("/manage/courses/"+itoa(course.ID)+"/quizzes", url.Values{
		"title": {"Evaluación — Peña"}, "pass_percent": {"60"}, "max_attempts": {"0"}, "draw_count": {"0"}, "review": {"after_attempt"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := editQuizLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("created quiz: redirected to %q", res.Header.Get("Location"))
	}
	quizPath := m[0]
	quizID, _ := strconv.ParseInt(m[1], 10, 64)
	page = teacherBrowser.get(quizPath)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, "Quiz created. Now add its questions.", html.EscapeString("Evaluación — Peña"))

	// Settings: a pass mark out of range is refused with the input kept, and nothing changes.
	res = teacherBrowser.post(quizPath, url.Values{"title": {"Evaluación final — Peña"}, "pass_percent": {"150"},
		"max_attempts": {"2"}, "draw_count": {"0"}, "review": {"after_attempt"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "The pass mark must be between 0 and 100.", `value="150"`, html.EscapeString("Evaluación final — Peña"))
	if q := stored(quizID); q.PassPercent != 60 || q.Title != "Evaluación — Peña" {
		t.Errorf("refused settings were stored: %+v", q)
	}
	res = teacherBrowser.post(quizPath, url.Values{"title": {"Evaluación final — Peña"}, "pass_percent": {"75"},
		"max_attempts": {"2"}, "time_limit_minutes": {"1,5"}, "draw_count": {"0"}, "review": {"after_pass"},
		"module_id": {itoa(mods[0].ID)}, "required": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = teacherBrowser.get(res.Header.Get("Location"))
	mustContain(t, page, "Saved.", html.EscapeString("Evaluación final — Peña"), `value="1.5"`, `id="required" name="required" value="1" checked`)
	if q := stored(quizID); q.PassPercent != 75 || q.MaxAttempts != 2 || q.TimeLimitSeconds != 90 || !q.Required ||
		q.Review != assessment.ReviewAfterPass || q.ModuleID == nil || *q.ModuleID != mods[0].ID {
		t.Errorf("stored settings: %+v", q)
	}

	// Questions: a kind that does not exist has no form; three are added.
	wantStatus(t, teacherBrowser.get(quizPath+"/questions/new?kind=essay"), http.StatusNotFound)
	page = teacherBrowser.get(quizPath + "/questions/new?kind=single")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `name="option_text"`)
	for _, form := range []url.Values{
		{"kind": {"single"}, "prompt": {"¿Quién paga la pensión?"}, "points": {"1"}, "option_text": {"El banco", "La caja", ""}, "option_correct": {"1"}},
		{"kind": {"true_false"}, "prompt": {"A pensão é vitalícia."}, "points": {"1"}, "answer": {"true"}},
		{"kind": {"numeric"}, "prompt": {"Alíquota (%)?"}, "points": {"2"}, "answer": {"7,5"}, "tolerance": {"0"}},
	} {
		res = teacherBrowser.post(quizPath+"/questions", form)
		wantStatus(t, res, http.StatusSeeOther)
	}
	mustContain(t, teacherBrowser.get(quizPath), "Question added.")
	pool := stored(quizID).Questions
	if len(pool) != 3 {
		t.Fatalf("pool after adding three: %d questions", len(pool))
	}
	single := pool[0]

	// Editing a question: the form shows it as stored.
	editPath := "/manage/questions/" + itoa(single.ID)
	page = teacherBrowser.get(editPath + "/edit")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, html.EscapeString("¿Quién paga la pensión?"), `value="El banco"`, `value="La caja"`)
	// Two correct options for a single-choice question: refused, stored unchanged.
	res = teacherBrowser.post(editPath, url.Values{"prompt": {"¿Quién paga?"}, "points": {"1"},
		"option_text": {"El banco", "La caja"}, "option_correct": {"0", "1"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Mark exactly one option as correct.", `value="El banco"`)
	if q := stored(quizID).Questions[0]; q.Prompt != "¿Quién paga la pensión?" {
		t.Errorf("refused question was stored: %+v", q)
	}
	res = teacherBrowser.post(editPath, url.Values{"prompt": {"¿Quién paga la pensión de João Conceição?"}, "points": {"3"},
		"option_text": {"El banco", "", "La caja de previsión", "Nadie"}, "option_correct": {"2"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != quizPath {
		t.Errorf("after editing a question: redirected to %q", res.Header.Get("Location"))
	}
	page = teacherBrowser.get(quizPath)
	mustContain(t, page, "Saved.", html.EscapeString("¿Quién paga la pensión de João Conceição?"))
	got := stored(quizID).Questions
	if got[0].ID != single.ID || got[0].Points != 3 || len(got[0].Options) != 3 || !got[0].Options[1].Correct ||
		got[0].Options[1].Text != "La caja de previsión" {
		t.Errorf("edited question stored as %+v, want it first with three options, the second correct", got[0])
	}

	// Moving: down swaps it with the next; a direction that is none is refused.
	res = teacherBrowser.post(editPath+"/move", url.Values{"direction": {"down"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = teacherBrowser.get(quizPath)
	if strings.Index(page.body, "A pensão é vitalícia.") > strings.Index(page.body, "pensión de João") {
		t.Error("moved question is still listed first")
	}
	if got := stored(quizID).Questions; got[1].ID != single.ID {
		t.Errorf("after moving down the question is at %v", got)
	}
	wantStatus(t, teacherBrowser.post(editPath+"/move", url.Values{"direction": {"sideways"}}), http.StatusBadRequest)

	// Deleting a question.
	res = teacherBrowser.post("/manage/questions/"+itoa(pool[2].ID)+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	page = teacherBrowser.get(quizPath)
	mustContain(t, page, "Question deleted.")
	mustNotContain(t, page, "Alíquota (%)?")
	if got := stored(quizID).Questions; len(got) != 2 {
		t.Errorf("after deleting one: %d questions", len(got))
	}
	wantStatus(t, teacherBrowser.get("/manage/questions/"+itoa(pool[2].ID)+"/edit"), http.StatusNotFound)

	// An instructor who does not teach the course may not edit its quiz.
	other, _ := e.signedIn(accounts.RoleInstructor)
	wantStatus(t, other.get(quizPath), http.StatusForbidden)
	wantStatus(t, other.get(editPath+"/edit"), http.StatusForbidden)
	wantStatus(t, other.get("/manage/courses/"+itoa(course.ID)+"/quizzes/new"), http.StatusForbidden)
	wantStatus(t, other.post("/manage/courses/"+itoa(course.ID)+"/quizzes", url.Values{"title": {"Intrusa"}, "pass_percent": {"50"}}), http.StatusForbidden)

	// Deleting the quiz: back to the course, gone from it.
	res = teacherBrowser.post(quizPath+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	page = teacherBrowser.get(res.Header.Get("Location"))
	mustContain(t, page, "Quiz deleted.")
	mustNotContain(t, page, html.EscapeString("Evaluación final — Peña"))
	wantStatus(t, teacherBrowser.get(quizPath), http.StatusNotFound)
	if _, err := e.assessment.EditableQuiz(ctx, courses.ActorFor(teacher), quizID); !errors.Is(err, assessment.ErrNotFound) {
		t.Errorf("deleted quiz: %v, want ErrNotFound", err)
	}
}
