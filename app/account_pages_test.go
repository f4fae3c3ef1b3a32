package app_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// storedZone reads a user's time zone setting back.
func (e *env) storedZone(u *accounts.User) (locale, zone string) {
	e.t.Helper()
	got, err := e.accounts.User(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got.Locale, got.TimeZone
}

// TestAccountPage: the user's name in the header leads to /account, where
// they choose their language and, among the network's zones, their time
// zone; a zone that is not one is refused with a 422 that keeps the
// choice on the form and changes nothing.
func TestAccountPage(t *testing.T) {
	e := newEnv(t)
	b, u := e.signedIn(accounts.RoleLearner)
	mustContain(t, b.get("/courses"), `<a class="who" href="/account">`+u.Name+`</a>`)
	page := b.get("/account")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page, `<option value="" selected>`, "Aula&#39;s default: UTC (UTC)",
		`<optgroup label="Peru">`, `<option value="America/Lima">Lima (UTC-5)</option>`,
		`<option value="Atlantic/Azores">Açores (UTC-1)</option>`, `<option value="Asia/Dili">Díli (UTC&#43;9)</option>`,
		`<option value="America/Noronha">Fernando de Noronha (UTC-2)</option>`, `<optgroup label="São Tomé and Príncipe">`)

	res := b.post("/account", url.Values{"locale": {"es"}, "time_zone": {"America/Lima"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/account" {
		t.Fatalf("saved: Location %q", res.Header.Get("Location"))
	}
	if l, z := e.storedZone(u); l != "es" || z != "America/Lima" {
		t.Fatalf("stored %q %q", l, z)
	}
	page = b.get("/account")
	mustContain(t, page, `<html lang="es">`, `<option value="America/Lima" selected>Lima (UTC-5)</option>`, `<optgroup label="Perú">`, "Guardado.", "UTC-5.")

	for _, bad := range []string{"Mars/Olympus", "Local", "america/lima"} {
		res = b.post("/account", url.Values{"locale": {"pt-PT"}, "time_zone": {bad}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		mustContain(t, res, "Elija una zona horaria de la lista", `<option value="`+bad+`" selected>`, `aria-invalid="true"`,
			`<option value="pt-PT" lang="pt-PT" selected>`)
		if l, z := e.storedZone(u); l != "es" || z != "America/Lima" {
			t.Fatalf("after %q: stored %q %q", bad, l, z)
		}
	}

	// Back to the installation's zone.
	b.get("/account")
	wantStatus(t, b.post("/account", url.Values{"locale": {"pt-BR"}, "time_zone": {""}}), http.StatusSeeOther)
	if l, z := e.storedZone(u); l != "pt-BR" || z != "" {
		t.Fatalf("reset: stored %q %q", l, z)
	}
	wantStatus(t, e.browser().get("/account"), http.StatusSeeOther) // signed out: to the sign-in form
}

// TestAccountPageKeepsAnyStoredZone: a zone outside the network's list,
// set through the API or by an admin, is shown as chosen, not dropped.
func TestAccountPageKeepsAnyStoredZone(t *testing.T) {
	e := newEnv(t)
	b, u := e.signedIn(accounts.RoleLearner)
	if _, err := e.accounts.SetPreferences(context.Background(), u.ID, accounts.Preferences{Locale: "en", TimeZone: "Asia/Kathmandu"}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, b.get("/account"), `<optgroup label="Other">`, `<option value="Asia/Kathmandu" selected>Asia/Kathmandu (UTC&#43;5:45)</option>`)
}

// TestMeTimeZoneAPI: GET /api/v1/me shows the setting ("" for the
// installation's) and PATCH /api/v1/me changes the fields it carries only.
func TestMeTimeZoneAPI(t *testing.T) {
	e := newEnv(t)
	token, u := e.token(accounts.RoleLearner)
	mustContain(t, e.api(http.MethodGet, "/api/v1/me", token, nil), `"time_zone":""`, `"locale":"en"`)

	res := e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"time_zone": "Europe/Lisbon"})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"time_zone":"Europe/Lisbon"`, `"locale":"en"`, `"id":`+itoa(u.ID))
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"locale": "pt-PT"}), http.StatusOK)
	if l, z := e.storedZone(u); l != "pt-PT" || z != "Europe/Lisbon" {
		t.Fatalf("stored %q %q", l, z)
	}

	res = e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"time_zone": "Local"}, "Accept-Language", "es")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, `"code":"validation_failed"`, `"time_zone":"Elija una zona horaria de la lista`)
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"locale": "fr"}), http.StatusUnprocessableEntity)
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"time_zone": 5}), http.StatusUnprocessableEntity)
	if l, z := e.storedZone(u); l != "pt-PT" || z != "Europe/Lisbon" {
		t.Fatalf("after refusals: stored %q %q", l, z)
	}
	mustContain(t, e.api(http.MethodPatch, "/api/v1/me", token, map[string]any{"time_zone": ""}), `"time_zone":""`)
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/me", "", map[string]any{"time_zone": "UTC"}), http.StatusUnauthorized)
}

// TestAdminSetsUserTimeZone: the admin's user form offers the same zones
// and refuses the same names.
func TestAdminSetsUserTimeZone(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	u := e.user(accounts.RoleLearner)
	form := func(zone string) url.Values {
		return url.Values{"name": {u.Name}, "email": {u.Email}, "role": {"learner"}, "locale": {"en"}, "time_zone": {zone}}
	}
	mustContain(t, admin.get("/admin/users/"+itoa(u.ID)+"/edit"), `<select id="time_zone" name="time_zone">`, `<option value="Africa/Maputo">Maputo (CAT)</option>`)
	wantStatus(t, admin.post("/admin/users/"+itoa(u.ID), form("Africa/Maputo")), http.StatusSeeOther)
	if _, z := e.storedZone(u); z != "Africa/Maputo" {
		t.Fatalf("stored %q", z)
	}
	admin.get("/admin/users/" + itoa(u.ID) + "/edit")
	res := admin.post("/admin/users/"+itoa(u.ID), form("Africa/Nowhere"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	mustContain(t, res, "Choose a time zone from the list", `<option value="Africa/Nowhere" selected>`)
	if _, z := e.storedZone(u); z != "Africa/Maputo" {
		t.Fatalf("after a refused zone: stored %q", z)
	}
	token, _ := e.token(accounts.RoleAdmin)
	res = e.api(http.MethodPatch, "/api/v1/users/"+itoa(u.ID), token, map[string]any{"name": "Inês Peña"})
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"time_zone":"Africa/Maputo"`) // a field left out keeps its value
}
