package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

func TestTokensAndMe(t *testing.T) {
	e := newEnv(t)
	u := e.user(accounts.RoleInstructor)

	bad := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": "nope nope nope"})
	wantStatus(t, bad, http.StatusUnauthorized)
	unknown := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": "x" + u.Email, "password": "nope nope nope"})
	wantStatus(t, unknown, http.StatusUnauthorized)
	var b1, b2 apiError
	decode(t, bad, &b1)
	decode(t, unknown, &b2)
	if b1.Error.Message != b2.Error.Message || b1.Error.Code != "invalid_credentials" {
		t.Errorf("unknown email and wrong password differ: %+v vs %+v", b1, b2)
	}

	res := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": strings.ToUpper(u.Email), "password": testPassword})
	wantStatus(t, res, http.StatusCreated)
	var created struct {
		Token string
		User  map[string]any
	}
	decode(t, res, &created)
	if created.Token == "" || created.User["email"] != u.Email {
		t.Fatalf("token answer %s", res.body)
	}

	me := e.api(http.MethodGet, "/api/v1/me", created.Token, nil)
	wantStatus(t, me, http.StatusOK)
	var got map[string]any
	decode(t, me, &got)
	for _, field := range []string{"id", "email", "name", "role", "institution_id", "locale"} {
		if _, ok := got[field]; !ok {
			t.Errorf("/me lacks %q: %s", field, me.body)
		}
	}
	if _, ok := got["password_hash"]; ok || strings.Contains(me.body, "argon2") {
		t.Error("/me leaks the password hash")
	}
	if got["name"] != u.Name {
		t.Errorf("name %q, want %q (accents intact)", got["name"], u.Name)
	}

	wantStatus(t, e.api(http.MethodDelete, "/api/v1/tokens/current", created.Token, nil), http.StatusNoContent)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", created.Token, nil), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", "aula_forged", nil), http.StatusUnauthorized)
}

func TestInstitutionsAPI(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.token(accounts.RoleAdmin)
	learner, _ := e.token(accounts.RoleLearner)

	acr := unique("INSS")
	res := e.api(http.MethodPost, "/api/v1/institutions", admin, map[string]string{"name": "Instituto Nacional da Segurança Social", "acronym": acr, "country": "pt"})
	wantStatus(t, res, http.StatusCreated)
	var inst accounts.Institution
	decode(t, res, &inst)
	if inst.ID == 0 || inst.Country != "PT" || inst.Name != "Instituto Nacional da Segurança Social" {
		t.Fatalf("created %+v", inst)
	}

	dup := e.api(http.MethodPost, "/api/v1/institutions", admin, map[string]string{"name": "Other", "acronym": strings.ToLower(acr), "country": "BR"})
	wantStatus(t, dup, http.StatusConflict)

	list := e.api(http.MethodGet, "/api/v1/institutions?limit=100", learner, nil)
	wantStatus(t, list, http.StatusOK)
	if !strings.Contains(list.body, `"items":[`) || !strings.Contains(list.body, acr) || !strings.Contains(list.body, `"total":`) {
		t.Errorf("list %s", list.body)
	}

	bad := e.api(http.MethodPost, "/api/v1/institutions", admin, map[string]string{"name": "", "acronym": "X", "country": "Portugal"}, "Accept-Language", "es")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	var body apiError
	decode(t, bad, &body)
	if body.Error.Code != "validation_failed" || body.Error.Fields["name"] != "Este campo es obligatorio." ||
		!strings.Contains(body.Error.Fields["country"], "código de país ISO") {
		t.Errorf("422 body %s", bad.body)
	}

	patch := e.api(http.MethodPatch, "/api/v1/institutions/"+itoa(inst.ID), admin, map[string]string{"name": "INSS, I.P."})
	wantStatus(t, patch, http.StatusOK)
	if !strings.Contains(patch.body, `"country":"PT"`) || !strings.Contains(patch.body, "INSS, I.P.") {
		t.Errorf("partial update lost fields: %s", patch.body)
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/institutions/999999", learner, nil), http.StatusNotFound)
}

func TestUsersAPI(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.token(accounts.RoleAdmin)
	email := unique("maria.pena") + "@example.org"
	body := map[string]any{"email": email, "name": "María Peña", "password": "una clave larga", "role": "learner", "locale": "es"}
	res := e.api(http.MethodPost, "/api/v1/users", admin, body)
	wantStatus(t, res, http.StatusCreated)
	var u map[string]any
	decode(t, res, &u)
	if u["name"] != "María Peña" || u["role"] != "learner" || u["locale"] != "es" {
		t.Errorf("created %s", res.body)
	}

	body["email"] = strings.ToUpper(email)
	dup := e.api(http.MethodPost, "/api/v1/users", admin, body)
	wantStatus(t, dup, http.StatusConflict)
	var derr apiError
	decode(t, dup, &derr)
	if derr.Error.Code != "email_taken" || derr.Error.Message != "A user with this email already exists." {
		t.Errorf("409 body %s", dup.body)
	}

	for lang, want := range map[string]string{"en": "Enter a valid email address", "es": "Escriba un correo electrónico válido", "pt": "Digite um e-mail válido", "pt-PT": "Escreva um e-mail válido"} {
		bad := e.api(http.MethodPost, "/api/v1/users", admin,
			map[string]any{"email": "not-an-email", "name": "X", "role": "boss", "password": "short"}, "Accept-Language", lang)
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		var berr apiError
		decode(t, bad, &berr)
		if !strings.HasPrefix(berr.Error.Fields["email"], want) {
			t.Errorf("%s: email message %q, want %q…", lang, berr.Error.Fields["email"], want)
		}
		if berr.Error.Fields["role"] == "" || berr.Error.Fields["password"] == "" {
			t.Errorf("%s: missing field messages: %s", lang, bad.body)
		}
	}

	wantStatus(t, e.api(http.MethodPost, "/api/v1/users", admin, `{"email": "a@b.c",`), http.StatusBadRequest)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/users", admin, `{"email": 5}`), http.StatusUnprocessableEntity)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/users", admin, map[string]any{"email": unique("x") + "@example.org", "name": "X", "role": "learner", "institution_id": 987654}), http.StatusUnprocessableEntity)

	// Disabling a user ends their API access at once.
	learnerToken, learner := e.token(accounts.RoleLearner)
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/users/"+itoa(learner.ID), admin, map[string]any{"disabled": true}), http.StatusOK)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/me", learnerToken, nil), http.StatusUnauthorized)
}
