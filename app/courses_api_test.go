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

// apiCourse is the course of the API contract, with the outline.
type apiCourse struct {
	ID            int64   `json:"id"`
	Slug          string  `json:"slug"`
	Title         string  `json:"title"`
	Summary       string  `json:"summary"`
	Language      string  `json:"language"`
	WorkloadHours int     `json:"workload_hours"`
	Status        string  `json:"status"`
	PublishedAt   *string `json:"published_at"`
	Instructors   []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"instructors"`
	Modules []struct {
		ID       int64  `json:"id"`
		Title    string `json:"title"`
		Position int    `json:"position"`
		Archived bool   `json:"archived"`
	} `json:"modules"`
}

type apiModule struct {
	ID           int64   `json:"id"`
	Title        string  `json:"title"`
	Position     int     `json:"position"`
	BodyHTML     *string `json:"body_html"`
	BodyMarkdown *string `json:"body_markdown"`
	PrevID       *int64  `json:"prev_id"`
	NextID       *int64  `json:"next_id"`
}

func TestCoursesAPI(t *testing.T) {
	e := newCoursesEnv(t, 0)
	teacher, teacherUser := e.token(accounts.RoleInstructor)
	learner, learnerUser := e.token(accounts.RoleLearner)
	title := "Extensão da proteção social " + unique("")

	// Create: a draft with a slug made from the title.
	res := e.api(http.MethodPost, "/api/v1/courses", teacher, map[string]any{
		"title": title, "summary": "Como chegar aos trabalhadores informais.", "language": "pt", "workload_hours": 20})
	wantStatus(t, res, http.StatusCreated)
	var co apiCourse
	decode(t, res, &co)
	if co.Status != "draft" || co.Slug != courses.Slugify(title) || co.PublishedAt != nil || co.Modules == nil || len(co.Modules) != 0 {
		t.Fatalf("created %+v", co)
	}
	if len(co.Instructors) != 1 || co.Instructors[0].ID != teacherUser.ID {
		t.Errorf("instructors %+v, want the creator", co.Instructors)
	}
	if !strings.Contains(res.body, `"published_at":null`) {
		t.Errorf("published_at missing: %s", res.body)
	}
	base := fmt.Sprintf("/api/v1/courses/%d", co.ID)

	// Same title again: the slug gets -2.
	res = e.api(http.MethodPost, "/api/v1/courses", teacher, map[string]any{"title": title, "language": "pt", "workload_hours": 20})
	wantStatus(t, res, http.StatusCreated)
	var twin apiCourse
	decode(t, res, &twin)
	if twin.Slug != co.Slug+"-2" {
		t.Errorf("second slug %q, want %q", twin.Slug, co.Slug+"-2")
	}
	// A slug typed by hand that is taken: 409 on the slug field.
	res = e.api(http.MethodPost, "/api/v1/courses", teacher, map[string]any{"title": "x", "slug": co.Slug, "language": "pt", "workload_hours": 1}, "Accept-Language", "es")
	wantStatus(t, res, http.StatusConflict)
	var conflict apiError
	decode(t, res, &conflict)
	if conflict.Error.Code != "slug_taken" || conflict.Error.Fields["slug"] != "Otro curso ya usa esta dirección web." {
		t.Errorf("conflict %+v", conflict)
	}
	// Bad input: 422 per field.
	res = e.api(http.MethodPost, "/api/v1/courses", teacher, map[string]any{"title": "", "language": "fr", "workload_hours": 0})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var invalid apiError
	decode(t, res, &invalid)
	for _, f := range []string{"title", "language", "workload_hours"} {
		if invalid.Error.Fields[f] == "" {
			t.Errorf("no message for %s: %s", f, res.body)
		}
	}

	// Publish without a module: 422.
	res = e.api(http.MethodPost, base+"/publish", teacher, nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var noMod apiError
	decode(t, res, &noMod)
	if noMod.Error.Code != "no_modules" || noMod.Error.Message == "" {
		t.Errorf("publish without modules: %s", res.body)
	}

	// Modules: added last, or at a position.
	var mods []apiModule
	for _, m := range []map[string]any{
		{"title": "Informalidade", "body_markdown": "## Quem fica de fora\n\nTexto."},
		{"title": "Introdução", "body_markdown": "Começamos aqui.", "position": 1},
		{"title": "Financiamento", "body_markdown": "Contribuições e impostos."},
	} {
		res = e.api(http.MethodPost, base+"/modules", teacher, m)
		wantStatus(t, res, http.StatusCreated)
		var got apiModule
		decode(t, res, &got)
		mods = append(mods, got)
	}
	if mods[1].Position != 1 || mods[2].Position != 3 || mods[0].BodyHTML == nil || !strings.Contains(*mods[0].BodyHTML, `<h2 id="quem-fica-de-fora">`) {
		t.Errorf("modules %+v", mods)
	}

	// PATCH keeps what is left out.
	res = e.api(http.MethodPatch, base, teacher, map[string]any{"workload_hours": 24})
	wantStatus(t, res, http.StatusOK)
	var patched apiCourse
	decode(t, res, &patched)
	if patched.WorkloadHours != 24 || patched.Title != title || patched.Language != "pt" || len(patched.Instructors) != 1 {
		t.Errorf("patched %+v", patched)
	}
	res = e.api(http.MethodPatch, fmt.Sprintf("%s/modules/%d", base, mods[2].ID), teacher, map[string]any{"position": 1})
	wantStatus(t, res, http.StatusOK)

	res = e.api(http.MethodPost, base+"/publish", teacher, nil)
	wantStatus(t, res, http.StatusOK)
	var published apiCourse
	decode(t, res, &published)
	if published.Status != "published" || published.PublishedAt == nil || !strings.HasSuffix(*published.PublishedAt, "Z") {
		t.Errorf("published %+v", published)
	}
	var order []string
	for _, m := range published.Modules {
		order = append(order, m.Title)
	}
	if strings.Join(order, ",") != "Financiamento,Introdução,Informalidade" {
		t.Errorf("outline %v", order)
	}

	// Anyone reads the course; modules are for the enrolled.
	res = e.api(http.MethodGet, base, "", nil)
	wantStatus(t, res, http.StatusOK)
	mod := fmt.Sprintf("%s/modules/%d", base, mods[0].ID)
	wantStatus(t, e.api(http.MethodGet, mod, "", nil), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodGet, mod, learner, nil), http.StatusForbidden)
	e.enrol(learnerUser, co.ID)
	res = e.api(http.MethodGet, mod, learner, nil)
	wantStatus(t, res, http.StatusOK)
	var read apiModule
	decode(t, res, &read)
	if read.BodyHTML == nil || read.BodyMarkdown != nil || read.PrevID == nil || *read.PrevID != mods[1].ID || read.NextID != nil {
		t.Errorf("module as read by a learner: %s", res.body)
	}
	res = e.api(http.MethodGet, mod, teacher, nil)
	decode(t, res, &read)
	if read.BodyMarkdown == nil {
		t.Errorf("the instructor does not get the Markdown: %s", res.body)
	}

	// With a learner enrolled, modules are archived, not deleted.
	res = e.api(http.MethodDelete, mod, teacher, nil)
	wantStatus(t, res, http.StatusConflict)
	wantStatus(t, e.api(http.MethodPost, mod+"/archive", teacher, nil), http.StatusOK)
	wantStatus(t, e.api(http.MethodGet, mod, learner, nil), http.StatusNotFound)
	res = e.api(http.MethodGet, base, learner, nil)
	if strings.Contains(res.body, "Informalidade") {
		t.Errorf("learners see an archived module: %s", res.body)
	}
	res = e.api(http.MethodGet, base, teacher, nil)
	wantBody(t, res, `"archived":true`)

	// Archive the course: out of the catalogue, still open to the enrolled.
	wantStatus(t, e.api(http.MethodPost, base+"/archive", teacher, nil), http.StatusOK)
	wantStatus(t, e.api(http.MethodGet, base, "", nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodGet, base, learner, nil), http.StatusOK)
}

func TestCoursesAPIAuthorisation(t *testing.T) {
	e := newCoursesEnv(t, 0)
	_, ownerUser := e.token(accounts.RoleInstructor)
	other, _ := e.token(accounts.RoleInstructor)
	learner, _ := e.token(accounts.RoleLearner)
	admin, _ := e.token(accounts.RoleAdmin)
	draft, draftMods := e.course(ownerUser, "Borrador API", false, "Uno")
	pub, pubMods := e.course(ownerUser, "Publicado API", true, "Uno", "Dos")
	d := fmt.Sprintf("/api/v1/courses/%d", draft.ID)
	p := fmt.Sprintf("/api/v1/courses/%d", pub.ID)
	patch := map[string]any{"title": "Cambiado"}
	mod := map[string]any{"title": "Intruso"}

	tests := []struct {
		name, token, method, path string
		body                      any
		want                      int
	}{
		{"visitor creates", "", http.MethodPost, "/api/v1/courses", map[string]any{"title": "x", "language": "es", "workload_hours": 1}, http.StatusUnauthorized},
		{"learner creates", learner, http.MethodPost, "/api/v1/courses", map[string]any{"title": "x", "language": "es", "workload_hours": 1}, http.StatusForbidden},
		{"learner edits", learner, http.MethodPatch, p, patch, http.StatusForbidden},
		{"learner adds a module", learner, http.MethodPost, p + "/modules", mod, http.StatusForbidden},
		{"learner publishes", learner, http.MethodPost, d + "/publish", nil, http.StatusForbidden},
		{"other instructor edits a published course", other, http.MethodPatch, p, patch, http.StatusForbidden},
		{"other instructor adds a module", other, http.MethodPost, p + "/modules", mod, http.StatusForbidden},
		{"other instructor archives", other, http.MethodPost, p + "/archive", nil, http.StatusForbidden},
		{"other instructor deletes a module", other, http.MethodDelete, fmt.Sprintf("%s/modules/%d", p, pubMods[1].ID), nil, http.StatusForbidden},
		{"other instructor reads a module", other, http.MethodGet, fmt.Sprintf("%s/modules/%d", p, pubMods[0].ID), nil, http.StatusForbidden},
		{"other instructor edits a draft", other, http.MethodPatch, d, patch, http.StatusNotFound},
		{"other instructor publishes a draft", other, http.MethodPost, d + "/publish", nil, http.StatusNotFound},
		{"other instructor sees a draft", other, http.MethodGet, d, nil, http.StatusNotFound},
		{"visitor sees a draft", "", http.MethodGet, d, nil, http.StatusNotFound},
		{"learner sees a draft", learner, http.MethodGet, d, nil, http.StatusNotFound},
		{"learner reads a draft module", learner, http.MethodGet, fmt.Sprintf("%s/modules/%d", d, draftMods[0].ID), nil, http.StatusNotFound},
		{"admin sees a draft", admin, http.MethodGet, d, nil, http.StatusOK},
		{"admin edits a draft", admin, http.MethodPatch, d, map[string]any{"summary": "Revisado."}, http.StatusOK},
		{"unknown course", admin, http.MethodGet, "/api/v1/courses/999999999", nil, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, e.api(tc.method, tc.path, tc.token, tc.body), tc.want)
		})
	}
	res := e.api(http.MethodGet, p, "", nil)
	wantBody(t, res, pub.Title)
	if strings.Contains(res.body, "Cambiado") || strings.Contains(res.body, "Intruso") {
		t.Errorf("a refused change went through: %s", res.body)
	}
}

func TestCatalogAPI(t *testing.T) {
	e := newCoursesEnv(t, 0)
	_, teacher := e.token(accounts.RoleInstructor)
	n := unique("")
	author := courses.ActorFor(teacher)
	publish := func(title, lang string) *courses.Course {
		t.Helper()
		c, err := e.courses.CreateCourse(t.Context(), author, courses.CourseParams{Title: title + " " + n, Language: lang, WorkloadHours: 10})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.courses.CreateModule(t.Context(), author, c.ID, courses.ModuleParams{Title: "M"}); err != nil {
			t.Fatal(err)
		}
		if c, err = e.courses.Publish(t.Context(), author, c.ID); err != nil {
			t.Fatal(err)
		}
		return c
	}
	es := publish("Seguridad Social y protección", "es")
	pt := publish("Proteção social no Brasil", "pt")

	search := func(query string) catalogList {
		t.Helper()
		res := e.api(http.MethodGet, "/api/v1/courses?"+query, "", nil)
		wantStatus(t, res, http.StatusOK)
		var out catalogList
		decode(t, res, &out)
		if out.Items == nil {
			t.Fatalf("no items list: %s", res.body)
		}
		return out
	}
	has := func(l catalogList, id int64) bool {
		for _, c := range l.Items {
			if c.ID == id {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		query  string
		wantES bool
		wantPT bool
	}{
		{"q=" + url.QueryEscape("seguridad social "+n), true, false},
		{"q=" + url.QueryEscape("protecao "+n), false, true},
		{"q=" + url.QueryEscape("PROTECCION "+n), true, false},
		{"q=" + url.QueryEscape("proteç "+n), true, true},
		{"q=" + url.QueryEscape("social "+n) + "&language=pt", false, true},
	} {
		got := search(tc.query)
		if has(got, es.ID) != tc.wantES || has(got, pt.ID) != tc.wantPT {
			t.Errorf("%s: es %v pt %v; want %v %v", tc.query, has(got, es.ID), has(got, pt.ID), tc.wantES, tc.wantPT)
		}
	}
	page := search("limit=1&offset=0")
	if len(page.Items) != 1 || page.Total < 2 {
		t.Errorf("limit=1: %d items of %d", len(page.Items), page.Total)
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/courses?language=fr", "", nil), http.StatusUnprocessableEntity)
}

// catalogList is a page of API courses.
type catalogList struct {
	Items []apiCourse `json:"items"`
	Total int         `json:"total"`
}
