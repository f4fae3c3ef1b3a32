package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestAdminEditsAnInstitution: the edit form shows the institution as
// stored, a bad field shows it again with the input kept, a taken acronym
// is explained, and a good edit is saved.
func TestAdminEditsAnInstitution(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	inst, err := e.accounts.CreateInstitution(t.Context(), accounts.InstitutionParams{Name: "Instituto de Previsión Social", Acronym: unique("IPS"), Country: "PY"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.accounts.CreateInstitution(t.Context(), accounts.InstitutionParams{Name: "Caja de Seguro Social", Acronym: unique("CSS"), Country: "PA"})
	if err != nil {
		t.Fatal(err)
	}
	edit := "/admin/institutions/" + itoa(inst.ID) + "/edit"
	res := admin.get(edit)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"Edit institution", `value="Instituto de Previsión Social"`, `value="` + inst.Acronym + `"`, `value="PY"`, `action="/admin/institutions/` + itoa(inst.ID) + `"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("edit form lacks %s:\n%s", want, res.body)
		}
	}

	save := "/admin/institutions/" + itoa(inst.ID)
	res = admin.post(save, url.Values{"name": {"Instituto de Previsión Social del Paraguay"}, "acronym": {inst.Acronym}, "country": {"Paraguay"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `value="Instituto de Previsión Social del Paraguay"`) || !strings.Contains(res.body, "two-letter ISO country code") {
		t.Errorf("bad country: form not shown again with the input and the message:\n%s", res.body)
	}
	res = admin.post(save, url.Values{"name": {"Instituto de Previsión Social"}, "acronym": {strings.ToLower(other.Acronym)}, "country": {"PY"}})
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "Another institution already uses this acronym.") {
		t.Errorf("taken acronym not explained:\n%s", res.body)
	}

	res = admin.post(save, url.Values{"name": {"Instituto de Previsión Social del Paraguay"}, "acronym": {inst.Acronym}, "country": {"py"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/admin/institutions" {
		t.Errorf("after saving: redirect to %q", loc)
	}
	got, err := e.accounts.Institution(t.Context(), inst.ID)
	if err != nil || got.Name != "Instituto de Previsión Social del Paraguay" || got.Country != "PY" {
		t.Errorf("stored %+v (%v)", got, err)
	}
	if list := admin.get("/admin/institutions?limit=100"); !strings.Contains(list.body, "Instituto de Previsión Social del Paraguay") {
		t.Error("edited institution not listed under its new name")
	}

	wantStatus(t, admin.get("/admin/institutions/999999/edit"), http.StatusNotFound)
	admin.get(edit)
	wantStatus(t, admin.post("/admin/institutions/999999", url.Values{"name": {"X"}, "acronym": {unique("X")}, "country": {"PY"}}), http.StatusNotFound)
}

// TestAdminRoleRulesOnTheAPI: the API answers the domain's admin rules
// as the pages do.
func TestAdminRoleRulesOnTheAPI(t *testing.T) {
	e := newEnv(t)
	token, me := e.token(accounts.RoleAdmin)
	res := e.api(http.MethodPatch, "/api/v1/users/"+itoa(me.ID), token, map[string]any{"role": "learner"}, "Accept-Language", "pt-PT")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var body apiError
	decode(t, res, &body)
	if !strings.Contains(body.Error.Fields["role"], "Não pode retirar a sua própria função de administrador") {
		t.Errorf("self-demotion: %s", res.body)
	}
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/users/"+itoa(me.ID), token, map[string]any{"disabled": true}), http.StatusUnprocessableEntity)
	// Another admin may be demoted while admins remain.
	_, other := e.token(accounts.RoleAdmin)
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/users/"+itoa(other.ID), token, map[string]any{"role": "instructor"}), http.StatusOK)
}

// TestUserSearchWithoutAccents: the admin's user list and the API find
// "Conceição" from "conceicao", as the catalogue does.
func TestUserSearchWithoutAccents(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	token, _ := e.token(accounts.RoleAdmin)
	tag := unique("zq")
	u, err := e.accounts.CreateUser(t.Context(), accounts.CreateUserParams{Email: tag + "@inss.example", Name: "Inês Gonçalves Conceição " + tag, Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/users?q=" + url.QueryEscape("GONCALVES conceicao "+tag))
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, u.Name) {
		t.Errorf("admin search without accents does not find %q:\n%s", u.Name, page.body)
	}
	api := e.api(http.MethodGet, "/api/v1/users?q="+url.QueryEscape("ines goncalves"), token, nil)
	wantStatus(t, api, http.StatusOK)
	if !strings.Contains(api.body, tag) {
		t.Errorf("API search without accents does not find %q: %s", u.Name, api.body)
	}
}
