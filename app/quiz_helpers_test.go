package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

// quizClock is the clock of quizzes in tests: moved by hand, so deadlines
// are tested without sleeping.
type quizClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *quizClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *quizClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// quizEnv is a running Aula with quizzes, whose courses and quizzes run on
// a clock the test moves.
type quizEnv struct {
	*env
	clock      *quizClock
	courses    *courses.Service
	assessment *assessment.Service
}

func newQuizEnv(t testing.TB) *quizEnv {
	t.Helper()
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	e, svc := newInstallation(t, installation{clock: clock.Now, quietLog: true})
	return &quizEnv{env: e, clock: clock, courses: svc.Courses, assessment: svc.Assessment}
}

// quizCourse inserts a published course with n modules, taught by teacher.
func quizCourse(t testing.TB, db bun.IDB, teacher *accounts.User, n int) (*courses.Course, []courses.Module) {
	t.Helper()
	ctx := context.Background()
	c := &courses.Course{Slug: unique("quiz-course-"), Title: "Previdência Social " + unique(""), Language: "pt",
		WorkloadHours: 4, Status: courses.StatusPublished}
	if _, err := db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewInsert().Model(&courses.CourseInstructor{CourseID: c.ID, UserID: teacher.ID}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	mods := make([]courses.Module, n)
	for i := range mods {
		mods[i] = courses.Module{CourseID: c.ID, Position: i + 1, Title: fmt.Sprintf("Módulo %d", i+1)}
	}
	if n > 0 {
		if _, err := db.NewInsert().Model(&mods).Returning("*").Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return c, mods
}

// speaks sets the language a user's pages are in.
func (e *quizEnv) speaks(u *accounts.User, lang string) {
	e.t.Helper()
	u.Locale = lang
	if err := accounts.NewStore(e.db).UpdateUser(context.Background(), u, "locale"); err != nil {
		e.t.Fatal(err)
	}
}

func (e *quizEnv) enrol(u *accounts.User, courseID int64) *courses.Enrolment {
	e.t.Helper()
	en, err := e.courses.Enrol(context.Background(), u.ID, courseID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return en
}

// Markers that appear only in correct answers, so a page or a JSON body
// that contains one leaks them.
const (
	secretAccepted = "Zumbi dos Palmares"
	secretNumber   = "1695.25"
)

// quizBody is the API body of a quiz with one question of each kind. The
// correct option of the single question is index 1, of the multiple
// question 0 and 2.
func quizBody(change func(map[string]any)) map[string]any {
	q := map[string]any{
		"title": "Avaliação — Módulo 1", "required": false, "pass_percent": 60, "max_attempts": 0,
		"time_limit_seconds": 0, "shuffle": false, "review": "after_attempt",
		"questions": []map[string]any{
			{"kind": "single", "prompt": "¿Qué institución paga?", "points": 1,
				"options": []map[string]any{{"text": "El banco", "correct": false}, {"text": "La caja", "correct": true}, {"text": "Nadie", "correct": false}}},
			{"kind": "multiple", "prompt": "Quais são benefícios?", "points": 2, "partial_credit": true,
				"options": []map[string]any{{"text": "Auxílio", "correct": true}, {"text": "Multa", "correct": false}, {"text": "Pensão", "correct": true}}},
			{"kind": "true_false", "prompt": "A pensão é vitalícia.", "points": 1, "answer": true},
			{"kind": "short_text", "prompt": "Quem liderou Palmares?", "points": 1, "accepted": []string{secretAccepted}},
			{"kind": "numeric", "prompt": "Em que ano caiu Palmares?", "points": 1, "answer": 1695.25, "tolerance": 0.5},
		},
	}
	if change != nil {
		change(q)
	}
	return q
}

// apiQuiz is a quiz as the API answers it.
type apiQuiz struct {
	ID        int64 `json:"id"`
	Questions []struct {
		ID   int64           `json:"id"`
		Kind assessment.Kind `json:"kind"`
	} `json:"questions"`
	Attempts []struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	} `json:"attempts"`
	AttemptsLeft *int `json:"attempts_left"`
}

// apiAttempt is an attempt as the API answers it.
type apiAttempt struct {
	ID          int64              `json:"id"`
	QuizID      int64              `json:"quiz_id"`
	Number      int                `json:"number"`
	Status      string             `json:"status"`
	Deadline    *time.Time         `json:"deadline"`
	SecondsLeft *int               `json:"seconds_left"`
	LastSaveSeq int64              `json:"last_save_seq"`
	Result      *assessment.Result `json:"result"`
	Questions   []struct {
		ID      int64           `json:"id"`
		Kind    assessment.Kind `json:"kind"`
		Options []struct {
			Index int    `json:"index"`
			Text  string `json:"text"`
		} `json:"options"`
	} `json:"questions"`
	Answers map[string]any `json:"answers"`
	Review  []struct {
		Score   float64 `json:"score"`
		Correct bool    `json:"correct"`
	} `json:"review"`
}

// createQuizAPI creates a quiz in course through the API as the teacher.
func (e *quizEnv) createQuizAPI(teacherToken string, courseID int64, change func(map[string]any)) apiQuiz {
	e.t.Helper()
	res := e.api("POST", "/api/v1/courses/"+itoa(courseID)+"/quizzes", teacherToken, quizBody(change))
	wantStatus(e.t, res, 201)
	var q apiQuiz
	decode(e.t, res, &q)
	return q
}

// learnerToken creates a learner enrolled in the course and an API token.
func (e *quizEnv) learnerToken(courseID int64) (string, *accounts.User) {
	e.t.Helper()
	u := e.user(accounts.RoleLearner)
	e.enrol(u, courseID)
	token, err := e.accounts.CreateAPIToken(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return token, u
}

// answers returns a submit body for an attempt: all right or all wrong.
func answers(a apiAttempt, right bool) map[string]any {
	out := map[string]any{}
	for _, q := range a.Questions {
		var v any
		switch q.Kind {
		case assessment.KindSingle:
			v = map[bool]int{true: 1, false: 0}[right]
		case assessment.KindMultiple:
			v = map[bool][]int{true: {0, 2}, false: {1}}[right]
		case assessment.KindTrueFalse:
			v = right
		case assessment.KindShortText:
			v = map[bool]string{true: "  zumbi dos palmares ", false: "Ganga Zumba"}[right]
		case assessment.KindNumeric:
			v = map[bool]float64{true: 1695, false: 1700}[right]
		}
		out[itoa(q.ID)] = v
	}
	return map[string]any{"answers": out}
}

// questionOf returns the id of the attempt's question of kind k.
func questionOf(a apiAttempt, k assessment.Kind) int64 {
	for _, q := range a.Questions {
		if q.Kind == k {
			return q.ID
		}
	}
	return 0
}

func mustContain(t *testing.T, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.body, w) {
			body := res.body
			if len(body) > 3000 {
				body = body[:3000]
			}
			t.Errorf("%s %s: %q not in\n%s", res.Request.Method, res.Request.URL, w, body)
		}
	}
}

func mustNotContain(t *testing.T, res response, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(res.body, w) {
			t.Errorf("%s %s: %q must not be in the answer", res.Request.Method, res.Request.URL, w)
		}
	}
}
