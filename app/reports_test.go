package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestGradebookPageCSVAndAPI: the gradebook as a page, a CSV file and
// JSON, with the filters in the URL, for the course's instructor and for a
// coordinator who sees their own staff only.
func TestGradebookPageCSVAndAPI(t *testing.T) {
	w := newWorld(t)
	id := itoa(w.course.ID)
	// A name a spreadsheet would run as a formula.
	formula := w.staff(w.mine, "=HYPERLINK(\"http://evil.example\",\"Peña\")")
	if _, err := w.svc.Courses.Enrol(context.Background(), formula.ID, w.course.ID, nil); err != nil {
		t.Fatal(err)
	}

	teacher := w.pages["course instructor"]
	page := teacher.get("/reports/courses/" + id + "/gradebook?sort=name")
	// Once the institutions are kept: the session, who may see the course,
	// its quiz columns with its size (one statement), the page's rows and
	// the institutions' list version.
	if n := w.countStatements(func() { page = teacher.get("/reports/courses/" + id + "/gradebook?sort=name") }); n > 5 {
		t.Errorf("the gradebook page ran %d statements, want at most 5", n)
	}
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, w.colleague.Name, w.stranger.Name, "/reports/courses/"+id+"/gradebook.csv?sort=name")

	coordinator := w.pages["coordinator"]
	mine := coordinator.get("/reports/courses/" + id + "/gradebook")
	wantStatus(t, mine, http.StatusOK)
	wantBody(t, mine, w.colleague.Name)
	if strings.Contains(mine.body, w.stranger.Name) {
		t.Error("a coordinator's gradebook shows another institution's learner")
	}
	wantStatus(t, coordinator.get("/reports/courses/"+id+"/gradebook?institution_id="+itoa(w.theirs.ID)), http.StatusForbidden)
	wantStatus(t, w.pages["learner"].get("/reports/courses/"+id+"/gradebook"), http.StatusForbidden)
	wantStatus(t, teacher.get("/reports/courses/"+id+"/gradebook?sort=mood"), http.StatusUnprocessableEntity)
	wantStatus(t, teacher.get("/reports/courses/"+id+"/gradebook?after=%21"), http.StatusBadRequest)

	// The CSV in Spanish: BOM, semicolons, the formula neutralised, the
	// accents intact; the coordinator's has their staff only.
	coordinator.speak("es")
	res := coordinator.get("/reports/courses/" + id + "/gradebook.csv")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	if !strings.HasPrefix(res.body, "\uFEFF") {
		t.Fatal("the CSV has no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v\n%s", err, res.body)
	}
	if len(records) != 3 || records[0][0] != "Participante" {
		t.Fatalf("CSV records %q", records)
	}
	var sawFormula bool
	for _, rec := range records[1:] {
		switch rec[0] {
		case "'" + formula.Name:
			sawFormula = true
		case w.colleague.Name:
		default:
			t.Errorf("CSV row %q", rec)
		}
	}
	if !sawFormula {
		t.Errorf("the formula name is not neutralised: %q", records)
	}

	// English uses commas; the API answers JSON pages with a cursor.
	token := w.apiTokens["admin"]
	en := w.api(http.MethodGet, "/api/v1/courses/"+id+"/gradebook.csv", token, nil)
	wantStatus(t, en, http.StatusOK)
	if first := strings.SplitN(strings.TrimPrefix(en.body, "\uFEFF"), "\n", 2)[0]; !strings.HasPrefix(first, "Learner,Email,") {
		t.Errorf("English CSV header %q", first)
	}
	var pageOne struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
		Next string `json:"next"`
	}
	decode(t, w.api(http.MethodGet, "/api/v1/courses/"+id+"/gradebook?limit=2", token, nil), &pageOne)
	if len(pageOne.Items) != 2 || pageOne.Next == "" {
		t.Fatalf("first page %+v", pageOne)
	}
	var pageTwo struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
		Next string `json:"next"`
	}
	decode(t, w.api(http.MethodGet, "/api/v1/courses/"+id+"/gradebook?limit=2&after="+pageOne.Next, token, nil), &pageTwo)
	if len(pageTwo.Items) != 1 || pageTwo.Next != "" {
		t.Fatalf("second page %+v", pageTwo)
	}
}

