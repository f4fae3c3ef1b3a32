package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestSelfEnrolmentKeepsDraftsSecret: enrolling in a draft one cannot see
// answers 404, exactly like its page, not "not published".
func TestSelfEnrolmentKeepsDraftsSecret(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	if _, err := e.db.NewUpdate().Table("courses").Set("status = 'draft'").Where("id = ?", c.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	token, _ := e.token(accounts.RoleLearner)
	res := e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", token, nil)
	wantStatus(t, res, http.StatusNotFound)
	var body apiError
	decode(t, res, &body)
	if body.Error.Code != "not_found" {
		t.Errorf("draft enrolment answered %s", res.body)
	}
	// The same as a course that never existed.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/987654321/enrolments", token, nil), http.StatusNotFound)

	b, _ := e.signedIn(accounts.RoleLearner)
	b.get("/my/courses")
	wantStatus(t, b.post("/enrol/"+itoa(c.ID), nil), http.StatusNotFound)
}

// TestWithdrawAPIAndPage: a learner leaves a course through the API and
// through the page; it leaves "My courses", and only the owner can do it.
func TestWithdrawAPIAndPage(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	token, _ := e.token(accounts.RoleLearner)
	res := e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", token, nil)
	wantStatus(t, res, http.StatusCreated)
	var en enrolmentJSON
	decode(t, res, &en)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/enrolments/"+itoa(en.ID), token, nil), http.StatusNoContent)
	mine := e.api(http.MethodGet, "/api/v1/me/enrolments", token, nil)
	if !strings.Contains(mine.body, `"total":0`) {
		t.Errorf("after withdrawing: %s", mine.body)
	}
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/enrolments/"+itoa(en.ID), token, nil), http.StatusNotFound)

	b, _ := e.signedIn(accounts.RoleLearner)
	b.get("/enrol/" + itoa(c.ID))
	wantStatus(t, b.post("/enrol/"+itoa(c.ID), nil), http.StatusSeeOther)
	var id int64
	if err := e.db.NewSelect().Table("enrolments").Column("id").Where("course_id = ? AND id <> ?", c.ID, en.ID).Scan(t.Context(), &id); err != nil {
		t.Fatal(err)
	}
	other, _ := e.signedIn(accounts.RoleLearner)
	wantStatus(t, other.get(fmt.Sprintf("/enrolments/%d/withdraw", id)), http.StatusNotFound)

	confirm := b.get(fmt.Sprintf("/enrolments/%d/withdraw", id))
	wantStatus(t, confirm, http.StatusOK)
	wantBody(t, confirm, "Protección Social Básica", "Leave the course")
	res = b.post(fmt.Sprintf("/enrolments/%d/withdraw", id), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/my/courses" {
		t.Errorf("after withdrawing: redirect to %q", loc)
	}
	my := b.get("/my/courses")
	wantBody(t, my, "You have left the course.")
	if strings.Contains(my.body, "Protección Social Básica") {
		t.Error("a withdrawn course is still in My courses")
	}
}

// TestManualEnrolment: an admin enrols a user by id or email over the
// API and by email on the roster page; mistakes are told on the field.
func TestManualEnrolment(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	admin, _ := e.token(accounts.RoleAdmin)
	instructor, iu := e.token(accounts.RoleInstructor)
	if _, err := e.db.NewInsert().Model(&courses.CourseInstructor{CourseID: c.ID, UserID: iu.ID}).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	byID, byEmail := e.user(accounts.RoleLearner), e.user(accounts.RoleLearner)
	path := "/api/v1/courses/" + itoa(c.ID) + "/enrolments/manual"

	res := e.api(http.MethodPost, path, admin, map[string]any{"user_id": byID.ID})
	wantStatus(t, res, http.StatusCreated)
	var en enrolmentJSON
	decode(t, res, &en)
	if en.UserID != byID.ID || en.Status != "active" {
		t.Errorf("enrolled by id: %s", res.body)
	}
	wantStatus(t, e.api(http.MethodPost, path, admin, map[string]any{"email": strings.ToUpper(byEmail.Email)}), http.StatusCreated)
	wantStatus(t, e.api(http.MethodPost, path, admin, map[string]any{"user_id": byID.ID}), http.StatusConflict)
	res = e.api(http.MethodPost, path, admin, map[string]any{"email": "nadie@example.org"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var body apiError
	decode(t, res, &body)
	if body.Error.Fields["email"] == "" {
		t.Errorf("unknown email: %s", res.body)
	}
	// The course's own instructor sees the roster but enrols nobody.
	wantStatus(t, e.api(http.MethodPost, path, instructor, map[string]any{"user_id": e.user(accounts.RoleLearner).ID}), http.StatusForbidden)
	roster := e.api(http.MethodGet, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", instructor, nil)
	wantStatus(t, roster, http.StatusOK)
	if !strings.Contains(roster.body, `"total":2`) || !strings.Contains(roster.body, byEmail.Name) {
		t.Errorf("roster %s", roster.body)
	}

	b, _ := e.signedIn(accounts.RoleAdmin)
	page := "/manage/courses/" + itoa(c.ID) + "/enrolments"
	b.get(page)
	third := e.user(accounts.RoleLearner)
	res = b.post(page, url.Values{"email": {third.Email}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != page {
		t.Errorf("after enrolling: redirect to %q", loc)
	}
	after := b.get(page)
	wantBody(t, after, "The user is enrolled.", third.Name)
	res = b.post(page, url.Values{"email": {third.Email}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "Already enrolled in this course.", `value="`+third.Email+`"`)
	res = b.post(page, url.Values{"email": {"nadie@example.org"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "No user has this email.")
}

// TestCohortEnrolment: an admin enrols every enabled learner of an
// institution, over the API and on the roster page; a second time adds
// nobody.
func TestCohortEnrolment(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	admin, _ := e.token(accounts.RoleAdmin)
	learnerToken, _ := e.token(accounts.RoleLearner)
	res := e.api(http.MethodPost, "/api/v1/institutions", admin, map[string]string{"name": "Instituto Nacional do Seguro Social", "acronym": unique("INSS"), "country": "BR"})
	wantStatus(t, res, http.StatusCreated)
	var inst struct{ ID int64 }
	decode(t, res, &inst)
	for i := 0; i < 3; i++ {
		u := e.user(accounts.RoleLearner)
		if _, err := e.db.NewUpdate().Table("users").Set("institution_id = ?", inst.ID).Set("disabled = ?", i == 2).Where("id = ?", u.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	path := "/api/v1/courses/" + itoa(c.ID) + "/enrolments/cohort"
	wantStatus(t, e.api(http.MethodPost, path, learnerToken, map[string]any{"institution_id": inst.ID}), http.StatusForbidden)
	res = e.api(http.MethodPost, path, admin, map[string]any{"institution_id": inst.ID})
	wantStatus(t, res, http.StatusOK)
	if res.body != `{"enrolled":2}` {
		t.Errorf("cohort: %s", res.body)
	}
	wantStatus(t, e.api(http.MethodPost, path, admin, map[string]any{"institution_id": 987654321}), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodPost, path, admin, map[string]any{}), http.StatusUnprocessableEntity)

	u := e.user(accounts.RoleLearner)
	if _, err := e.db.NewUpdate().Table("users").Set("institution_id = ?", inst.ID).Where("id = ?", u.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, _ := e.signedIn(accounts.RoleAdmin)
	page := "/manage/courses/" + itoa(c.ID) + "/enrolments"
	b.get(page)
	res = b.post(page+"/cohort", url.Values{"institution_id": {itoa(inst.ID)}})
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, "1 learner newly enrolled.", u.Name)
}

// TestTeachingPage: /manage/courses lists an instructor's own courses and
// every course for an admin.
func TestTeachingPage(t *testing.T) {
	e := newCoursesEnv(t, 0)
	b, teacher := e.signedIn(accounts.RoleInstructor)
	mine, _ := e.course(teacher, "Mi curso de pensiones", false)
	otherTeacher := e.user(accounts.RoleInstructor)
	theirs, _ := e.course(otherTeacher, "Curso ajeno", false)

	res := b.get("/manage/courses")
	wantStatus(t, res, http.StatusOK)
	wantBody(t, res, mine.Title, fmt.Sprintf(`href="/manage/courses/%d"`, mine.ID))
	if strings.Contains(res.body, theirs.Title) {
		t.Error("an instructor sees another instructor's course")
	}
	admin, _ := e.signedIn(accounts.RoleAdmin)
	all := admin.get("/manage/courses?limit=100")
	wantStatus(t, all, http.StatusOK)
	wantBody(t, all, mine.Title, theirs.Title)
}
