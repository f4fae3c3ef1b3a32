package app_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestPublicPagesCachedInProcess: a visitor without cookies gets the
// catalogue and a course page from this process's cache (no statement
// runs), a change made through this process shows at once, one made
// elsewhere (another node, here the database directly) within the
// cache's few seconds, and signed-in pages never come from it.
func TestPublicPagesCachedInProcess(t *testing.T) {
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	e, _ := newInstallation(t, installation{appClock: clock.Now, quietLog: true})
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 2)
	coursePath := "/courses/" + course.Slug
	search := "/courses?q=" + strings.ReplaceAll(course.Title, " ", "+")

	for _, path := range []string{coursePath, search} {
		first := e.browser().get(path)
		wantStatus(t, first, http.StatusOK)
		mustContain(t, first, html.EscapeString(course.Title))
		var again response
		if n := e.countStatements(func() { again = e.browser().get(path) }); n != 0 {
			t.Errorf("%s again: %d statements, want the cached page", path, n)
		}
		if again.body != first.body || again.Header.Get("ETag") != first.Header.Get("ETag") || again.Header.Get("Age") == "" {
			t.Errorf("%s cached: same body %v, ETag %q then %q, Age %q", path, again.body == first.body,
				first.Header.Get("ETag"), again.Header.Get("ETag"), again.Header.Get("Age"))
		}
		if cc := again.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
			t.Errorf("%s cached: Cache-Control %q", path, cc)
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", first.Header.Get("ETag"))
		if res := e.browser().do(req); res.StatusCode != http.StatusNotModified || res.body != "" {
			t.Errorf("%s revalidated from the cache: %d with %d bytes", path, res.StatusCode, len(res.body))
		}
	}

	// Another node renames the course: this one shows the old title until
	// its copy is older than the cache's lifetime.
	elsewhere := "Previdência — João Conceição Peña " + unique("")
	if _, err := e.db.NewUpdate().Model((*courses.Course)(nil)).Set("title = ?", elsewhere).
		Where("id = ?", course.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res := e.browser().get(coursePath); strings.Contains(res.body, html.EscapeString(elsewhere)) {
		t.Fatalf("course page rendered again within the cache's lifetime")
	}
	clock.Advance(10 * time.Second)
	mustContain(t, e.browser().get(coursePath), html.EscapeString(elsewhere))

	// A change through this process empties the cache at once.
	renamed := "Seguridad social — Peña " + unique("")
	wantStatus(t, e.api(http.MethodPatch, "/api/v1/courses/"+itoa(course.ID), teacherToken, map[string]any{"title": renamed}), http.StatusOK)
	mustContain(t, e.browser().get(coursePath), html.EscapeString(renamed))
	mustContain(t, e.browser().get("/courses?q="+strings.ReplaceAll(renamed, " ", "+")), html.EscapeString(renamed))

	// A signed-in learner's catalogue is their own, never the visitors' copy.
	learner := e.user(accounts.RoleLearner)
	b := e.browser()
	b.signIn(learner.Email, testPassword)
	mine := b.get(coursePath)
	mustContain(t, mine, html.EscapeString(learner.Name))
	if cc := mine.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("learner's course page: Cache-Control %q", cc)
	}

	// Archived: gone for visitors at once, not served from the cache.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(course.ID)+"/archive", teacherToken, nil), http.StatusOK)
	wantStatus(t, e.browser().get(coursePath), http.StatusNotFound)
}
