package app_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// enrolCourse inserts a published course with n modules, taught by the
// given instructors.
func (e *env) enrolCourse(n int, instructors ...int64) (*courses.Course, []int64) {
	e.t.Helper()
	ctx := context.Background()
	c := &courses.Course{Slug: unique("curso-enrol-"), Title: "Protección Social Básica", Summary: "Curso", Language: "es",
		WorkloadHours: 12, Status: courses.StatusPublished}
	if _, err := e.db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		e.t.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range ids {
		m := &courses.Module{CourseID: c.ID, Position: i + 1, Title: fmt.Sprintf("Módulo %d", i+1), BodyHTML: "<p>Texto</p>"}
		if _, err := e.db.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
		ids[i] = m.ID
	}
	for _, id := range instructors {
		if _, err := e.db.NewInsert().Model(&courses.CourseInstructor{CourseID: c.ID, UserID: id}).Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
	}
	return c, ids
}

type enrolmentJSON struct {
	ID              int64   `json:"id"`
	CourseID        int64   `json:"course_id"`
	UserID          int64   `json:"user_id"`
	Status          string  `json:"status"`
	ProgressPercent int     `json:"progress_percent"`
	CompletedAt     *string `json:"completed_at"`
}

func TestEnrolmentAPI(t *testing.T) {
	e := newEnv(t)
	c, mods := e.enrolCourse(2)
	token, me := e.token(accounts.RoleLearner)
	other, _ := e.token(accounts.RoleLearner)
	path := "/api/v1/courses/" + itoa(c.ID) + "/enrolments"

	res := e.api(http.MethodPost, path, token, nil)
	wantStatus(t, res, http.StatusCreated)
	var en enrolmentJSON
	decode(t, res, &en)
	if en.UserID != me.ID || en.Status != "active" || en.ProgressPercent != 0 {
		t.Fatalf("enrolment %s", res.body)
	}
	dup := e.api(http.MethodPost, path, token, nil)
	wantStatus(t, dup, http.StatusConflict)

	mine := e.api(http.MethodGet, "/api/v1/me/enrolments", token, nil)
	wantStatus(t, mine, http.StatusOK)
	if !strings.Contains(mine.body, fmt.Sprintf(`"course_id":%d`, c.ID)) || !strings.Contains(mine.body, `"total":1`) {
		t.Errorf("my enrolments %s", mine.body)
	}

	complete := func(tok string, mid int64) response {
		return e.api(http.MethodPost, fmt.Sprintf("/api/v1/enrolments/%d/modules/%d/complete", en.ID, mid), tok, nil)
	}
	// Another learner can neither complete nor withdraw this enrolment.
	wantStatus(t, complete(other, mods[0]), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/enrolments/"+itoa(en.ID), other, nil), http.StatusNotFound)

	res = complete(token, mods[0])
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &en)
	if en.ProgressPercent != 50 {
		t.Errorf("progress %d, want 50", en.ProgressPercent)
	}
	res = complete(token, mods[1])
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &en)
	if en.Status != "completed" || en.CompletedAt == nil || en.ProgressPercent != 100 {
		t.Errorf("after the last module %s", res.body)
	}

	// A learner not enrolled in a course cannot complete its modules.
	c2, mods2 := e.enrolCourse(1)
	_ = c2
	wantStatus(t, e.api(http.MethodPost, fmt.Sprintf("/api/v1/enrolments/%d/modules/%d/complete", en.ID, mods2[0]), token, nil), http.StatusNotFound)
}

