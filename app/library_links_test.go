package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// citedCourse is a published Spanish course taught by a new instructor.
func (le *libraryEnv) citedCourse(title string) *courses.Course {
	le.t.Helper()
	_, teacher := le.token(accounts.RoleInstructor)
	c, _ := (&coursesEnv{env: le.env, courses: le.svc.Courses}).course(teacher, title, true, "Módulo uno")
	return c
}

// TestCoursePageListsItsReading: the course page lists, under "Further
// reading", the published items the course cites with their type, year
// and a link that opens the item (which links the course back); a draft it
// cites is not shown, and an item withdrawn or unlinked leaves the page at
// once. The list costs the page no statement once the library has read
// its citation index.
func TestCoursePageListsItsReading(t *testing.T) {
	le := newLibraryEnv(t)
	course := le.citedCourse("Protección social en América Latina")
	report := le.create(map[string]any{"type": "report", "title": "Pensões sociais em Moçambique", "language": "pt",
		"countries": []string{"MZ"}, "year": 2019}, true)
	law := le.create(map[string]any{"type": "legislation", "title": "Ley de la Seguridad Social — Peña", "language": "es",
		"countries": []string{"UY"}, "year": 2008}, true)
	draft := le.create(map[string]any{"type": "publication", "title": "Borrador sin publicar", "language": "es",
		"countries": []string{"UY"}, "year": 2025}, false)
	link := func(method string, id int64) {
		t.Helper()
		wantStatus(t, le.api(method, "/api/v1/library/items/"+itoa(id)+"/courses/"+itoa(course.ID), le.libToken, nil), http.StatusNoContent)
	}
	for _, id := range []int64{report.ID, law.ID, draft.ID} {
		link(http.MethodPut, id)
	}
	visitor := le.browser()
	visitor.lang = "es"
	path := "/courses/" + course.Slug
	page := visitor.get(path)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Lecturas complementarias en la biblioteca",
		`<a href="/library/items/` + itoa(report.ID) + `" lang="pt">Pensões sociais em Moçambique</a>`, "Informe · 2019",
		`href="/library/items/` + itoa(law.ID) + `"`, "Ley de la Seguridad Social — Peña", "Legislación · 2008"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the course page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "Borrador sin publicar") {
		t.Error("the course page shows a draft")
	}
	if strings.Index(page.body, "Pensões sociais") > strings.Index(page.body, "Ley de la Seguridad Social") {
		t.Error("the newest item is not first")
	}
	if item := visitor.get("/library/items/" + itoa(report.ID)); !strings.Contains(item.body, `href="/courses/`+course.Slug+`"`) {
		t.Error("the item page does not link the course back")
	}
	if n := le.countStatements(func() { page = visitor.get(path) }); n > 1 {
		t.Errorf("a visitor's course page ran %d statements with its reading list, want 1", n)
	}

	wantStatus(t, le.api(http.MethodPost, "/api/v1/library/items/"+itoa(report.ID)+"/withdraw", le.libToken, nil), http.StatusOK)
	page = visitor.get(path)
	if strings.Contains(page.body, "Pensões sociais em Moçambique") || !strings.Contains(page.body, "Ley de la Seguridad Social") {
		t.Error("the withdrawn item is still on the course page, or the other one left")
	}
	link(http.MethodDelete, law.ID)
	page = visitor.get(path)
	if strings.Contains(page.body, "Ley de la Seguridad Social") {
		t.Error("the unlinked item is still on the course page")
	}
	if strings.Contains(page.body, "Lecturas complementarias") {
		t.Error("an empty reading list has a heading")
	}
}
