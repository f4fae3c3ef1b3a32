package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// BenchmarkSearchPages is an admin's user search and certificate search,
// a full page of 20 each, served in the process (app.Test, no network) on
// PostgreSQL: with -benchmem, what the process allocates per view, and
// the statements it sends, which unlike the time do not move with the
// machine's other work. Run it with
//
//	go test -run '^$' -bench SearchPages -benchmem -benchtime 2000x ./app/
func BenchmarkSearchPages(b *testing.B) {
	ctx := context.Background()
	e, svc := newInstallation(b, installation{quietLog: true})
	store := accounts.NewStore(e.db)
	word := unique("Magalhães")
	admin := &accounts.User{Email: unique("admin") + "@example.org", Name: "Admin " + word, Role: accounts.RoleAdmin, Locale: "es"}
	if err := store.InsertUser(ctx, admin); err != nil {
		b.Fatal(err)
	}
	course, mods := quizCourse(b, e.db, admin, 1)
	for i := range 30 {
		inst := &accounts.Institution{Name: "Instituto Nacional de Previsión " + word, Acronym: unique("INP"), Country: "ES"}
		if err := store.InsertInstitution(ctx, inst); err != nil {
			b.Fatal(err)
		}
		u := &accounts.User{Email: fmt.Sprintf("%s.%d@example.org", unique("holder"), i), Name: fmt.Sprintf("%s Núñez %d", word, i),
			Role: accounts.RoleLearner, Locale: "es", InstitutionID: &inst.ID}
		if err := store.InsertUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		en, err := svc.Courses.Enrol(ctx, u.ID, course.ID, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Courses.CompleteModule(ctx, u.ID, en.ID, mods[0].ID); err != nil {
			b.Fatal(err)
		}
	}
	token, err := e.accounts.StartSession(ctx, admin.ID, "", accounts.SessionInfo{})
	if err != nil {
		b.Fatal(err)
	}
	q := url.QueryEscape(strings.ToUpper(word) + " núñez")
	for _, page := range []struct{ name, path string }{
		{"users", "/admin/users?q=" + q},
		{"certificates", "/admin/certificates?q=" + q},
	} {
		b.Run(page.name, func(b *testing.B) {
			get := func() {
				req := httptest.NewRequest(http.MethodGet, page.path, nil)
				req.AddCookie(&http.Cookie{Name: "aula_session", Value: token})
				req.Header.Set("Accept-Encoding", "gzip")
				res, err := e.app.Test(req, -1)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %d", page.path, res.StatusCode)
				}
			}
			get()
			before := e.statements.Load()
			b.ResetTimer()
			for range b.N {
				get()
			}
			b.StopTimer()
			b.ReportMetric(float64(e.statements.Load()-before)/float64(b.N), "statements/op")
		})
	}
}
