package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

func TestAdminManagesInstitutionsAndUsers(t *testing.T) {
	e := newEnv(t)
	admin, me := e.signedIn(accounts.RoleAdmin)
	admin.lang = "pt"
	wantStatus(t, admin.get("/admin/institutions/new"), http.StatusOK)

	// A bad field shows the form again, in the user's language, input kept.
	res := admin.post("/admin/institutions", url.Values{"name": {"Instituto de Previdência Social"}, "acronym": {""}, "country": {"Moçambique"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `value="Instituto de Previdência Social"`) {
		t.Error("name not kept after a validation error")
	}
	// The admin's saved locale is en; pages follow the account setting.
	if !strings.Contains(res.body, "This field is required.") || !strings.Contains(res.body, "two-letter ISO country code") {
		t.Errorf("field messages missing:\n%s", res.body)
	}

	acr := unique("IPS")
	res = admin.post("/admin/institutions", url.Values{"name": {"Instituto de Previdência Social"}, "acronym": {acr}, "country": {"mz"}})
	wantStatus(t, res, http.StatusSeeOther)
	list := admin.get("/admin/institutions?limit=100")
	if !strings.Contains(list.body, "Instituto de Previdência Social") || !strings.Contains(list.body, "Saved.") {
		t.Errorf("institution not listed with a flash:\n%s", list.body)
	}
	found, err := accounts.NewStore(e.db).InstitutionsByAcronym(t.Context(), []string{acr})
	if err != nil || len(found) != 1 {
		t.Fatalf("institution not stored: %v", err)
	}
	inst := found[strings.ToLower(acr)]

	// Create a user in that institution, then a duplicate email in another case.
	admin.get("/admin/users/new")
	email := unique("joao") + "@example.org"
	form := url.Values{"name": {"João da Conceição"}, "email": {email}, "role": {"instructor"}, "institution_id": {itoa(inst.ID)}, "locale": {"pt"}, "password": {""}}
	wantStatus(t, admin.post("/admin/users", form), http.StatusSeeOther)
	form.Set("email", strings.ToUpper(email))
	res = admin.post("/admin/users", form)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "A user with this email already exists.") {
		t.Error("duplicate email not explained on the form")
	}
	users := admin.get("/admin/users?institution_id=" + itoa(inst.ID))
	if !strings.Contains(users.body, "<td>João da Conceição</td>\n    <td>"+email+"</td>\n    <td>Instructor</td>\n    <td>"+acr+"</td>") {
		t.Errorf("user not listed under the institution:\n%s", users.body)
	}

	// An admin cannot lock themselves out.
	admin.get("/admin/users/" + itoa(me.ID) + "/edit")
	res = admin.post("/admin/users/"+itoa(me.ID), url.Values{"name": {me.Name}, "email": {me.Email}, "role": {"learner"}, "locale": {"en"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

// TestPasswordLinkForAUser: Aula sends no mail, so an admin makes a
// one-time link for a user without a password and passes it on.
func TestPasswordLinkForAUser(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	u, err := e.accounts.CreateUser(t.Context(), accounts.CreateUserParams{Email: unique("sin.clave") + "@example.org", Name: "Inês Peña", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	admin.get("/admin/users/" + itoa(u.ID) + "/edit")
	res := admin.post("/admin/users/"+itoa(u.ID)+"/password-link", nil)
	wantStatus(t, res, http.StatusOK)
	m := regexp.MustCompile(`http://aula\.test(/password/[A-Za-z0-9_-]+)`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no link on the page:\n%s", res.body)
	}
	owner := e.browser()
	owner.get(m[1])
	wantStatus(t, owner.post(m[1], url.Values{"password": {"minha nova senha"}, "confirm": {"minha nova senha"}}), http.StatusSeeOther)
	wantStatus(t, owner.signIn(u.Email, "minha nova senha"), http.StatusSeeOther)

	token, _ := e.token(accounts.RoleAdmin)
	api := e.api(http.MethodPost, "/api/v1/users/"+itoa(u.ID)+"/password-link", token, nil)
	wantStatus(t, api, http.StatusCreated)
	if !strings.Contains(api.body, `"password_url":"http://aula.test/password/`) {
		t.Errorf("API answer %s", api.body)
	}
	learner, _ := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/users/"+itoa(u.ID)+"/password-link", learner, nil), http.StatusForbidden)
}
