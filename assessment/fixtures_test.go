package assessment_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

var fixtureSeq atomic.Int64

// clock is a time source tests move by hand, so deadlines are tested
// without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is a course with its services on the test database.
type world struct {
	t       testing.TB
	db      *bun.DB
	clock   *clock
	courses *courses.Service
	svc     *assessment.Service
	course  *courses.Course
	modules []courses.Module
	teacher courses.Actor
}

// newWorld creates a published course with n modules and an instructor,
// and services wired as cmd/aula wires them.
func newWorld(t testing.TB, n int) *world {
	t.Helper()
	db := testdb.Open(t, "assessment")
	w := &world{t: t, db: db, clock: newClock()}
	w.courses = courses.NewService(db, courses.Options{Now: w.clock.Now})
	w.svc = assessment.NewService(db, w.courses, assessment.Options{Now: w.clock.Now})
	w.courses.AddRequirement(w.svc.RequiredQuizzes())

	ctx := context.Background()
	id := fixtureSeq.Add(1)
	w.course = &courses.Course{Slug: fmt.Sprintf("quiz-course-%d", id), Title: "Previdência Social", Language: "pt",
		WorkloadHours: 4, Status: courses.StatusPublished}
	if _, err := db.NewInsert().Model(w.course).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	w.modules = make([]courses.Module, n)
	for i := range w.modules {
		w.modules[i] = courses.Module{CourseID: w.course.ID, Position: i + 1, Title: fmt.Sprintf("Módulo %d", i+1)}
	}
	if n > 0 {
		if _, err := db.NewInsert().Model(&w.modules).Returning("*").Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	teacher := w.user(accounts.RoleInstructor, nil)
	if _, err := db.NewInsert().Model(&courses.CourseInstructor{CourseID: w.course.ID, UserID: teacher.ID}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	w.teacher = courses.ActorFor(teacher)
	return w
}

func (w *world) user(role accounts.Role, institutionID *int64) *accounts.User {
	w.t.Helper()
	n := fixtureSeq.Add(1)
	u := &accounts.User{Email: fmt.Sprintf("quiz%d@example.org", n), Name: fmt.Sprintf("João Conceição %d", n),
		Role: role, Locale: "pt-PT", InstitutionID: institutionID}
	if err := accounts.NewStore(w.db).InsertUser(context.Background(), u); err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *world) institution(name string) *accounts.Institution {
	w.t.Helper()
	inst := &accounts.Institution{Name: name, Acronym: fmt.Sprintf("I%d", fixtureSeq.Add(1)), Country: "BR"}
	if err := accounts.NewStore(w.db).InsertInstitution(context.Background(), inst); err != nil {
		w.t.Fatal(err)
	}
	return inst
}

// learner creates a learner enrolled in the course.
func (w *world) learner() (courses.Actor, *courses.Enrolment) {
	w.t.Helper()
	return w.learnerOf(nil)
}

func (w *world) learnerOf(institutionID *int64) (courses.Actor, *courses.Enrolment) {
	w.t.Helper()
	u := w.user(accounts.RoleLearner, institutionID)
	e, err := w.courses.Enrol(context.Background(), u.ID, w.course.ID, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return courses.ActorFor(u), e
}

func boolPtr(b bool) *bool      { return &b }
func numPtr(f float64) *float64 { return &f }
func opts(correct ...bool) []assessment.Option {
	out := make([]assessment.Option, len(correct))
	for i, c := range correct {
		out[i] = assessment.Option{Text: fmt.Sprintf("Opção %d", i), Correct: c}
	}
	return out
}

// fiveKinds is a pool with one question of each kind, 6 points in all.
func fiveKinds() []assessment.Question {
	return []assessment.Question{
		{Kind: assessment.KindSingle, Prompt: "¿Cuál es la caja?", Points: 1, Options: opts(false, true, false)},
		{Kind: assessment.KindMultiple, Prompt: "Quais são benefícios?", Points: 2, PartialCredit: true, Options: opts(true, false, true, false)},
		{Kind: assessment.KindTrueFalse, Prompt: "A pensão é vitalícia.", Points: 1, AnswerBool: boolPtr(true)},
		{Kind: assessment.KindShortText, Prompt: "Nome do órgão?", Points: 1, Accepted: []string{"Previdência"}},
		{Kind: assessment.KindNumeric, Prompt: "Idade mínima?", Points: 1, AnswerNumber: numPtr(62.5), Tolerance: 0.5},
	}
}

func defaultParams() assessment.QuizParams {
	return assessment.QuizParams{Title: "Avaliação do módulo", PassPercent: 60, Review: assessment.ReviewAfterAttempt}
}

// quiz creates a quiz with the five kinds as the course's instructor.
func (w *world) quiz(change func(p *assessment.QuizParams)) *assessment.Quiz {
	w.t.Helper()
	p := defaultParams()
	if change != nil {
		change(&p)
	}
	q, err := w.svc.CreateQuiz(context.Background(), w.teacher, w.course.ID, p, fiveKinds())
	if err != nil {
		w.t.Fatal(err)
	}
	return q
}

// answersBody returns a submit body answering the quiz's questions by
// kind: all right, or all wrong.
func answersBody(questions []assessment.Question, right bool) []byte {
	parts := ""
	for _, q := range questions {
		var v string
		switch q.Kind {
		case assessment.KindSingle:
			v = map[bool]string{true: "1", false: "0"}[right]
		case assessment.KindMultiple:
			v = map[bool]string{true: "[0,2]", false: "[1,3]"}[right]
		case assessment.KindTrueFalse:
			v = map[bool]string{true: "true", false: "false"}[right]
		case assessment.KindShortText:
			v = map[bool]string{true: `"  previdencia "`, false: `"INSS"`}[right]
		case assessment.KindNumeric:
			v = map[bool]string{true: "62", false: "70"}[right]
		}
		if parts != "" {
			parts += ","
		}
		parts += fmt.Sprintf(`"%d":%s`, q.ID, v)
	}
	return []byte(`{"answers":{` + parts + `}}`)
}

// attemptQuestions returns the questions of an attempt, correct answers included.
func (w *world) attemptQuestions(actor courses.Actor, attemptID int64) []assessment.Question {
	w.t.Helper()
	d, err := w.svc.Attempt(context.Background(), actor, attemptID)
	if err != nil {
		w.t.Fatal(err)
	}
	out := make([]assessment.Question, len(d.Questions))
	for i, p := range d.Questions {
		out[i] = p.Question
	}
	return out
}

// start begins a new attempt and fails the test unless one is created.
func (w *world) start(actor courses.Actor, quizID int64) *assessment.Attempt {
	w.t.Helper()
	d, created, err := w.svc.Start(context.Background(), actor, quizID)
	if err != nil {
		w.t.Fatal(err)
	}
	if !created {
		w.t.Fatalf("start of quiz %d resumed attempt %d, want a new one", quizID, d.Attempt.ID)
	}
	return d.Attempt
}
