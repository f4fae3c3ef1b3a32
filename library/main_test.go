package library_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// TestMain drops this run's test databases when the package's tests end.
func TestMain(m *testing.M) { testdb.Main(m) }

// env is the library of an installation wired as `aula serve` wires it.
type env struct {
	t     testing.TB
	db    *bun.DB
	svc   *wiring.Services
	lib   *library.Service
	blobs string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvAt(t, testdb.Open(t, "library"), nil)
}

// newEnvAt is an installation on db whose clock is now (time.Now when
// nil); two of them on one database are two `aula serve` processes.
func newEnvAt(t testing.TB, db *bun.DB, now func() time.Time) *env {
	t.Helper()
	dir := t.TempDir()
	blobs, err := courses.NewDirStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, svc: svc, lib: svc.Library, blobs: dir}
}

var seq atomic.Int64

// unique returns a string no other call in this test binary returns.
func unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// user creates a user with role (and an institution of its own).
func (e *env) user(role accounts.Role) *accounts.User {
	e.t.Helper()
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Instituto " + unique(""), Acronym: unique("I"), Country: "MZ"}
	if err := accounts.NewStore(e.db).InsertInstitution(ctx, inst); err != nil {
		e.t.Fatal(err)
	}
	u := &accounts.User{Email: unique("user") + "@example.org", Name: "João Conceição " + unique(""),
		Role: role, Locale: "pt-PT", InstitutionID: &inst.ID}
	if err := accounts.NewStore(e.db).InsertUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// librarian is a learner an admin named librarian.
func (e *env) librarian() *accounts.User {
	e.t.Helper()
	admin := e.user(accounts.RoleAdmin)
	u := e.user(accounts.RoleLearner)
	if _, err := e.lib.NameLibrarian(context.Background(), admin, u.ID); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// theme returns the id of the theme with slug.
func (e *env) theme(slug string) int64 {
	e.t.Helper()
	themes, err := e.lib.Themes(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, th := range themes {
		if th.Slug == slug {
			return th.ID
		}
	}
	e.t.Fatalf("no theme %s", slug)
	return 0
}

// item catalogues and publishes an item with p's fields.
func (e *env) item(by *accounts.User, p library.ItemParams) *library.Item {
	e.t.Helper()
	ctx := context.Background()
	it, err := e.lib.CreateItem(ctx, by, p)
	if err != nil {
		e.t.Fatalf("create %q: %v", p.Title, err)
	}
	if it, err = e.lib.Publish(ctx, by, it.ID); err != nil {
		e.t.Fatal(err)
	}
	return it
}

// params are an item's fields in Portuguese about Mozambique.
func params(title string) library.ItemParams {
	return library.ItemParams{Type: library.TypeExperience, Title: title, Abstract: "Uma experiência nacional.",
		Language: "pt", Countries: []string{"MZ"}, Year: 2024}
}
