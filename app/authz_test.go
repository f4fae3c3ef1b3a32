package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
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
	coordinator, _ := e.signedIn(accounts.RoleCoordinator)
	anon := e.browser()
	anon.get("/")

	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/admin") || r.Method == http.MethodHead {
			continue
		}
		path := concrete(r.Path)
		for _, c := range []*client{learner, instructor, coordinator} {
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
		"POST /api/v1/tokens":        true,
		"GET /api/v1/courses":        true,
		"GET /api/v1/courses/:id":    true,
		"GET /api/v1/verify/key":     true,
		"GET /api/v1/verify/:code":   true,
		"GET /api/v1/events":         true,
		"GET /api/v1/events/:id":     true,
		"GET /api/v1/events/:id.ics": true,
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
	learner, _ := e.token(accounts.RoleLearner)
	coordinator, _ := e.token(accounts.RoleCoordinator)
	for _, token := range []string{learner, coordinator} {
		for _, call := range []struct{ method, path string }{
			{http.MethodPost, "/api/v1/institutions"},
			{http.MethodPatch, "/api/v1/institutions/1"},
			{http.MethodGet, "/api/v1/users"},
			{http.MethodPost, "/api/v1/users"},
			{http.MethodGet, "/api/v1/users/1"},
			{http.MethodPatch, "/api/v1/users/1"},
			{http.MethodPost, "/api/v1/exchanges"},
			{http.MethodPut, "/api/v1/exchanges/1/participants"},
			{http.MethodPut, "/api/v1/exchanges/1/committee"},
			{http.MethodPost, "/api/v1/exchanges/1/slots"},
			{http.MethodPost, "/api/v1/exchanges/1/rooms"},
			{http.MethodPost, "/api/v1/exchanges/1/schedule"},
			{http.MethodPatch, "/api/v1/rounds/1"},
			{http.MethodPut, "/api/v1/exchanges/1/rubric"},
			{http.MethodPost, "/api/v1/actions/1/decision"},
			{http.MethodPost, "/api/v1/actions/1/publish"},
		} {
			res := e.api(call.method, call.path, token, map[string]string{})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as learner or coordinator: %d, want 403", call.method, call.path, res.StatusCode)
			}
		}
	}
}

