package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// openRedirects are targets that browsers (or a proxy decoding once more)
// take to another site. Each is given as the value of next, as a form or
// a decoded query parameter carries it.
var openRedirects = []string{
	"//evil.example/",
	"///evil.example/",
	`/\evil.example/`,
	`\/evil.example/`,
	`\\evil.example/`,
	"/\t/evil.example/",
	"/\n/evil.example/",
	"/\r/evil.example/",
	"\t//evil.example/",
	" //evil.example/",
	"/%09/evil.example/",
	"/%2F/evil.example/",
	"/%2f/evil.example/",
	"/%5Cevil.example/",
	"https:evil.example",
	"https://evil.example/",
	"HTTPS://evil.example/",
	"javascript:alert(1)",
	"data:text/html,<script>alert(1)</script>",
	"evil.example",
	"@evil.example",
	"//user@evil.example/",
	"/\x00/evil.example/",
	"/\x7f/evil.example/",
	"/\u3000/evil.example/",
	"/\uff0f/evil.example/",
}

// TestRedirectsStayOnSite: every way in which next can leave the site is
// refused after sign-in, when already signed in, and by the language switch.
func TestRedirectsStayOnSite(t *testing.T) {
	e := newEnv(t)
	signedIn, _ := e.signedIn(accounts.RoleLearner)
	check := func(how, next string, res response, want string) {
		t.Helper()
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != want {
			t.Errorf("%s with next=%q: Location %q, want %q", how, next, loc, want)
		}
	}
	for _, next := range openRedirects {
		check("GET /signin signed in", next, signedIn.get("/signin?next="+url.QueryEscape(next)), "/")
		check("POST /language", next, signedIn.post("/language", url.Values{"lang": {"en"}, "next": {next}}), "/")
		c, u := e.browser(), e.user(accounts.RoleLearner) // a fresh account: sign-ins are rate-limited
		c.get("/signin")
		check("POST /signin", next, c.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}}), "/")
	}
	// Paths on the site are kept as they are, query and all.
	for _, next := range []string{"/courses?q=prote%C3%A7%C3%A3o", "/my/courses", "/courses/intro#m2"} {
		check("GET /signin signed in", next, signedIn.get("/signin?next="+url.QueryEscape(next)), next)
		check("POST /language", next, signedIn.post("/language", url.Values{"lang": {"en"}, "next": {next}}), next)
	}
}
