package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/wiring"
)

// institution creates a member institution with a unique acronym.
func (e *env) institution() *accounts.Institution {
	e.t.Helper()
	inst := &accounts.Institution{Name: "Instituto de Previsão Social " + unique(""), Acronym: unique("IPS"), Country: "PT"}
	if err := accounts.NewStore(e.db).InsertInstitution(context.Background(), inst); err != nil {
		e.t.Fatal(err)
	}
	return inst
}

// staff creates a learner of inst named name.
func (e *env) staff(inst *accounts.Institution, name string) *accounts.User {
	e.t.Helper()
	u := &accounts.User{Email: unique("staff") + "@example.org", Name: name, Role: accounts.RoleLearner, Locale: "es",
		InstitutionID: &inst.ID, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(e.db).InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// signedInAs returns a browser signed in as u.
func (e *env) signedInAs(u *accounts.User) *client {
	e.t.Helper()
	c := e.browser()
	if res := c.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d", u.Email, res.StatusCode)
	}
	return c
}

// tokenOf returns an API token of u.
func (e *env) tokenOf(u *accounts.User) string {
	e.t.Helper()
	res := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": testPassword})
	wantStatus(e.t, res, http.StatusCreated)
	var out struct{ Token string }
	decode(e.t, res, &out)
	return out.Token
}

// world is one installation with every role around one published course:
// its instructor, another instructor, a learner, an admin, and two
// institutions, each with enrolled staff, the first with a coordinator.
type world struct {
	*env
	svc          *wiring.Services
	course       *courses.Course
	mine, theirs *accounts.Institution
	colleague    *accounts.User // staff of mine, enrolled
	stranger     *accounts.User // staff of theirs, enrolled
	pages        map[string]*client
	apiTokens    map[string]string
}

// roles are the people a route × role test tries, "anonymous" included.
var roles = []string{"anonymous", "learner", "instructor", "course instructor", "coordinator", "admin"}

func newWorld(t *testing.T) *world {
	t.Helper()
	e, svc := newInstallation(t, installation{})
	w := &world{env: e, svc: svc, mine: e.institution(), theirs: e.institution(), pages: map[string]*client{}, apiTokens: map[string]string{}}
	teacher := e.user(accounts.RoleInstructor)
	w.course, _ = e.enrolCourse(1, teacher.ID)
	w.colleague = e.staff(w.mine, "José Núñez Peña")
	w.stranger = e.staff(w.theirs, "Conceição Araújo")
	for _, u := range []*accounts.User{w.colleague, w.stranger} {
		if _, err := svc.Courses.Enrol(context.Background(), u.ID, w.course.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	coordinator := &accounts.User{Email: unique("coord") + "@example.org", Name: "Inês Coordenadora", Role: accounts.RoleCoordinator,
		Locale: "en", InstitutionID: &w.mine.ID, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(e.db).InsertUser(context.Background(), coordinator); err != nil {
		t.Fatal(err)
	}
	people := map[string]*accounts.User{
		"learner":           e.user(accounts.RoleLearner),
		"instructor":        e.user(accounts.RoleInstructor),
		"course instructor": teacher,
		"coordinator":       coordinator,
		"admin":             e.user(accounts.RoleAdmin),
	}
	anon := e.browser()
	anon.get("/")
	w.pages["anonymous"] = anon
	for role, u := range people {
		w.pages[role] = e.signedInAs(u)
		w.apiTokens[role] = e.tokenOf(u)
	}
	return w
}

// cell is one route tried as one role: the status it must answer, and
// text the answer must (or must not) show.
type cell struct {
	status int
	has    []string
	hasNot []string
}

// TestRoutesByRole tries the routes whose answer depends on who asks, as
// every role, and checks status and what each is shown: coordinators see
// and enrol their own institution's staff only, never another's, and are
// refused what only admins and instructors do.
func TestRoutesByRole(t *testing.T) {
	w := newWorld(t)
	id := itoa(w.course.ID)
	roster := "/manage/courses/" + id + "/enrolments"
	colleague, stranger := w.colleague.Name, w.stranger.Name
	everyone := cell{status: 200, has: []string{colleague, stranger}}
	ownOnly := cell{status: 200, has: []string{colleague}, hasNot: []string{stranger}}
	signIn, denied, unauth := cell{status: 303}, cell{status: 403}, cell{status: 401}
	forbidNonAdmin := func(admin cell) map[string]cell {
		return map[string]cell{"anonymous": unauth, "learner": denied, "instructor": denied, "course instructor": denied, "coordinator": denied, "admin": admin}
	}
	csv := func(acronym string) string {
		return fmt.Sprintf("email,name,institution_acronym\n%s@example.org,Íñigo Peña,%s\n", unique("nuevo"), acronym)
	}

	type route struct {
		method, path string
		api          bool
		body         func() string // form or CSV body, made anew for each role
		want         map[string]cell
	}
	for _, r := range []route{
		{"GET", roster, false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied,
			"course instructor": everyone, "coordinator": ownOnly, "admin": everyone}},
		{"GET", roster + "?institution_id=" + itoa(w.theirs.ID), false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied,
			"course instructor": {status: 200, has: []string{stranger}, hasNot: []string{colleague}}, "coordinator": denied,
			"admin": {status: 200, has: []string{stranger}, hasNot: []string{colleague}}}},
		{"GET", "/api/v1/courses/" + id + "/enrolments", true, nil, map[string]cell{"anonymous": unauth, "learner": denied, "instructor": denied,
			"course instructor": {status: 200, has: []string{`"total":2`}}, "coordinator": {status: 200, has: []string{`"total":1`, fmt.Sprintf(`"id":%d`, w.colleague.ID)}},
			"admin": {status: 200, has: []string{`"total":2`}}}},
		{"POST", roster, false, func() string { return url.Values{"email": {w.stranger.Email}}.Encode() }, forbidNonAdminPage("POST", cell{status: 422}, denied)},
		{"POST", roster + "/cohort", false, func() string { return url.Values{"institution_id": {itoa(w.theirs.ID)}}.Encode() }, forbidNonAdminPage("POST", cell{status: 200}, denied)},
		{"POST", roster + "/cohort", false, func() string { return url.Values{"institution_id": {itoa(w.mine.ID)}}.Encode() }, forbidNonAdminPage("POST", cell{status: 200}, cell{status: 200})},
		{"GET", roster + "/imports", false, nil, forbidNonAdminPage("GET", cell{status: 200}, cell{status: 200})},
		{"POST", "/api/v1/courses/" + id + "/enrolments/bulk", true, func() string { return csv(w.theirs.Acronym) }, withCoordinator(forbidNonAdmin(cell{status: 200}), denied)},
		{"POST", "/api/v1/courses/" + id + "/enrolments/bulk", true, func() string { return csv(w.mine.Acronym) }, withCoordinator(forbidNonAdmin(cell{status: 200}), cell{status: 200})},
		{"POST", "/api/v1/courses/" + id + "/enrolments/bulk", true, func() string { return csv("") }, withCoordinator(forbidNonAdmin(cell{status: 200}), cell{status: 200})},
		{"POST", "/api/v1/courses/" + id + "/enrolments/manual", true, func() string { return fmt.Sprintf(`{"user_id":%d}`, w.stranger.ID) },
			withCoordinator(forbidNonAdmin(cell{status: 409}), denied)},
		{"GET", "/api/v1/courses/" + id + "/enrolments/imports", true, nil, withCoordinator(forbidNonAdmin(cell{status: 200}), cell{status: 200})},
		{"GET", "/reports/courses/" + id + "/gradebook", false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied,
			"course instructor": everyone, "coordinator": ownOnly, "admin": everyone}},
		{"GET", "/reports/courses/" + id + "/gradebook.csv", false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied,
			"course instructor": everyone, "coordinator": ownOnly, "admin": everyone}},
		{"GET", "/api/v1/courses/" + id + "/gradebook", true, nil, map[string]cell{"anonymous": unauth, "learner": denied, "instructor": denied,
			"course instructor": everyone, "coordinator": ownOnly, "admin": everyone}},
		{"GET", "/reports/institutions/" + itoa(w.mine.ID), false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied,
			"course instructor": denied, "coordinator": {status: 200, has: []string{w.mine.Name}}, "admin": {status: 200, has: []string{w.mine.Name}}}},
		{"GET", "/reports/institutions/" + itoa(w.theirs.ID), false, nil, forbidNonAdminPage("GET", cell{status: 200}, denied)},
		{"GET", "/reports/institutions/" + itoa(w.theirs.ID) + "/figures.csv?by=month", false, nil, forbidNonAdminPage("GET", cell{status: 200}, denied)},
		{"GET", "/api/v1/institutions/" + itoa(w.theirs.ID) + "/report", true, nil, withCoordinator(forbidNonAdmin(cell{status: 200}), denied)},
		{"GET", "/api/v1/institutions/" + itoa(w.mine.ID) + "/report", true, nil, withCoordinator(forbidNonAdmin(cell{status: 200}), cell{status: 200})},
		{"GET", "/reports/network", false, nil, forbidNonAdminPage("GET", cell{status: 200, has: []string{w.mine.Name, w.theirs.Name}}, denied)},
		{"GET", "/reports/network/figures.csv?by=country", false, nil, forbidNonAdminPage("GET", cell{status: 200}, denied)},
		{"GET", "/api/v1/reports/network", true, nil, forbidNonAdmin(cell{status: 200})},
		{"GET", "/reports", false, nil, map[string]cell{"anonymous": signIn, "learner": denied, "instructor": denied, "course instructor": denied,
			"coordinator": {status: 303}, "admin": {status: 303}}},
	} {
		for _, role := range roles {
			want, ok := r.want[role]
			if !ok {
				t.Fatalf("%s %s: no expectation for %s", r.method, r.path, role)
			}
			var res response
			body := ""
			if r.body != nil {
				body = r.body()
			}
			switch {
			case r.api:
				ctype := "application/json"
				if strings.HasSuffix(r.path, "/bulk") {
					ctype = "text/csv"
				}
				res = w.api(r.method, r.path, w.apiTokens[role], body, "Content-Type", ctype)
			case r.method == http.MethodGet:
				res = w.pages[role].get(r.path)
			default:
				form, _ := url.ParseQuery(body)
				res = w.pages[role].post(r.path, form)
			}
			if res.StatusCode != want.status {
				t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, role, res.StatusCode, want.status)
				continue
			}
			for _, s := range want.has {
				if !strings.Contains(res.body, s) {
					t.Errorf("%s %s as %s: the answer lacks %q", r.method, r.path, role, s)
				}
			}
			for _, s := range want.hasNot {
				if strings.Contains(res.body, s) {
					t.Errorf("%s %s as %s: the answer shows %q", r.method, r.path, role, s)
				}
			}
		}
	}
}

// forbidNonAdminPage is a page route only admins and coordinators may
// use: others are refused, visitors sent to sign in (GET) or told 401.
func forbidNonAdminPage(method string, admin, coordinator cell) map[string]cell {
	denied, anon := cell{status: 403}, cell{status: 401}
	if method == http.MethodGet {
		anon = cell{status: 303}
	}
	return map[string]cell{"anonymous": anon, "learner": denied, "instructor": denied, "course instructor": denied,
		"coordinator": coordinator, "admin": admin}
}

// withCoordinator sets the coordinator's cell of a row.
func withCoordinator(row map[string]cell, coordinator cell) map[string]cell {
	row["coordinator"] = coordinator
	return row
}