// publicPages are the parameterless GET routes anyone may see. Every other
// such route must send a visitor to sign in (pages) or answer 401 (API).
var publicPages = map[string]bool{
	"/": true, "/signin": true, "/healthz": true, "/readyz": true,
	"/courses": true, "/verify": true, "/password/forgot": true, "/language": true, // the public pages' language links
	"/api/v1/courses": true, "/api/v1/verify/key": true,
	"/events": true, "/api/v1/events": true,
	// Not public either: 404 to anyone but this machine (metrics_test.go).
	"/metrics": true,
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

// forumRoute is the community's part of a path: forums, topics, posts,
// their files, a course's forum, moderators and settings.
var forumRoute = regexp.MustCompile(`^(/api/v1)?/(forums|topics|posts|moderators|community)(/|$)|/forum$`)

// TestForumRoutesByRole walks every community route, so a route added
// later is checked by itself: someone outside a course gets 404 from
// each route of its forum (its existence is not revealed), an enrolled
// learner gets 403 from the moderators' and admins' routes, and a
// visitor is sent to sign in.
func TestForumRoutesByRole(t *testing.T) {
	e := newForumEnv(t)
	ctx := context.Background()
	teacher := courses.ActorFor(e.teacher)
	f, err := e.forums.CourseForum(ctx, teacher, e.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	topic, err := e.forums.CreateTopic(ctx, teacher, f.Forum.ID, community.TopicParams{Title: "Rutas", Body: "Texto"})
	if err != nil {
		t.Fatal(err)
	}
	closes := e.clock.Now().Add(time.Hour)
	consultation, err := e.forums.CreateTopic(ctx, teacher, f.Forum.ID, community.TopicParams{Kind: community.KindConsultation,
		Title: "Consulta", Body: "¿Qué opinan?", ClosesAt: &closes})
	if err != nil {
		t.Fatal(err)
	}
	post, err := e.forums.CreatePost(ctx, teacher, topic.ID, community.PostParams{Body: "Un mensaje"})
	if err != nil {
		t.Fatal(err)
	}
	file, err := e.forums.Attach(ctx, teacher, post.ID, "foto.png", bytes.NewReader(pngImage(t)))
	if err != nil {
		t.Fatal(err)
	}
	network, err := e.forums.NetworkForum(ctx, teacher, "es")
	if err != nil {
		t.Fatal(err)
	}
	// An event the learner takes part in, for its forum's route.
	event := forumEvent(t, e, e.teacher, e.learner)
	// moderators' and admins' routes: an enrolled learner gets 403.
	moderatorsOnly := regexp.MustCompile(`/(hide|restore|approve|lock|unlock|pin|unpin|move|moderation|revisions|answers\.csv)$|^(/api/v1)?/(moderators|community)(/|$)`)

	concreteForum := func(path string) string {
		topicID := topic.ID
		if strings.HasSuffix(path, "answers.csv") || strings.HasSuffix(path, "synthesis") {
			topicID = consultation.ID
		}
		r := strings.NewReplacer(
			"/forums/files/:id/:name?", "/forums/files/"+itoa(file.ID)+"/foto.png",
			"/forums/:id", "/forums/"+itoa(f.Forum.ID),
			"/topics/:id", "/topics/"+itoa(topicID),
			"/posts/:id", "/posts/"+itoa(post.ID),
			"/courses/:ref/forum", "/courses/"+e.course.Slug+"/forum",
			"/courses/:id/forum", "/courses/"+itoa(e.course.ID)+"/forum",
			"/moderators/:id", "/moderators/"+itoa(e.learner.ID),
			"/events/:id/forum", "/events/"+itoa(event)+"/forum",
		)
		return r.Replace(path)
	}
	fields := url.Values{"body_markdown": {"x"}, "reason": {"x"}, "post_id": {itoa(post.ID)}, "forum_id": {itoa(network.Forum.ID)}}
	jsonBody := fmt.Sprintf(`{"body_markdown":"x","reason":"x","post_id":%d,"forum_id":%d}`, post.ID, network.Forum.ID)

	outsiderToken, learnerToken := e.tokenFor(e.outsider), e.tokenFor(e.learner)
	outsider, learner, anon := e.browserFor(e.outsider), e.browserFor(e.learner), e.browser()
	outsider.get("/forums")
	learner.get("/forums")
	anon.get("/")
	do := func(c *client, token, method, path string) response {
		t.Helper()
		var req *http.Request
		if strings.HasSuffix(path, "/attachments") {
			form := url.Values{}
			if c != nil {
				form.Set("csrf", c.csrf)
			}
			body, ctype := multipartBody(t, form, "foto.png", pngImage(t))
			req = httptest.NewRequest(method, path, bytes.NewReader(body))
			req.Header.Set("Content-Type", ctype)
		} else if token != "" || c == nil {
			req = httptest.NewRequest(method, path, strings.NewReader(jsonBody))
			req.Header.Set("Content-Type", "application/json")
		} else {
			form := url.Values{"csrf": {c.csrf}}
			for k, v := range fields {
				form[k] = v
			}
			req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if c == nil {
			req.Header.Set("X-Forwarded-For", "10.202.0.1")
			res, err := e.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return response{Response: res, body: string(body)}
		}
		return c.do(req)
	}

	checked := 0
	for _, r := range e.app.GetRoutes(true) {
		if r.Method == http.MethodHead || !forumRoute.MatchString(r.Path) {
			continue
		}
		path := concreteForum(r.Path)
		api := strings.HasPrefix(r.Path, "/api/")
		scoped := strings.Contains(r.Path, ":") && !strings.Contains(r.Path, "/moderators")
		var res response
		// Someone outside the course.
		if scoped {
			if api {
				res = do(nil, outsiderToken, r.Method, path)
			} else {
				res = do(outsider, "", r.Method, path)
			}
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s as outsider: %d, want 404", r.Method, path, res.StatusCode)
			}
		}
		// The enrolled learner.
		if api {
			res = do(nil, learnerToken, r.Method, path)
		} else {
			res = do(learner, "", r.Method, path)
		}
		switch {
		case moderatorsOnly.MatchString(r.Path):
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as learner: %d, want 403", r.Method, path, res.StatusCode)
			}
		case res.StatusCode >= 500 || res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusForbidden && r.Method == http.MethodGet:
			t.Errorf("%s %s as learner: %d", r.Method, path, res.StatusCode)
		}
		// A visitor.
		if api {
			res = do(nil, "", r.Method, path)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s anonymous: %d, want 401", r.Method, path, res.StatusCode)
			}
		} else {
			res = do(anon, "", r.Method, path)
			want := http.StatusUnauthorized
			if r.Method == http.MethodGet {
				want = http.StatusSeeOther
			}
			if res.StatusCode != want {
				t.Errorf("%s %s anonymous: %d, want %d", r.Method, path, res.StatusCode, want)
			}
		}
		checked++
	}
	if checked < 60 {
		t.Fatalf("only %d forum routes checked", checked)
	}
	t.Logf("%d forum routes checked", checked)
}
