package certificates

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
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/migrations/testdb"
)

// fixture is a migrated database with the courses and certificates
// services wired as `aula serve` wires them.
type fixture struct {
	t       *testing.T
	db      *bun.DB
	courses *courses.Service
	svc     *Service
	clock   *testClock
	blobs   *courses.DirStore
	jobs    *jobs.Queue // works the ZIP jobs, as every process does
}

// testClock is a settable clock, so expiry can be tested without waiting.
type testClock struct{ now atomic.Pointer[time.Time] }

func (c *testClock) Now() time.Time {
	if t := c.now.Load(); t != nil {
		return *t
	}
	return time.Now()
}

func (c *testClock) Set(t time.Time) { c.now.Store(&t) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.Open(t, "certificates")
	clock := &testClock{}
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cs := courses.NewService(db, courses.Options{Blobs: blobs, Now: clock.Now})
	svc, err := NewService(db, Options{Renderer: newTestRenderer(t), BaseURL: "https://aula.example.org", Now: clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	cs.OnCompleted(svc.IssueOnCompletion)
	cs.AddBlobUser(svc.ZipFilesInUse) // as wiring does
	q := jobs.New(db, jobs.Options{Now: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	q.Register(svc.ZipJobKind())
	return &fixture{t: t, db: db, courses: cs, svc: svc, clock: clock, blobs: blobs, jobs: q}
}

var seq atomic.Int64

func unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, seq.Add(1)) }

// user inserts a learner of a new institution.
func (f *fixture) user(name string) *accounts.User {
	f.t.Helper()
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Ministério do Desenvolvimento Social", Acronym: unique("MDS"), Country: "BR"}
	if err := accounts.NewStore(f.db).InsertInstitution(ctx, inst); err != nil {
		f.t.Fatal(err)
	}
	u := &accounts.User{Email: unique("learner") + "@example.org", Name: name, Role: accounts.RoleLearner, Locale: "pt-PT", InstitutionID: &inst.ID}
	if err := accounts.NewStore(f.db).InsertUser(ctx, u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// admin inserts an administrator.
func (f *fixture) admin() *accounts.User {
	f.t.Helper()
	u := &accounts.User{Email: unique("admin") + "@example.org", Name: "Ana Administradora", Role: accounts.RoleAdmin, Locale: "es"}
	if err := accounts.NewStore(f.db).InsertUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

// course inserts a published course with n modules.
func (f *fixture) course(n int, validityMonths *int) (*courses.Course, []int64) {
	f.t.Helper()
	ctx := context.Background()
	c := &courses.Course{Slug: unique("proteccion-"), Title: "Protección Social Básica", Language: "es",
		WorkloadHours: 40, Status: courses.StatusPublished, CertificateValidityMonths: validityMonths}
	if _, err := f.db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		f.t.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range ids {
		m := &courses.Module{CourseID: c.ID, Position: i + 1, Title: fmt.Sprintf("Módulo %d", i+1)}
		if _, err := f.db.NewInsert().Model(m).Returning("id").Exec(ctx); err != nil {
			f.t.Fatal(err)
		}
		ids[i] = m.ID
	}
	return c, ids
}

// enrol enrols u in c.
func (f *fixture) enrol(u *accounts.User, c *courses.Course) *courses.Enrolment {
	f.t.Helper()
	e, err := f.courses.Enrol(context.Background(), u.ID, c.ID, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// complete enrols u in a new course of n modules and completes it.
func (f *fixture) complete(u *accounts.User, c *courses.Course, modules []int64) *courses.Enrolment {
	f.t.Helper()
	e := f.enrol(u, c)
	for _, m := range modules {
		var err error
		if e, err = f.courses.CompleteModule(context.Background(), u.ID, e.ID, m); err != nil {
			f.t.Fatal(err)
		}
	}
	if e.Status != courses.EnrolmentCompleted {
		f.t.Fatalf("enrolment %d is %s after every module", e.ID, e.Status)
	}
	return e
}

// certificatesOf returns every certificate row of an enrolment's user and course.
func (f *fixture) certificatesOf(userID, courseID int64) []Certificate {
	f.t.Helper()
	var list []Certificate
	if err := f.db.NewSelect().Model(&list).Where("user_id = ? AND course_id = ?", userID, courseID).Order("id").Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return list
}
