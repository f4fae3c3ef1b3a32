package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestResultsAPIAndCSV: the quiz's instructors see every attempt with
// learner, institution and outcome, filter them, read per-question
// statistics, and export a CSV that spreadsheets open with accents right.
func TestResultsAPIAndCSV(t *testing.T) {
	e := newQuizEnv(t)
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, course.ID, nil)
	inst := &accounts.Institution{Name: "Instituto Nacional do Seguro Social", Acronym: unique("INSS"), Country: "BR"}
	if err := accounts.NewStore(e.db).InsertInstitution(context.Background(), inst); err != nil {
		t.Fatal(err)
	}
	take := func(name string, institution *int64, right bool) {
		token, u := e.learnerToken(course.ID)
		u.Name, u.InstitutionID = name, institution
		if err := accounts.NewStore(e.db).UpdateUser(context.Background(), u, "name", "institution_id"); err != nil {
			t.Fatal(err)
		}
		var a apiAttempt
		decode(t, e.api(http.MethodPost, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", token, nil), &a)
		wantStatus(t, e.api(http.MethodPost, "/api/v1/attempts/"+itoa(a.ID)+"/submit", token, answers(a, right)), http.StatusOK)
	}
	take("João Conceição", &inst.ID, true)
	take("Ana Peña", nil, false)

	res := e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results", teacherToken, nil)
	wantStatus(t, res, http.StatusOK)
	var out struct {
		Items []struct {
			Learner     struct{ Name string }     `json:"learner"`
			Institution *struct{ Acronym string } `json:"institution"`
			Passed      bool                      `json:"passed"`
			Score       float64                   `json:"score"`
			Duration    *int                      `json:"duration_seconds"`
		} `json:"items"`
		Total     int `json:"total"`
		Questions []struct {
			Facility float64 `json:"facility"`
			Options  []struct {
				Chosen int `json:"chosen"`
			} `json:"options"`
		} `json:"questions"`
	}
	decode(t, res, &out)
	if out.Total != 2 || len(out.Items) != 2 || len(out.Questions) != 5 {
		t.Fatalf("results %s", res.body)
	}
	joao := out.Items[1]
	if joao.Learner.Name != "João Conceição" || joao.Institution == nil || joao.Institution.Acronym != inst.Acronym || !joao.Passed || joao.Duration == nil {
		t.Errorf("first attempt %+v", joao)
	}
	if out.Questions[0].Facility != 0.5 || len(out.Questions[0].Options) != 3 || out.Questions[0].Options[1].Chosen != 1 {
		t.Errorf("single question statistics %+v", out.Questions[0])
	}

	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?institution_id="+itoa(inst.ID), teacherToken, nil)
	mustContain(t, res, `"total":1`, "João Conceição")
	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?passed=false", teacherToken, nil)
	mustContain(t, res, `"total":1`, "Ana Peña")
	wantStatus(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?passed=maybe", teacherToken, nil), http.StatusUnprocessableEntity)

	// Page by page with the cursor: the newest attempt, then from after it.
	var page struct {
		Items []struct {
			Learner struct{ Name string } `json:"learner"`
		} `json:"items"`
		Next string `json:"next"`
	}
	decode(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?limit=1", teacherToken, nil), &page)
	if len(page.Items) != 1 || page.Items[0].Learner.Name != "Ana Peña" || page.Next == "" {
		t.Fatalf("first page %+v", page)
	}
	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?limit=1&after="+page.Next, teacherToken, nil)
	page.Next = "unchanged"
	decode(t, res, &page)
	if len(page.Items) != 1 || page.Items[0].Learner.Name != "João Conceição" || page.Next != "" {
		t.Errorf("second page %s", res.body)
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?after=yesterday", teacherToken, nil), http.StatusUnprocessableEntity)
	// offset still pages, for clients written before the cursor.
	mustContain(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results?limit=1&offset=1", teacherToken, nil), "João Conceição")

	res = e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results.csv", teacherToken, nil, "Accept-Language", "pt")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	data := []byte(res.body)
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("CSV without a UTF-8 byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "Participante" || rows[0][2] != "Instituição" {
		t.Fatalf("CSV %q", rows)
	}
	if got := strings.Join(rows[2][:3], "|"); got != "João Conceição|"+rows[2][1]+"|"+inst.Acronym {
		t.Errorf("CSV line %q", rows[2])
	}
	if rows[2][10] != "sim" || rows[1][10] != "não" {
		t.Errorf("passed column %q, %q", rows[2][10], rows[1][10])
	}

	learner, _ := e.learnerToken(course.ID)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results", learner, nil), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/results.csv", learner, nil), http.StatusForbidden)
}
