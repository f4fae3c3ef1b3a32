package app

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// TestQuizzesPartial renders partials/quizzes as course and module pages
// include it: {{template "partials/quizzes" .Quizzes}}.
func TestQuizzesPartial(t *testing.T) {
	vs, err := loadViews(assets.Templates)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	render := func(sec quizSection) string {
		t.Helper()
		var buf bytes.Buffer
		if err := vs.engine.Render(&buf, "partials/quizzes", sec); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	tr := bundle.Printer("es")

	learner := render(quizSection{tr: tr, Items: []quizItem{
		{Title: "Evaluación <final>", URL: "/quizzes/7", Required: true, Final: true, Status: "passed", Best: "85\u00a0%"},
		{Title: "Módulo 1", URL: "/quizzes/8", Status: "not_started"},
	}})
	for _, want := range []string{`href="/quizzes/7"`, "Evaluación &lt;final&gt;", "Obligatorio", "Examen final",
		"Aprobado · mejor: 85\u00a0%", "Sin empezar", "Cuestionarios"} {
		if !strings.Contains(learner, want) {
			t.Errorf("learner's list lacks %q:\n%s", want, learner)
		}
	}
	if strings.Contains(learner, "Resultados") || strings.Contains(learner, "Añadir un cuestionario") {
		t.Errorf("learner's list has editors' links:\n%s", learner)
	}

	editor := render(quizSection{tr: tr, NewURL: "/manage/courses/3/quizzes/new", Items: []quizItem{
		{Title: "Módulo 1", URL: "/quizzes/8", Questions: 4, EditURL: "/manage/quizzes/8", ResultsURL: "/manage/quizzes/8/results"},
	}})
	for _, want := range []string{`href="/manage/quizzes/8"`, `href="/manage/quizzes/8/results"`, "Preguntas: 4",
		`href="/manage/courses/3/quizzes/new"`, "Añadir un cuestionario"} {
		if !strings.Contains(editor, want) {
			t.Errorf("editor's list lacks %q:\n%s", want, editor)
		}
	}
	if empty := strings.TrimSpace(render(quizSection{tr: tr})); empty != "" {
		t.Errorf("a course without quizzes shows %q", empty)
	}
}

// TestQuizSectionStandings builds the sections of a course page and a
// module page from the database: learners see the open quizzes with their
// standing, editors every quiz with their links.
func TestQuizSectionStandings(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "app")
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test"})
	if err != nil {
		t.Fatal(err)
	}
	cs, as := svc.Courses, svc.Assessment
	s := &server{courses: cs, quizzes: as, i18n: bundle}

	n := time.Now().UnixNano()
	teacher := &accounts.User{Email: fmt.Sprintf("section-teacher-%d@example.org", n), Name: "Profe", Role: accounts.RoleInstructor, Locale: "es"}
	learner := &accounts.User{Email: fmt.Sprintf("section-learner-%d@example.org", n), Name: "Peña", Role: accounts.RoleLearner, Locale: "es"}
	for _, u := range []*accounts.User{teacher, learner} {
		if err := accounts.NewStore(db).InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	course := &courses.Course{Slug: fmt.Sprintf("section-%d", n), Title: "Curso", Language: "es", WorkloadHours: 1, Status: courses.StatusPublished}
	if _, err := db.NewInsert().Model(course).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	mod := &courses.Module{CourseID: course.ID, Position: 1, Title: "Uno"}
	if _, err := db.NewInsert().Model(mod).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewInsert().Model(&courses.CourseInstructor{CourseID: course.ID, UserID: teacher.ID}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Enrol(ctx, learner.ID, course.ID, nil); err != nil {
		t.Fatal(err)
	}
	tf := true
	question := []assessment.Question{{Kind: assessment.KindTrueFalse, Prompt: "¿Sí?", Points: 1, AnswerBool: &tf}}
	create := func(title string, moduleID *int64, qs []assessment.Question) *assessment.Quiz {
		q, err := as.CreateQuiz(ctx, courses.ActorFor(teacher), course.ID,
			assessment.QuizParams{Title: title, ModuleID: moduleID, PassPercent: 50, Review: assessment.ReviewNever, Required: moduleID == nil}, qs)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	final := create("Examen final", nil, question)
	moduleQuiz := create("Del módulo", &mod.ID, question)
	create("Sin preguntas", nil, nil)
	d, _, err := as.Start(ctx, courses.ActorFor(learner), final.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := as.Submit(ctx, learner.ID, d.Attempt.ID, []byte(`{"answers": {"`+fmt.Sprint(final.Questions[0].ID)+`": true}}`)); err != nil {
		t.Fatal(err)
	}

	app := fiber.New()
	section := func(u *accounts.User, module bool) quizSection {
		t.Helper()
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		defer app.ReleaseCtx(c)
		c.Locals(localLang, "es")
		var sec quizSection
		var err error
		if module {
			// The module's quizzes are read with the module.
			r, rerr := cs.ReadModuleBody(ctx, courses.ActorFor(u), courses.CourseRef{ID: course.ID}, mod.ID, "")
			if rerr != nil {
				t.Fatal(rerr)
			}
			sec, err = s.moduleQuizzes(c, r)
		} else {
			acc, aerr := cs.Access(ctx, courses.ActorFor(u), course.ID)
			if aerr != nil {
				t.Fatal(aerr)
			}
			sec, err = s.courseQuizzes(c, acc)
		}
		if err != nil {
			t.Fatal(err)
		}
		return sec
	}
	titles := func(sec quizSection) string {
		var out []string
		for _, it := range sec.Items {
			out = append(out, it.Title+":"+it.Status)
		}
		return strings.Join(out, ", ")
	}

	if got := titles(section(learner, false)); got != "Examen final:passed, Del módulo:not_started" {
		t.Errorf("learner's course section: %s", got)
	}
	if sec := section(learner, false); sec.NewURL != "" || sec.Items[0].EditURL != "" || !sec.Items[0].Final || !sec.Items[0].Required {
		t.Errorf("learner's course section %+v", sec)
	}
	if got := titles(section(learner, true)); got != "Del módulo:not_started" {
		t.Errorf("learner's module section: %s", got)
	}
	sec := section(teacher, false)
	if got := titles(sec); got != "Examen final:, Del módulo:, Sin preguntas:" {
		t.Errorf("editor's course section: %s", got)
	}
	if sec.NewURL != newQuizPath(course.ID) || sec.Items[0].EditURL != editQuizPath(final.ID) || sec.Items[0].ResultsURL != resultsPath(final.ID) {
		t.Errorf("editor's links %+v", sec)
	}

	// The module's quiz, read with the module, shows the learner's attempt.
	d, _, err = as.Start(ctx, courses.ActorFor(learner), moduleQuiz.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(section(learner, true)); got != "Del módulo:in_progress" {
		t.Errorf("learner's module section with an open attempt: %s", got)
	}
	if _, err := as.Submit(ctx, learner.ID, d.Attempt.ID, []byte(`{"answers": {"`+fmt.Sprint(moduleQuiz.Questions[0].ID)+`": true}}`)); err != nil {
		t.Fatal(err)
	}
	if sec := section(learner, true); titles(sec) != "Del módulo:passed" || sec.Items[0].Best != "100\u00a0%" {
		t.Errorf("learner's module section after passing: %s, best %q", titles(sec), sec.Items[0].Best)
	}
	if got := titles(section(teacher, true)); got != "Del módulo:" {
		t.Errorf("editor's module section: %s", got)
	}
}
