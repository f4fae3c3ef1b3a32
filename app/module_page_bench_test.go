package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// BenchmarkModulePage is a signed-in learner's module page served in the
// process (app.Test, no network), its statements on PostgreSQL: what the
// process spends per view and, with -benchmem, what it allocates, which
// unlike the time does not move with the machine's other work. Run it with
//
//	go test -run '^$' -bench ModulePage -benchmem -benchtime 3000x ./app/
func BenchmarkModulePage(b *testing.B) {
	ctx := context.Background()
	e := newQuizEnv(b)
	store := accounts.NewStore(e.db)
	teacher := &accounts.User{Email: unique("bench") + "@example.org", Name: "Conceição " + unique(""), Role: accounts.RoleInstructor, Locale: "pt-PT"}
	learner := &accounts.User{Email: unique("bench") + "@example.org", Name: "Peña " + unique(""), Role: accounts.RoleLearner, Locale: "es"}
	for _, u := range []*accounts.User{teacher, learner} {
		if err := store.InsertUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	course, mods := quizCourse(b, e.db, teacher, 3)
	if _, err := e.courses.Enrol(ctx, learner.ID, course.ID, nil); err != nil {
		b.Fatal(err)
	}
	token, err := e.accounts.StartSession(ctx, learner.ID, "", accounts.SessionInfo{})
	if err != nil {
		b.Fatal(err)
	}
	path := fmt.Sprintf("/courses/%s/modules/%d", course.Slug, mods[1].ID)
	get := func() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: "aula_session", Value: token})
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := e.app.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, res.StatusCode)
		}
	}
	get()
	b.ResetTimer()
	for range b.N {
		get()
	}
}
