package app_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

var routeParam = regexp.MustCompile(`:[a-z_]+|\*`)

// concrete turns a route pattern into a path, with 1 for every parameter.
func concrete(path string) string { return routeParam.ReplaceAllString(path, "1") }

// TestAdminRoutesNeedAdmin walks every registered /admin route, so a route
// added later without the admin check fails here.
func TestAdminRoutesNeedAdmin(t *testing.T) {
	e := newEnv(t)
	learner, _ := e.signedIn(accounts.RoleLearner)
	instructor, _ := e.signedIn(accounts.RoleInstructor)
	anon := e.browser()
	anon.get("/")

	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/admin") || r.Method == http.MethodHead {
			continue
		}
		path := concrete(r.Path)
		for _, c := range []*client{learner, instructor} {
			req := httptest.NewRequest(r.Method, path, strings.NewReader("csrf="+c.csrf))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if res := c.do(req); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as non-admin: %d, want 403", r.Method, path, res.StatusCode)
			}
		}
		req := httptest.NewRequest(r.Method, path, strings.NewReader("csrf="+anon.csrf))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res := anon.do(req)
		switch r.Method {
		case http.MethodGet:
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
				t.Errorf("GET %s anonymous: %d to %q, want 303 to /signin", path, res.StatusCode, res.Header.Get("Location"))
			}
		default:
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s anonymous: %d, want 401", r.Method, path, res.StatusCode)
			}
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d admin routes checked", checked)
	}
}

// TestAPINeedsToken: every API route but sign-in and public ones answers
// 401 without a token, and a session cookie is no substitute.
func TestAPINeedsToken(t *testing.T) {
	e := newEnv(t)
	browser, _ := e.signedIn(accounts.RoleAdmin)
	public := map[string]bool{
		"POST /api/v1/tokens":      true,
		"GET /api/v1/courses":      true,
		"GET /api/v1/courses/:id":  true,
		"GET /api/v1/verify/key":   true,
		"GET /api/v1/verify/:code": true,
		// The library is open to read; librarians' calls need a token.
		"GET /api/v1/library/themes":          true,
		"GET /api/v1/library/items":           true,
		"GET /api/v1/library/items/:id":       true,
		"GET /api/v1/library/countries/:code": true,
	}
	for _, r := range e.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == http.MethodHead || public[r.Method+" "+r.Path] {
			continue
		}
		path := concrete(r.Path)
		res := e.api(r.Method, path, "", nil)
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without token: %d, want 401", r.Method, path, res.StatusCode)
		}
		req := httptest.NewRequest(r.Method, path, nil)
		if res := browser.do(req); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s with a session cookie: %d, want 401", r.Method, path, res.StatusCode)
		}
	}
}

func TestLearnerCannotUseAdminAPI(t *testing.T) {
	e := newEnv(t)
	token, _ := e.token(accounts.RoleLearner)
	for _, call := range []struct{ method, path string }{
		{http.MethodPost, "/api/v1/institutions"},
		{http.MethodPatch, "/api/v1/institutions/1"},
		{http.MethodGet, "/api/v1/users"},
		{http.MethodPost, "/api/v1/users"},
		{http.MethodGet, "/api/v1/users/1"},
		{http.MethodPatch, "/api/v1/users/1"},
	} {
		res := e.api(call.method, call.path, token, map[string]string{})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s as learner: %d, want 403", call.method, call.path, res.StatusCode)
		}
	}
}

// publicPages are the parameterless GET routes anyone may see. Every other
// such route must send a visitor to sign in (pages) or answer 401 (API).
var publicPages = map[string]bool{
	"/": true, "/signin": true, "/healthz": true, "/readyz": true,
	"/courses": true, "/verify": true,
	"/api/v1/courses": true, "/api/v1/verify/key": true,
	"/library": true, "/library/feed.atom": true, "/oai": true, "/api/v1/library/themes": true, "/api/v1/library/items": true,
}

func TestEveryPrivatePageNeedsSignIn(t *testing.T) {
	e := newEnv(t)
	anon := e.browser()
	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		if r.Method != http.MethodGet || strings.ContainsAny(r.Path, ":*") || publicPages[r.Path] {
			continue
		}
		res := anon.get(r.Path)
		switch {
		case strings.HasPrefix(r.Path, "/api/"):
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("GET %s anonymous: %d, want 401", r.Path, res.StatusCode)
			}
		case res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin"):
			t.Errorf("GET %s anonymous: %d to %q, want a redirect to sign in", r.Path, res.StatusCode, res.Header.Get("Location"))
		}
		checked++
	}
	if checked < 3 {
		t.Fatalf("only %d private pages checked", checked)
	}
}
