package courses_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

var authorSeq atomic.Int64

// authoring is a courses.Service on the package's test database with a
// blob store in a temporary directory.
type authoring struct {
	t     testing.TB
	db    *bun.DB
	svc   *courses.Service
	blobs string // the blob store's directory
}

func newAuthoring(t testing.TB) *authoring { return newAuthoringOn(t, "courses") }

// newAuthoringOn is newAuthoring on the test database called name.
func newAuthoringOn(t testing.TB, name string) *authoring {
	t.Helper()
	db := testdb.Open(t, name)
	root := filepath.Join(t.TempDir(), "blobs")
	store, err := courses.NewDirStore(root)
	if err != nil {
		t.Fatal(err)
	}
	return &authoring{t: t, db: db, svc: courses.NewService(db, courses.Options{Blobs: store, UploadMaxBytes: 1 << 20}), blobs: root}
}

// person creates a user with role and returns them as an actor.
func (a *authoring) person(role accounts.Role) courses.Actor {
	a.t.Helper()
	n := authorSeq.Add(1)
	u := &accounts.User{Email: fmt.Sprintf("author%d@example.org", n), Name: fmt.Sprintf("María Peña %d", n), Role: role, Locale: "es"}
	if err := accounts.NewStore(a.db).InsertUser(context.Background(), u); err != nil {
		a.t.Fatal(err)
	}
	return courses.ActorFor(u)
}

// course creates a draft course taught by actor, titled title plus a
// number that keeps its slug apart from other tests' courses.
func (a *authoring) course(actor courses.Actor, title string) *courses.Course {
	a.t.Helper()
	c, err := a.svc.CreateCourse(context.Background(), actor, courses.CourseParams{
		Title: fmt.Sprintf("%s %d", title, authorSeq.Add(1)), Summary: "Resumen del curso.", Language: "es", WorkloadHours: 10})
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// module adds a module titled title to a course.
func (a *authoring) module(actor courses.Actor, courseID int64, title string) *courses.Module {
	a.t.Helper()
	m, err := a.svc.CreateModule(context.Background(), actor, courseID, courses.ModuleParams{Title: title, BodyMarkdown: "# " + title + "\n\nTexto.", EstimatedMinutes: 15})
	if err != nil {
		a.t.Fatal(err)
	}
	return m
}

// published creates a published course with modules titled titles.
func (a *authoring) published(actor courses.Actor, title string, titles ...string) (*courses.Course, []*courses.Module) {
	a.t.Helper()
	c := a.course(actor, title)
	var mods []*courses.Module
	for _, mt := range titles {
		mods = append(mods, a.module(actor, c.ID, mt))
	}
	c, err := a.svc.Publish(context.Background(), actor, c.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return c, mods
}

// titles returns the titles of modules in order.
func titles(mods []courses.Module) []string {
	out := make([]string, len(mods))
	for i, m := range mods {
		out[i] = m.Title
	}
	return out
}