func TestEnrolmentPages(t *testing.T) {
	e := newEnv(t)
	c, mods := e.enrolCourse(2)
	b, _ := e.signedIn(accounts.RoleLearner)
	wantStatus(t, b.post("/language", url.Values{"lang": {"es"}}), http.StatusSeeOther)

	visitor := e.browser()
	if res := visitor.get("/courses/" + c.Slug); !strings.Contains(res.body, "/signin?next=/enrol/"+itoa(c.ID)) {
		t.Errorf("visitors are not offered to sign in to enrol")
	}
	if res := b.get("/courses/" + c.Slug); !strings.Contains(res.body, `href="/enrol/`+itoa(c.ID)+`"`) {
		t.Errorf("course page lacks the enrol button:\n%s", res.body)
	}
	confirm := b.get("/enrol/" + itoa(c.ID))
	wantStatus(t, confirm, http.StatusOK)
	if !strings.Contains(confirm.body, "Protección Social Básica") {
		t.Errorf("confirmation page lacks the course title")
	}
	res := b.post("/enrol/"+itoa(c.ID), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/courses/"+c.Slug {
		t.Errorf("after enrolling: redirect to %q", loc)
	}

	my := b.get("/my/courses")
	wantStatus(t, my, http.StatusOK)
	if !strings.Contains(my.body, "Protección Social Básica") || !strings.Contains(my.body, `<progress`) ||
		!strings.Contains(my.body, fmt.Sprintf("/modules/%d", mods[0])) {
		t.Errorf("my courses page:\n%s", my.body)
	}
	var enrolmentID int64
	if err := e.db.NewSelect().Model((*courses.Enrolment)(nil)).Column("id").Where("course_id = ?", c.ID).Scan(t.Context(), &enrolmentID); err != nil {
		t.Fatal(err)
	}
	module := b.get(fmt.Sprintf("/courses/%s/modules/%d", c.Slug, mods[0]))
	wantStatus(t, module, http.StatusOK)
	action := fmt.Sprintf(`action="/enrolments/%d/modules/%d/complete"`, enrolmentID, mods[0])
	if !strings.Contains(module.body, action) {
		t.Fatalf("module page lacks the mark-as-complete form:\n%s", module.body)
	}
	for _, mid := range mods {
		res = b.post(fmt.Sprintf("/enrolments/%d/modules/%d/complete", enrolmentID, mid), nil)
		wantStatus(t, res, http.StatusSeeOther)
	}
	module = b.get(fmt.Sprintf("/courses/%s/modules/%d", c.Slug, mods[0]))
	if !strings.Contains(module.body, "¡Felicitaciones! Completó el curso.") {
		t.Errorf("no congratulations after the last module")
	}
	if strings.Contains(module.body, action) || !strings.Contains(module.body, "Completó este módulo.") {
		t.Errorf("a completed module still offers the button")
	}
	course := b.get("/courses/" + c.Slug)
	if !strings.Contains(course.body, "Completó este curso.") || !strings.Contains(course.body, `value="100"`) {
		t.Errorf("course page does not show the completion")
	}
	done := b.get("/my/courses")
	if !strings.Contains(done.body, "<h2>Completados</h2>") {
		t.Errorf("completed course not shown apart:\n%s", done.body)
	}
	// The buttons are forms: without the CSRF token nothing happens.
	wantStatus(t, b.postRaw(fmt.Sprintf("/enrolments/%d/withdraw", enrolmentID), url.Values{}), http.StatusForbidden)
}

