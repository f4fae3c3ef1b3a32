package app_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOrganisersCiteItemsFromTheEventPage: an event's organiser cites a
// published library item from the event's page by its number or the
// address of its page, sees it listed, and stops citing it; the form
// needs its CSRF token, refuses what names no published item with a
// message on the field, and another organiser's event is not theirs.
func TestOrganisersCiteItemsFromTheEventPage(t *testing.T) {
	le := newLibraryEnv(t)
	orgToken, org := le.organiserIn("CV", "Maria João")
	otherToken, other := le.organiserIn("CV", "Inês Peña")
	ev := apiEvent(t, le.env, orgToken, map[string]any{"title": "Seminário de pensões sociais — Praia"})
	theirs := apiEvent(t, le.env, otherToken, map[string]any{"title": "Outro seminário"})
	item := le.create(map[string]any{"type": "experience", "title": "Pensão social mínima em Cabo Verde", "language": "pt",
		"countries": []string{"CV"}, "year": 2020}, true)
	draft := le.create(map[string]any{"type": "report", "title": "Relatório ainda por publicar", "language": "pt",
		"countries": []string{"CV"}, "year": 2024}, false)

	b := le.browser()
	b.signIn(org.Email, testPassword)
	manage := "/manage/events/" + itoa(ev.ID)
	page := b.get(manage)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `action="/manage/events/`+itoa(ev.ID)+`/library"`)
	mustContain(t, page, "Este evento ainda não cita nenhum documento da biblioteca.")

	// Without the form's token nothing changes.
	if res := b.postRaw(manage+"/library", url.Values{"item": {itoa(item.ID)}}); res.StatusCode < 400 {
		t.Fatalf("citing without the CSRF token: %d", res.StatusCode)
	}
	if strings.Contains(b.get(manage).body, "Pensão social mínima em Cabo Verde") {
		t.Fatal("an item was cited without the form's token")
	}

	// The address of the item's page, as copied from the browser.
	res := b.post(manage+"/library", url.Values{"item": {"http://aula.test/library/items/" + itoa(item.ID)}})
	wantStatus(t, res, http.StatusSeeOther)
	page = b.get(manage)
	mustContain(t, page, `<a href="/library/items/`+itoa(item.ID)+`">`+html.EscapeString("Pensão social mínima em Cabo Verde")+`</a>`)
	mustContain(t, page, "O evento passou a citar o documento.")
	// The item's page links the (published) event back.
	if p := le.browser().get("/library/items/" + itoa(item.ID)); !strings.Contains(p.body, `href="/events/`+itoa(ev.ID)+`"`) {
		t.Error("the item's page does not list the event citing it")
	}

	// What names no published item is refused on the field.
	for _, bad := range []string{"not a number", itoa(draft.ID), "https://aula.test/courses/42"} {
		b.get(manage)
		res := b.post(manage+"/library", url.Values{"item": {bad}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `id="cite-item"`) || !strings.Contains(res.body, `aria-invalid="true"`) {
			t.Errorf("citing %q: no message on the field", bad)
		}
	}
	if strings.Contains(b.get(manage).body, "Relatório ainda por publicar") {
		t.Error("a draft item was cited")
	}

	// Another organiser's event is not this organiser's to change.
	b.get(manage)
	if res := b.post("/manage/events/"+itoa(theirs.ID)+"/library", url.Values{"item": {itoa(item.ID)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("citing in another organiser's event: %d, want 403", res.StatusCode)
	}
	ob := le.browser()
	ob.signIn(other.Email, testPassword)
	if p := ob.get("/manage/events/" + itoa(theirs.ID)); strings.Contains(p.body, "Pensão social mínima") {
		t.Error("the other event cites the item")
	}

	// Stop citing.
	b.get(manage)
	wantStatus(t, b.post(manage+"/library/"+itoa(item.ID)+"/remove", nil), http.StatusSeeOther)
	page = b.get(manage)
	if strings.Contains(page.body, `href="/library/items/`+itoa(item.ID)+`"`) {
		t.Error("the item is still listed after the organiser stopped citing it")
	}
	mustContain(t, page, "O evento deixou de citar o documento.")
}

// TestLibraryLinkChangesEmptyThePublicCache: a visitor's course page comes
// from this process's cache, yet its reading list follows at once every
// change made here of what it shows: an item cited or no longer, renamed,
// withdrawn. The web layer's clock stands still, so only emptying the
// cache can show a change.
func TestLibraryLinkChangesEmptyThePublicCache(t *testing.T) {
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	blobs := t.TempDir()
	e, svc := newInstallation(t, installation{blobs: blobs, appClock: clock.Now, quietLog: true})
	le := libraryOn(t, e, svc, blobs)
	course := le.citedCourse("Proteção social na Guiné-Bissau")
	item := le.create(map[string]any{"type": "report", "title": "Pensões na Guiné-Bissau", "language": "pt",
		"countries": []string{"GW"}, "year": 2022}, true)
	path := "/courses/" + course.Slug
	visit := func() string {
		t.Helper()
		v := le.browser() // no cookies: the cached page
		res := v.get(path)
		wantStatus(t, res, http.StatusOK)
		return res.body
	}
	itemURL := "/api/v1/library/items/" + itoa(item.ID)
	if strings.Contains(visit(), "Pensões na Guiné-Bissau") {
		t.Fatal("the course page lists an item it does not cite")
	}
	if n := le.countStatements(func() { visit() }); n != 0 {
		t.Fatalf("a visitor's course page again ran %d statements: not cached", n)
	}
	wantStatus(t, le.api(http.MethodPut, itemURL+"/courses/"+itoa(course.ID), le.libToken, nil), http.StatusNoContent)
	if !strings.Contains(visit(), "Pensões na Guiné-Bissau") {
		t.Error("citing: the cached course page does not list the item")
	}
	wantStatus(t, le.api(http.MethodPatch, itemURL, le.libToken, map[string]any{"title": "Pensões sociais na Guiné-Bissau"}), http.StatusOK)
	if !strings.Contains(visit(), "Pensões sociais na Guiné-Bissau") {
		t.Error("renaming: the cached course page shows the old title")
	}
	wantStatus(t, le.api(http.MethodPost, itemURL+"/withdraw", le.libToken, nil), http.StatusOK)
	if strings.Contains(visit(), "Guiné-Bissau</a>") {
		t.Error("withdrawing: the cached course page still lists the item")
	}
	wantStatus(t, le.api(http.MethodPost, itemURL+"/publish", le.libToken, nil), http.StatusOK)
	if !strings.Contains(visit(), "Pensões sociais na Guiné-Bissau") {
		t.Error("publishing again: the cached course page does not list the item")
	}
	wantStatus(t, le.api(http.MethodDelete, itemURL+"/courses/"+itoa(course.ID), le.libToken, nil), http.StatusNoContent)
	if strings.Contains(visit(), "Pensões sociais na Guiné-Bissau") {
		t.Error("no longer citing: the cached course page still lists the item")
	}
}
