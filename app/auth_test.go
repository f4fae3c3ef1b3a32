package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t)
	u := e.user(accounts.RoleLearner)
	c := e.browser()

	res := c.signIn(u.Email, "wrong password!")
	wantStatus(t, res, http.StatusUnauthorized)
	if !strings.Contains(res.body, "The email or password is not correct.") {
		t.Errorf("wrong password page lacks the message:\n%s", res.body)
	}
	unknown := c.signIn("nobody-"+u.Email, "wrong password!")
	wantStatus(t, unknown, http.StatusUnauthorized)
	if !strings.Contains(unknown.body, "The email or password is not correct.") {
		t.Error("unknown email must get the same message as a wrong password")
	}

	res = c.signIn(strings.ToUpper(u.Email), testPassword)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("redirect to %q, want /", loc)
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "aula_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v, want HttpOnly and SameSite=Lax", session)
	}
	home := c.get("/")
	if !strings.Contains(home.body, u.Name) {
		t.Error("home page does not show the signed-in user's name")
	}

	res = c.post("/signout", nil)
	wantStatus(t, res, http.StatusSeeOther)
	// The browser must really drop the cookie: one set for "/" is only
	// deleted by a deletion for "/" too.
	cleared := false
	for _, h := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "aula_session=;") {
			cleared = strings.Contains(h, "path=/") && (strings.Contains(h, "max-age=0") || strings.Contains(h, "expires=Thu, 01 Jan 1970"))
		}
	}
	if !cleared {
		t.Errorf("sign-out does not delete the session cookie for path /: %q", res.Header.Values("Set-Cookie"))
	}
	if strings.Contains(c.get("/").body, u.Name) {
		t.Error("still signed in after signing out")
	}
	// The old cookie is dead on the server, not just forgotten by the browser.
	replay := e.browser()
	replay.cookies["aula_session"] = session.Value
	if strings.Contains(replay.get("/").body, u.Name) {
		t.Error("session token still valid after sign-out")
	}
}

func TestSessionRotatesAtSignIn(t *testing.T) {
	e := newEnv(t)
	u := e.user(accounts.RoleAdmin)
	c := e.browser()
	wantStatus(t, c.signIn(u.Email, testPassword), http.StatusSeeOther)
	first := c.cookies["aula_session"]

	// Signing in again from the same browser replaces the session.
	wantStatus(t, c.signIn(u.Email, testPassword), http.StatusSeeOther)
	second := c.cookies["aula_session"]
	if first == "" || first == second {
		t.Fatalf("session not rotated: %q then %q", first, second)
	}
	old := e.browser()
	old.cookies["aula_session"] = first
	res := old.get("/admin/")
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("old session reached the admin page")
	}
	wantStatus(t, c.get("/admin/"), http.StatusOK)
}

func TestCSRFRequired(t *testing.T) {
	e := newEnv(t)
	u := e.user(accounts.RoleAdmin)

	anon := e.browser()
	anon.get("/signin")
	res := anon.postRaw("/signin", url.Values{"email": {u.Email}, "password": {testPassword}})
	wantStatus(t, res, http.StatusForbidden)

	// A token minted for another browser does not work either.
	other := e.browser()
	other.get("/signin")
	res = anon.postRaw("/signin", url.Values{"email": {u.Email}, "password": {testPassword}, "csrf": {other.csrf}})
	wantStatus(t, res, http.StatusForbidden)

	admin, _ := e.signedIn(accounts.RoleAdmin)
	admin.get("/admin/institutions/new")
	res = admin.postRaw("/admin/institutions", url.Values{"name": {"Instituto"}, "acronym": {unique("I")}, "country": {"AR"}})
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.body, "This form has expired") {
		t.Error("403 page does not explain the CSRF failure")
	}
	// The token from before sign-in is bound to the anonymous cookie, not the session.
	stale := anon.csrf
	wantStatus(t, anon.signIn(u.Email, testPassword), http.StatusSeeOther)
	res = anon.postRaw("/admin/institutions", url.Values{"name": {"Instituto"}, "acronym": {unique("I")}, "country": {"AR"}, "csrf": {stale}})
	wantStatus(t, res, http.StatusForbidden)
}