func TestBulkEnrolmentAPI(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	admin, _ := e.token(accounts.RoleAdmin)
	learner, _ := e.token(accounts.RoleLearner)
	acr := unique("ISSM")
	instRes := e.api(http.MethodPost, "/api/v1/institutions", admin, map[string]string{"name": "Instituto Nacional de Segurança Social", "acronym": acr, "country": "MZ"})
	wantStatus(t, instRes, http.StatusCreated)

	n := unique("")
	file := fmt.Sprintf("\xef\xbb\xbfemail;name;institution_acronym\r\nmaria%s@example.org;María Peña;%s\r\njoao%s@example.org;João da Conceição;%s\r\n", n, acr, n, acr)
	path := "/api/v1/courses/" + itoa(c.ID) + "/enrolments/bulk"
	post := func(token, query, body string) response {
		return e.api(http.MethodPost, path+query, token, body, "Content-Type", "text/csv; charset=utf-8")
	}
	wantStatus(t, post(learner, "", file), http.StatusForbidden)

	dry := post(admin, "?dry_run=1", file)
	wantStatus(t, dry, http.StatusOK)
	if !strings.Contains(dry.body, `"created_users":2`) || !strings.Contains(dry.body, `"enrolled":2`) || !strings.Contains(dry.body, `"dry_run":true`) {
		t.Errorf("dry run %s", dry.body)
	}
	if _, err := accounts.NewStore(e.db).UserByEmail(t.Context(), "maria"+n+"@example.org"); err == nil {
		t.Fatal("dry run created a user")
	}

	res := post(admin, "", file)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"created_users":2`) || !strings.Contains(res.body, `"enrolled":2`) || !strings.Contains(res.body, `"already_enrolled":0`) ||
		!strings.Contains(res.body, "http://aula.test/password/") {
		t.Errorf("import %s", res.body)
	}
	u, err := accounts.NewStore(e.db).UserByEmail(t.Context(), "joao"+n+"@example.org")
	if err != nil || u.Name != "João da Conceição" {
		t.Fatalf("imported user %+v %v", u, err)
	}
	again := post(admin, "", file)
	wantStatus(t, again, http.StatusOK)
	if !strings.Contains(again.body, `"already_enrolled":2`) || !strings.Contains(again.body, `"enrolled":0`) {
		t.Errorf("re-run %s", again.body)
	}

	bad := fmt.Sprintf("email,name,institution_acronym\nok%s@example.org,Ok,%s\nnot-an-email,X,%s\nok%s@example.org,Twice,%s\nz%s@example.org,Z,NOPE\n", n, acr, acr, n, acr, n)
	res = e.api(http.MethodPost, path, admin, bad, "Content-Type", "text/csv", "Accept-Language", "pt")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var body struct {
		Error struct {
			Code string
			Rows []struct {
				Line    int
				Message string
			}
		}
	}
	decode(t, res, &body)
	// Every bad line at once: the two the file shows and the unknown
	// institution only the database knows of.
	if len(body.Error.Rows) != 3 || body.Error.Rows[0].Line != 3 || body.Error.Rows[1].Line != 4 || body.Error.Rows[2].Line != 5 ||
		!strings.Contains(body.Error.Rows[0].Message, "não é um e-mail válido") || !strings.Contains(body.Error.Rows[2].Message, "NOPE") {
		t.Errorf("422 rows %s", res.body)
	}
	if _, err := accounts.NewStore(e.db).UserByEmail(t.Context(), "ok"+n+"@example.org"); err == nil {
		t.Fatal("a bad file created a user")
	}
}

func TestRosterAccess(t *testing.T) {
	e := newEnv(t)
	teacher := e.user(accounts.RoleInstructor)
	c, _ := e.enrolCourse(1, teacher.ID)
	tb := e.browser()
	wantStatus(t, tb.signIn(teacher.Email, testPassword), http.StatusSeeOther)
	learner, _ := e.signedIn(accounts.RoleLearner)
	otherTeacher, _ := e.signedIn(accounts.RoleInstructor)
	learnerToken, lu := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", learnerToken, nil), http.StatusCreated)

	page := "/manage/courses/" + itoa(c.ID) + "/enrolments"
	res := tb.get(page)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, lu.Name) {
		t.Error("roster lacks the enrolled learner")
	}
	if strings.Contains(res.body, "enrolments/bulk") {
		t.Error("instructors are shown the admin enrolment forms")
	}
	wantStatus(t, learner.get(page), http.StatusForbidden)
	wantStatus(t, otherTeacher.get(page), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", learnerToken, nil), http.StatusForbidden)

	// A second learner: pages of one, the next one by the cursor, on the
	// page's next link and in the API.
	secondToken, second := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", secondToken, nil), http.StatusCreated)
	res = tb.get(page + "?limit=1")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "after=") {
		t.Errorf("the roster's next link carries no cursor:\n%s", res.body)
	}
	teacherToken := e.tokenFor(teacher)
	var out struct {
		Items []struct {
			User struct{ ID int64 } `json:"user"`
		} `json:"items"`
		Total int    `json:"total"`
		Next  string `json:"next"`
	}
	decode(t, e.api(http.MethodGet, "/api/v1/courses/"+itoa(c.ID)+"/enrolments?limit=1", teacherToken, nil), &out)
	if out.Total != 2 || len(out.Items) != 1 || out.Next == "" {
		t.Fatalf("first page %+v", out)
	}
	firstID, next := out.Items[0].User.ID, out.Next
	out.Next = "unchanged"
	decode(t, e.api(http.MethodGet, "/api/v1/courses/"+itoa(c.ID)+"/enrolments?limit=1&after="+url.QueryEscape(next), teacherToken, nil), &out)
	if len(out.Items) != 1 || out.Items[0].User.ID == firstID || out.Next != "" || (out.Items[0].User.ID != lu.ID && out.Items[0].User.ID != second.ID) {
		t.Errorf("second page %+v", out)
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/courses/"+itoa(c.ID)+"/enrolments?after=nobody", teacherToken, nil), http.StatusUnprocessableEntity)
}

func TestBulkEnrolmentPage(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	page := "/manage/courses/" + itoa(c.ID) + "/enrolments"
	wantStatus(t, admin.get(page), http.StatusOK)

	upload := func(csv string, dryRun bool) response {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("csrf", admin.csrf)
		if dryRun {
			w.WriteField("dry_run", "1")
		}
		fw, _ := w.CreateFormFile("file", "turma.csv")
		fw.Write([]byte(csv))
		w.Close()
		req := httptest.NewRequest(http.MethodPost, page+"/bulk", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return admin.do(req)
	}
	n := unique("")
	res := upload(fmt.Sprintf("email;name;institution_acronym\r\nana%s@example.org;Ana Conceição;\r\n", n), true)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "nothing was changed") || !strings.Contains(res.body, "Ana Conceição") {
		t.Errorf("dry run page:\n%s", res.body)
	}
	res = upload(fmt.Sprintf("email;name;institution_acronym\r\nana%s@example.org;Ana Conceição;\r\n", n), false)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "/password/") || !strings.Contains(res.body, "Ana Conceição") {
		t.Errorf("import page lacks the password link:\n%s", res.body)
	}
	if !strings.Contains(res.body, page+"/imports/") {
		t.Errorf("import page does not link the kept report:\n%s", res.body)
	}
	res = upload("email;name;institution_acronym\r\nbroken;X;\r\n", false)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Line 2") || !strings.Contains(res.body, "is not a valid email address") {
		t.Errorf("bad file page:\n%s", res.body)
	}
}
