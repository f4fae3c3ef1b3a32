package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestWeakPasswordsRefused: the API, the admin's form and the one-time
// link refuse common passwords and the user's own email, saying why in
// the user's language.
func TestWeakPasswordsRefused(t *testing.T) {
	e := newEnv(t)
	token, _ := e.token(accounts.RoleAdmin)
	email := unique("maria.pena") + "@example.org"
	for password, want := range map[string]string{
		"aaaaaaaaaa": "una de las más usadas",
		"password12": "una de las más usadas",
		"1234567890": "una de las más usadas",
		email:        "su nombre o su correo",
	} {
		res := e.api(http.MethodPost, "/api/v1/users", token, map[string]any{"email": email, "name": "María Peña", "password": password, "role": "learner"}, "Accept-Language", "es")
		wantStatus(t, res, http.StatusUnprocessableEntity)
		var body apiError
		decode(t, res, &body)
		if body.Error.Code != "validation_failed" || !strings.Contains(body.Error.Fields["password"], want) {
			t.Errorf("password %q: %s", password, res.body)
		}
	}

	admin, _ := e.signedIn(accounts.RoleAdmin)
	admin.get("/admin/users/new")
	res := admin.post("/admin/users", url.Values{"name": {"João Conceição"}, "email": {unique("joao") + "@example.org"}, "role": {"learner"}, "locale": {"pt"}, "password": {"Conceição2024"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "little more than your name or email address") || !strings.Contains(res.body, `value="João Conceição"`) {
		t.Errorf("admin form does not explain the refused password:\n%s", res.body)
	}

	u, err := e.accounts.CreateUser(t.Context(), accounts.CreateUserParams{Email: unique("ines") + "@example.org", Name: "Inês Peña", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := e.accounts.CreatePasswordLinks(t.Context(), e.db, []int64{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	link := "/password/" + tokens[u.ID]
	c := e.browser()
	c.lang = "pt"
	c.get(link)
	res = c.post(link, url.Values{"password": {"password12"}, "confirm": {"password12"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "uma das mais usadas") {
		t.Errorf("password page does not explain the refusal:\n%s", res.body)
	}
	wantStatus(t, c.post(link, url.Values{"password": {"uma frase bem longa"}, "confirm": {"uma frase bem longa"}}), http.StatusSeeOther)
	wantStatus(t, c.signIn(u.Email, "uma frase bem longa"), http.StatusSeeOther)
}