// TestSignInRateLimit: an attacker guessing from one address exhausts
// their own limit for the account, but cannot keep the owner out: from
// another address the owner still signs in, after a short wait.
func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t)
	u := e.user(accounts.RoleLearner)
	attacker := e.browser()
	attacker.get("/signin")
	for i := 1; i <= 10; i++ {
		res := attacker.post("/signin", url.Values{"email": {u.Email}, "password": {"wrong password!"}})
		wantStatus(t, res, http.StatusUnauthorized)
	}
	res := attacker.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The API shares the attacker's counters.
	api := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": testPassword}, "X-Forwarded-For", attacker.ip)
	wantStatus(t, api, http.StatusTooManyRequests)
	var body apiError
	decode(t, api, &body)
	if body.Error.Code != "rate_limited" {
		t.Errorf("code %q, want rate_limited", body.Error.Code)
	}

	// The owner, from another address, signs in; the account's failures
	// make them wait a little, not forever.
	owner := e.browser()
	owner.get("/signin")
	start := time.Now()
	res = owner.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	// A slowing delay is a sleep, so it has a floor a busy machine cannot
	// lower; no ceiling is asserted (a busy machine may raise it).
	if waited := time.Since(start); waited < 500*time.Millisecond {
		t.Errorf("owner waited %v after 10 failures, want a slowing delay", waited)
	}
	// And through the API too.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": testPassword}), http.StatusCreated)

	// One address trying many accounts is stopped too.
	sprayer := e.browser()
	sprayer.get("/signin")
	for i := 1; i <= 60; i++ {
		sprayer.post("/signin", url.Values{"email": {unique("nobody") + "@example.org"}, "password": {"wrong password!"}})
	}
	wantStatus(t, sprayer.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}}), http.StatusTooManyRequests)
}

func TestLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	c.lang = "es-AR,es;q=0.9"
	res := c.get("/signin")
	if !strings.Contains(res.body, `<html lang="es">`) || !strings.Contains(res.body, "Iniciar sesión en Aula") {
		t.Fatalf("Accept-Language es not honoured:\n%s", res.body[:400])
	}
	wantStatus(t, c.post("/language", url.Values{"lang": {"pt-PT"}, "next": {"/signin"}}), http.StatusSeeOther)
	if res := c.get("/signin"); !strings.Contains(res.body, "Entrar na Aula") {
		t.Error("language switch to pt not kept")
	}
	// A signed-in user's own setting wins and is saved on the account.
	learner, u := e.signedIn(accounts.RoleLearner)
	wantStatus(t, learner.post("/language", url.Values{"lang": {"es"}, "next": {"/"}}), http.StatusSeeOther)
	saved, err := e.accounts.User(t.Context(), u.ID)
	if err != nil || saved.Locale != "es" {
		t.Fatalf("locale saved as %q (%v), want es", saved.Locale, err)
	}
	fresh := e.browser()
	fresh.lang = "en"
	wantStatus(t, fresh.signIn(u.Email, testPassword), http.StatusSeeOther)
	if res := fresh.get("/"); !strings.Contains(res.body, "Bienvenido a Aula") {
		t.Error("user's saved language not used on another browser")
	}
	// An open redirect through next is refused.
	res = c.post("/language", url.Values{"lang": {"en"}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example redirected to %q", loc)
	}
}

func TestPasswordLink(t *testing.T) {
	e := newEnv(t)
	u, err := e.accounts.CreateUser(t.Context(), accounts.CreateUserParams{Email: unique("new") + "@example.org", Name: "Ana Peña", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := e.accounts.CreatePasswordLinks(t.Context(), e.db, []int64{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	link := "/password/" + tokens[u.ID]
	c := e.browser()
	wantStatus(t, c.get(link), http.StatusOK)
	res := c.post(link, url.Values{"password": {"short"}, "confirm": {"short"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Use at least 10 characters.") {
		t.Error("short password not explained")
	}
	wantStatus(t, c.post(link, url.Values{"password": {"una frase larga"}, "confirm": {"una frase larga"}}), http.StatusSeeOther)
	wantStatus(t, c.signIn(u.Email, "una frase larga"), http.StatusSeeOther)
	// The link works once.
	wantStatus(t, e.browser().get(link), http.StatusGone)
}
