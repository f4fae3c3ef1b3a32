package reports_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

var seq atomic.Int64

func unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// world is an installation with one published course (two modules and a
// required quiz) followed by people of two institutions.
type world struct {
	t            *testing.T
	db           *bun.DB
	svc          *wiring.Services
	course       *courses.Course
	modules      []int64
	quiz         *assessment.Quiz
	mine, theirs *accounts.Institution
	teacher      courses.Actor
	coordinator  courses.Actor
	admin        courses.Actor
}

func newWorld(t *testing.T, clock func() time.Time) *world {
	t.Helper()
	db := testdb.Open(t, "reports")
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, svc: svc}
	w.mine = w.institution("Instituto de Previdência Social", "PT")
	w.theirs = w.institution("Caja Costarricense de Seguro Social", "CR")
	w.teacher = courses.ActorFor(w.person("Profesora Núñez", accounts.RoleInstructor, nil))
	w.admin = courses.ActorFor(w.person("Ana Administradora", accounts.RoleAdmin, nil))
	w.coordinator = courses.ActorFor(w.person("Inês Coordenadora", accounts.RoleCoordinator, w.mine))
	ctx := context.Background()
	w.course, err = svc.Courses.CreateCourse(ctx, w.teacher, courses.CourseParams{Title: unique("Protección social "), Summary: "Curso.", Language: "es", WorkloadHours: 12})
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"Módulo uno", "Módulo dos"} {
		m, err := svc.Courses.CreateModule(ctx, w.teacher, w.course.ID, courses.ModuleParams{Title: title, BodyMarkdown: "Texto."})
		if err != nil {
			t.Fatal(err)
		}
		w.modules = append(w.modules, m.ID)
	}
	yes := true
	w.quiz, err = svc.Assessment.CreateQuiz(ctx, w.teacher, w.course.ID, assessment.QuizParams{Title: "Examen final", Required: true,
		PassPercent: 50, Review: assessment.ReviewNever}, []assessment.Question{{Kind: assessment.KindTrueFalse, Prompt: "¿Sí?", Points: 1, AnswerBool: &yes}})
	if err != nil {
		t.Fatal(err)
	}
	if w.course, err = svc.Courses.Publish(ctx, w.teacher, w.course.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) institution(name, country string) *accounts.Institution {
	w.t.Helper()
	inst, err := w.svc.Accounts.CreateInstitution(context.Background(), accounts.InstitutionParams{Name: name + " " + unique(""), Acronym: unique("I"), Country: country})
	if err != nil {
		w.t.Fatal(err)
	}
	return inst
}

func (w *world) person(name string, role accounts.Role, inst *accounts.Institution) *accounts.User {
	w.t.Helper()
	p := accounts.CreateUserParams{Email: unique("p") + "@example.org", Name: name, Role: role, Locale: "es"}
	if inst != nil {
		p.InstitutionID = &inst.ID
	}
	u, err := w.svc.Accounts.CreateUser(context.Background(), p)
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

// learner enrols a new learner of inst, completes `modules` modules and
// submits the quiz with each answer in answers.
func (w *world) learner(name string, inst *accounts.Institution, modules int, answers ...bool) *accounts.User {
	w.t.Helper()
	ctx := context.Background()
	u := w.person(name, accounts.RoleLearner, inst)
	e, err := w.svc.Courses.Enrol(ctx, u.ID, w.course.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, m := range w.modules[:modules] {
		if _, err := w.svc.Courses.CompleteModule(ctx, u.ID, e.ID, m); err != nil {
			w.t.Fatal(err)
		}
	}
	for _, a := range answers {
		w.answer(u, a)
	}
	return u
}

// answer submits an attempt of the quiz by u answering a.
func (w *world) answer(u *accounts.User, a bool) {
	w.t.Helper()
	ctx := context.Background()
	d, _, err := w.svc.Assessment.Start(ctx, courses.ActorFor(u), w.quiz.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	body := fmt.Sprintf(`{"answers": {"%d": %t}}`, w.quiz.Questions[0].ID, a)
	if _, err := w.svc.Assessment.Submit(ctx, u.ID, d.Attempt.ID, []byte(body)); err != nil {
		w.t.Fatal(err)
	}
}
