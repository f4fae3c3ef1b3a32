package app_test

import (
	"context"
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

// organiserIn is an instructor of a new institution of country, with a
// token.
func (le *libraryEnv) organiserIn(country, name string) (string, *accounts.User) {
	le.t.Helper()
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Instituto " + unique(""), Acronym: unique("I"), Country: country}
	if err := accounts.NewStore(le.db).InsertInstitution(ctx, inst); err != nil {
		le.t.Fatal(err)
	}
	u := &accounts.User{Email: unique("org") + "@example.org", Name: name + " " + unique(""), Role: accounts.RoleInstructor,
		Locale: "pt-PT", InstitutionID: &inst.ID, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(le.db).InsertUser(ctx, u); err != nil {
		le.t.Fatal(err)
	}
	return le.tokenFor(u), u
}

// TestLibraryPagesListEvents: a country page lists the published events
// organised by staff of that country's institutions, never a draft nor
// another country's; an organiser cites a published item from their event
// and the item's page (and the country API) lists the event, linked. Only
// the event's organisers cite, and only published items.
func TestLibraryPagesListEvents(t *testing.T) {
	le := newLibraryEnv(t)
	org, _ := le.organiserIn("ST", "João Conceição")
	other, _ := le.organiserIn("MZ", "Inés Peña")
	seminar := apiEvent(t, le.env, org, map[string]any{"title": "Seminário de cantinas escolares — São Tomé"})
	res := le.api(http.MethodPost, "/api/v1/events", org, map[string]any{"title": "Rascunho do encontro", "language": "pt",
		"kind": "seminar", "time_zone": "Africa/Sao_Tome", "registration": "open", "min_attendance_percent": 100})
	wantStatus(t, res, http.StatusCreated)
	var draft eventOut
	decode(t, res, &draft)
	maputo := apiEvent(t, le.env, other, map[string]any{"title": "Encontro em Maputo"})
	item := le.create(map[string]any{"type": "experience", "title": "Cantinas escolares em São Tomé", "language": "pt",
		"countries": []string{"ST"}, "year": 2021}, true)
	unpublished := le.create(map[string]any{"type": "report", "title": "Relatório por publicar", "language": "pt",
		"countries": []string{"ST"}, "year": 2024}, false)
	cite := func(token string, eventID, itemID int64, want int) response {
		t.Helper()
		res := le.api(http.MethodPut, "/api/v1/events/"+itoa(eventID)+"/library/"+itoa(itemID), token, nil)
		wantStatus(t, res, want)
		return res
	}
	cite(org, seminar.ID, item.ID, http.StatusNoContent)
	cite(org, seminar.ID, item.ID, http.StatusNoContent) // twice is once
	cite(org, draft.ID, item.ID, http.StatusNoContent)
	cite(other, seminar.ID, item.ID, http.StatusForbidden)
	var apiErr apiError
	decode(t, cite(org, seminar.ID, unpublished.ID, http.StatusUnprocessableEntity), &apiErr)
	if apiErr.Error.Fields["item_id"] == "" {
		t.Errorf("citing a draft item: %+v, want a message on item_id", apiErr)
	}

	b := le.browser()
	b.lang = "pt-PT"
	page := b.get("/library/countries/ST")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `<a href="/events/`+itoa(seminar.ID)+`">Seminário de cantinas escolares — São Tomé</a>`) {
		t.Errorf("the country page lacks its event:\n%s", page.body)
	}
	for _, never := range []string{"Rascunho do encontro", "Encontro em Maputo"} {
		if strings.Contains(page.body, never) {
			t.Errorf("the country page shows %q", never)
		}
	}
	if mz := b.get("/library/countries/MZ"); !strings.Contains(mz.body, `href="/events/`+itoa(maputo.ID)+`"`) {
		t.Error("Mozambique's page lacks the Maputo event")
	}
	page = b.get("/library/items/" + itoa(item.ID))
	if !strings.Contains(page.body, `<a href="/events/`+itoa(seminar.ID)+`">Seminário de cantinas escolares — São Tomé</a>`) {
		t.Errorf("the item page lacks the event citing it:\n%s", page.body)
	}
	if strings.Contains(page.body, "Rascunho do encontro") {
		t.Error("the item page shows a draft event")
	}
	if ev := b.get("/events/" + itoa(seminar.ID)); ev.StatusCode != http.StatusOK {
		t.Errorf("the event's link opens %d", ev.StatusCode)
	}
	var country struct {
		Events []struct {
			ID    int64
			Title string
			URL   string
		}
	}
	decode(t, le.api(http.MethodGet, "/api/v1/library/countries/ST", "", nil), &country)
	if len(country.Events) != 1 || country.Events[0].ID != seminar.ID || country.Events[0].URL != "/events/"+itoa(seminar.ID) {
		t.Errorf("country API events %+v", country.Events)
	}

	wantStatus(t, le.api(http.MethodDelete, "/api/v1/events/"+itoa(seminar.ID)+"/library/"+itoa(item.ID), org, nil), http.StatusNoContent)
	if page := b.get("/library/items/" + itoa(item.ID)); strings.Contains(page.body, "Seminário de cantinas") {
		t.Error("the item page still lists the event that stopped citing it")
	}
}