// TestGradebookCSVStreamsEveryRow: an export larger than one chunk of
// the database reads arrives whole, each row once, headed in the reader's
// language.
func TestGradebookCSVStreamsEveryRow(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const n = 1200
	// Rows made in bulk: learners of the first institution, enrolled.
	_, err := w.db.NewRaw(`WITH u AS (
			INSERT INTO users (email, name, role, institution_id, locale)
			SELECT 'bulk' || g || '-' || ? || '@example.org', 'Aprendiz Conceição ' || lpad(g::text, 5, '0'), 'learner', ?, 'pt-PT'
			FROM generate_series(1, ?) AS g RETURNING id)
		INSERT INTO enrolments (course_id, user_id, status) SELECT ?, id, 'active' FROM u`,
		unique(""), w.mine.ID, n, w.course.ID).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := w.pages["admin"]
	c.speak("pt-PT")
	res := c.get("/reports/courses/" + itoa(w.course.ID) + "/gradebook.csv")
	wantStatus(t, res, http.StatusOK)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != n+3 { // header, the world's two learners, the bulk
		t.Fatalf("%d records, want %d", len(records), n+3)
	}
	seen := map[string]bool{}
	for _, rec := range records[1:] {
		if seen[rec[1]] {
			t.Fatalf("%s twice", rec[1])
		}
		seen[rec[1]] = true
	}
	if !strings.Contains(records[0][0], "Formando") {
		t.Errorf("pt-PT header %q", records[0])
	}
}

// TestInstitutionReportPage: a coordinator's report of this year, with
// the month chart drawn as inline SVG, tables, CSV per table in their
// language, and the courses they may enrol their staff in.
func TestInstitutionReportPage(t *testing.T) {
	w := newWorld(t)
	c := w.pages["coordinator"]
	c.speak("pt-PT")
	res := c.get("/reports/institutions/" + itoa(w.mine.ID))
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "<svg", `role="img"`, "Conclusões por mês", w.course.Title, "/manage/courses/"+itoa(w.course.ID)+"/enrolments",
		"Inscrições", "figures.csv?year=")
	if strings.Contains(res.body, "<script") {
		t.Error("the report page needs JavaScript")
	}
	csvRes := c.get("/reports/institutions/" + itoa(w.mine.ID) + "/figures.csv?by=month")
	wantStatus(t, csvRes, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csvRes.body, "\uFEFF")), "\n")
	if len(lines) != 13 || !strings.HasPrefix(lines[0], "Mês;Inscrições;") || !strings.HasPrefix(lines[1], "janeiro;") {
		t.Errorf("months CSV %q", lines)
	}
	wantStatus(t, c.get("/reports/institutions/"+itoa(w.mine.ID)+"?year=1850"), http.StatusUnprocessableEntity)
	wantStatus(t, c.get("/reports/institutions/"+itoa(w.mine.ID)+"/figures.csv?by=country"), http.StatusUnprocessableEntity)
}

// TestAdminDashboard: the admin's home shows the network's counts, the
// completions chart as inline SVG and the latest certificates.
func TestAdminDashboard(t *testing.T) {
	e := newCertEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	before := admin.get("/admin/")
	wantStatus(t, before, http.StatusOK)
	c, mods := e.enrolCourse(1)
	learner := e.learner("María José Peña")
	code := e.complete(learner, c, mods)
	res := admin.get("/admin/")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "<svg", "Completions per month", code, "María José Peña", c.Title, "Published courses")
	if strings.Contains(res.body, "<script") {
		t.Error("the dashboard needs JavaScript")
	}
	coordinator, _ := e.signedIn(accounts.RoleCoordinator)
	wantStatus(t, coordinator.get("/admin/"), http.StatusForbidden)
}
