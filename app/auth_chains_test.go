package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestAPIAndPagesAuthenticateApart: the API takes only bearer tokens and
// pages only the session cookie, decided by the route that matched, so no
// spelling of a path lets a cookie into the API.
func TestAPIAndPagesAuthenticateApart(t *testing.T) {
	e := newEnv(t)
	browser, u := e.signedIn(accounts.RoleAdmin)
	token, _ := e.token(accounts.RoleAdmin)

	for _, path := range []string{"/API/v1/me", "/Api/v1/me", "/api/V1/me", "/aPi/v1/users", "/API/v1/users?q=a"} {
		res := browser.get(path)
		if res.StatusCode != http.StatusNotFound || strings.Contains(res.body, u.Email) {
			t.Errorf("GET %s with a session cookie: %d, want 404 without the user's data", path, res.StatusCode)
		}
	}
	// Every API route, spelt in another case, is no route at all.
	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		rest, ok := strings.CutPrefix(r.Path, "/api/")
		if !ok || r.Method == http.MethodHead {
			continue
		}
		path := "/API/" + concrete(rest)
		req := httptest.NewRequest(r.Method, path, strings.NewReader("csrf="+browser.csrf))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res := browser.do(req); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s with a session cookie: %d, want 404", r.Method, path, res.StatusCode)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d API routes checked", checked)
	}

	// A bearer token does not sign a browser in to the pages.
	res := e.api(http.MethodGet, "/my/courses", token, nil)
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("page with a bearer token: redirect to %q, want sign-in", res.Header.Get("Location"))
	}
	// The API answers its errors in JSON, pages in HTML, whatever the client asks.
	api := e.api(http.MethodGet, "/api/v1/no-such-thing", token, nil, "Accept", "text/html")
	wantStatus(t, api, http.StatusNotFound)
	if !strings.HasPrefix(api.Header.Get("Content-Type"), "application/json") || !strings.Contains(api.body, `"code":"not_found"`) {
		t.Errorf("API 404: %s %s", api.Header.Get("Content-Type"), api.body)
	}
	page := browser.get("/no-such-page")
	wantStatus(t, page, http.StatusNotFound)
	if !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Errorf("page 404 content type %q", page.Header.Get("Content-Type"))
	}
	// The API needs no CSRF token; a page form does.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/institutions", token, map[string]string{"name": "Instituto", "acronym": unique("I"), "country": "PE"}), http.StatusCreated)
	wantStatus(t, browser.postRaw("/admin/institutions", nil), http.StatusForbidden)
}
