package courses_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

var enrolSeq atomic.Int64

func enrolDB(t testing.TB) *bun.DB { return testdb.Open(t, "courses") }

// publishedCourse inserts a published course with n modules.
func publishedCourse(t testing.TB, db bun.IDB, n int) (*courses.Course, []courses.Module) {
	t.Helper()
	ctx := context.Background()
	id := enrolSeq.Add(1)
	c := &courses.Course{Slug: fmt.Sprintf("enrol-course-%d", id), Title: "Protección Social Básica", Language: "es",
		WorkloadHours: 8, Status: courses.StatusPublished}
	if _, err := db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	mods := make([]courses.Module, n)
	for i := range mods {
		mods[i] = courses.Module{CourseID: c.ID, Position: i + 1, Title: fmt.Sprintf("Módulo %d", i+1)}
	}
	if n > 0 {
		if _, err := db.NewInsert().Model(&mods).Returning("*").Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return c, mods
}

func learner(t testing.TB, db bun.IDB) *accounts.User {
	t.Helper()
	u := &accounts.User{Email: fmt.Sprintf("learner%d@example.org", enrolSeq.Add(1)), Name: "João da Conceição", Role: accounts.RoleLearner, Locale: "pt-PT"}
	if err := accounts.NewStore(db).InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// administrator creates an admin and returns them as an actor.
func administrator(t testing.TB, db bun.IDB) courses.Actor {
	t.Helper()
	u := &accounts.User{Email: fmt.Sprintf("admin%d@example.org", enrolSeq.Add(1)), Name: "Ana Peña", Role: accounts.RoleAdmin, Locale: "es"}
	if err := accounts.NewStore(db).InsertUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return courses.ActorFor(u)
}

func TestEnrolRules(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 2)
	u := learner(t, db)

	e, err := svc.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != courses.EnrolmentActive || e.ProgressPercent != 0 || e.ID == 0 {
		t.Fatalf("enrolment %+v", e)
	}
	if _, err := svc.Enrol(ctx, u.ID, c.ID, nil); !errors.Is(err, courses.ErrAlreadyEnrolled) {
		t.Fatalf("second enrol: %v, want ErrAlreadyEnrolled", err)
	}

	draft, _ := publishedCourse(t, db, 1)
	if _, err := db.NewUpdate().Model(draft).Set("status = 'draft'").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enrol(ctx, u.ID, draft.ID, nil); !errors.Is(err, courses.ErrNotPublished) {
		t.Fatalf("enrol in draft: %v, want ErrNotPublished", err)
	}
	if _, err := svc.Enrol(ctx, u.ID, 987654321, nil); !errors.Is(err, courses.ErrNotFound) {
		t.Fatalf("enrol in missing course: %v, want ErrNotFound", err)
	}

	// Withdrawing and coming back keeps what was done.
	mods := moduleIDs(t, db, c.ID)
	if _, err := svc.CompleteModule(ctx, u.ID, e.ID, mods[0]); err != nil {
		t.Fatal(err)
	}
	if err := svc.Withdraw(ctx, u.ID, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enrolment(ctx, u.ID, c.ID); !errors.Is(err, courses.ErrNotEnrolled) {
		t.Fatalf("after withdraw: %v, want ErrNotEnrolled", err)
	}
	back, err := svc.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != e.ID || back.ProgressPercent != 50 {
		t.Fatalf("re-enrolment %+v, want the same id at 50%%", back)
	}
}

func moduleIDs(t testing.TB, db bun.IDB, courseID int64) []int64 {
	t.Helper()
	var ids []int64
	if err := db.NewSelect().Model((*courses.Module)(nil)).Column("id").Where("course_id = ?", courseID).Order("position").Scan(context.Background(), &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestCompletion(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	var hooked atomic.Int64
	svc.OnCompleted(func(ctx context.Context, db bun.IDB, e *courses.Enrolment) error {
		hooked.Add(1)
		return nil
	})
	c, _ := publishedCourse(t, db, 3)
	mods := moduleIDs(t, db, c.ID)
	u := learner(t, db)
	e, err := svc.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}

	got, err := svc.CompleteModule(ctx, u.ID, e.ID, mods[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.ProgressPercent != 33 || got.Status != courses.EnrolmentActive {
		t.Fatalf("after 1 of 3: %+v", got)
	}
	// Twice is the same as once.
	if got, err = svc.CompleteModule(ctx, u.ID, e.ID, mods[0]); err != nil || got.ProgressPercent != 33 {
		t.Fatalf("repeat: %+v %v", got, err)
	}
	if _, err := svc.CompleteModule(ctx, u.ID, e.ID, mods[1]); err != nil {
		t.Fatal(err)
	}
	got, err = svc.CompleteModule(ctx, u.ID, e.ID, mods[2])
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != courses.EnrolmentCompleted || got.CompletedAt == nil || got.ProgressPercent != 100 {
		t.Fatalf("after the last module: %+v", got)
	}
	first := *got.CompletedAt
	if _, err := svc.CompleteModule(ctx, u.ID, e.ID, mods[2]); err != nil {
		t.Fatal(err)
	}
	if hooked.Load() != 1 {
		t.Fatalf("completion hook ran %d times, want 1", hooked.Load())
	}

	// A module added later does not take the completion away.
	if _, err := db.NewInsert().Model(&courses.Module{CourseID: c.ID, Position: 4, Title: "Anexo"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := svc.Enrolment(ctx, u.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != courses.EnrolmentCompleted || !after.CompletedAt.Equal(first) || after.ProgressPercent != 100 {
		t.Fatalf("after a new module: %+v", after)
	}
}

func TestCompletionNeedsOwnEnrolmentAndModule(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	other, _ := publishedCourse(t, db, 1)
	owner, intruder := learner(t, db), learner(t, db)
	e, err := svc.Enrol(ctx, owner.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CompleteModule(ctx, intruder.ID, e.ID, moduleIDs(t, db, c.ID)[0]); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("another learner completing: %v, want ErrNotFound", err)
	}
	if _, err := svc.LearnerEnrolment(ctx, intruder.ID, e.ID); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("another learner reading: %v, want ErrNotFound", err)
	}
	if _, err := svc.CompleteModule(ctx, owner.ID, e.ID, moduleIDs(t, db, other.ID)[0]); !errors.Is(err, courses.ErrNotFound) {
		t.Errorf("module of another course: %v, want ErrNotFound", err)
	}
}

// TestConcurrentCompletion: two requests finishing the last module at the
// same moment (double click, two tabs) complete the course once.
func TestConcurrentCompletion(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	var hooked atomic.Int64
	svc.OnCompleted(func(ctx context.Context, db bun.IDB, e *courses.Enrolment) error {
		hooked.Add(1)
		return nil
	})
	for round := 0; round < 5; round++ {
		c, _ := publishedCourse(t, db, 2)
		mods := moduleIDs(t, db, c.ID)
		u := learner(t, db)
		e, err := svc.Enrol(ctx, u.ID, c.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := hooked.Load()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		// Both modules at once, twice each: whichever commits last completes.
		for _, m := range []int64{mods[0], mods[1], mods[0], mods[1]} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.CompleteModule(ctx, u.ID, e.ID, m)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := svc.Enrolment(ctx, u.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != courses.EnrolmentCompleted {
			t.Fatalf("round %d: status %s, want completed", round, got.Status)
		}
		if n := hooked.Load() - before; n != 1 {
			t.Fatalf("round %d: completion hook ran %d times, want 1", round, n)
		}
	}
}

// TestRequirementsGateCompletion: another package's requirement (a
// required quiz) must be met too.
func TestRequirementsGateCompletion(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	// The other package's table: enrolments that passed their quiz.
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS test_quiz_passes (enrolment_id bigint PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	svc.AddRequirement(courses.Requirement{
		Done:  "(SELECT count(*) FROM test_quiz_passes AS p WHERE p.enrolment_id = e.id)",
		Total: "1",
	})
	quizPassed := func(enrolmentID int64) {
		if _, err := db.ExecContext(ctx, `INSERT INTO test_quiz_passes VALUES (?)`, enrolmentID); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := publishedCourse(t, db, 1)
	u := learner(t, db)
	e, err := svc.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.CompleteModule(ctx, u.ID, e.ID, moduleIDs(t, db, c.ID)[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != courses.EnrolmentActive || got.ProgressPercent != 50 {
		t.Fatalf("module done, quiz not passed: %+v", got)
	}
	quizPassed(e.ID)
	got, err = svc.CheckCompletion(ctx, db, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != courses.EnrolmentCompleted {
		t.Fatalf("quiz passed: %+v", got)
	}
}

func TestMyCoursesAndRoster(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 2)
	mods := moduleIDs(t, db, c.ID)
	u := learner(t, db)
	e, err := svc.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CompleteModule(ctx, u.ID, e.ID, mods[0]); err != nil {
		t.Fatal(err)
	}
	mine, err := svc.MyCourses(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Course.Title != "Protección Social Básica" || mine[0].Next == nil || mine[0].Next.ID != mods[1] || mine[0].Enrolment.ProgressPercent != 50 {
		t.Fatalf("my courses %+v", mine)
	}
	roster, err := svc.Roster(ctx, administrator(t, db), c.ID, courses.RosterFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if roster.Total != 1 || roster.Items[0].User.Name != "João da Conceição" || roster.Items[0].ProgressPercent != 50 || roster.Course.ID != c.ID {
		t.Fatalf("roster %+v", roster)
	}
}

// TestEnrolmentActors: who may do what is decided by the service, not by
// the handler in front of it. A draft is not found by outsiders, even when
// they try to enrol in it; only admins enrol others, by hand, by
// institution or from a file; a roster is its editors'.
func TestEnrolmentActors(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	pub, _ := publishedCourse(t, db, 1)
	draft, _ := publishedCourse(t, db, 1)
	if _, err := db.NewUpdate().Model(draft).Set("status = 'draft'").WherePK().Exec(ctx); err != nil {
		t.Fatal(err)
	}
	me, other := learner(t, db), learner(t, db)
	student := courses.ActorFor(me)
	admin := administrator(t, db)
	teacherUser := &accounts.User{Email: fmt.Sprintf("teacher%d@example.org", enrolSeq.Add(1)), Name: "Profesora", Role: accounts.RoleInstructor, Locale: "es"}
	if err := accounts.NewStore(db).InsertUser(ctx, teacherUser); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewInsert().Model(&courses.CourseInstructor{CourseID: pub.ID, UserID: teacherUser.ID}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	teacher := courses.ActorFor(teacherUser)
	inst := institution(t, db, fmt.Sprintf("ACT%d", enrolSeq.Add(1)))
	file := fmt.Sprintf("email,name,institution_acronym\nactor%d@example.org,Ana,\n", enrolSeq.Add(1))
	rows := func(dryRun bool) courses.BulkImport {
		return courses.BulkImport{File: strings.NewReader(file), DryRun: dryRun}
	}

	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"self-enrol in a draft", first(svc.EnrolSelf(ctx, student, draft.ID)), courses.ErrNotFound},
		{"visitor enrols", first(svc.EnrolSelf(ctx, courses.Actor{}, pub.ID)), courses.ErrForbidden},
		{"learner enrols another", first(svc.EnrolUser(ctx, student, pub.ID, other.ID)), courses.ErrForbidden},
		{"learner enrols another in a draft", first(svc.EnrolUser(ctx, student, draft.ID, other.ID)), courses.ErrNotFound},
		{"instructor enrols another", first(svc.EnrolUser(ctx, teacher, pub.ID, other.ID)), courses.ErrForbidden},
		{"admin enrols another in a draft", first(svc.EnrolUser(ctx, admin, draft.ID, other.ID)), courses.ErrNotPublished},
		{"learner imports a file", first(svc.BulkEnrol(ctx, student, pub.ID, rows(false))), courses.ErrForbidden},
		{"instructor imports a file", first(svc.BulkEnrol(ctx, teacher, pub.ID, rows(true))), courses.ErrForbidden},
		{"learner enrols an institution", first(svc.EnrolInstitution(ctx, student, pub.ID, inst.ID)), courses.ErrForbidden},
		{"admin enrols a missing institution", first(svc.EnrolInstitution(ctx, admin, pub.ID, 987654321)), accounts.ErrNotFound},
		{"learner reads the roster", first(svc.Roster(ctx, student, pub.ID, courses.RosterFilter{Limit: 10})), courses.ErrForbidden},
		{"learner reads a draft's roster", first(svc.Roster(ctx, student, draft.ID, courses.RosterFilter{Limit: 10})), courses.ErrNotFound},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	if _, err := svc.Roster(ctx, teacher, pub.ID, courses.RosterFilter{Limit: 10}); err != nil {
		t.Errorf("the course's instructor reads its roster: %v", err)
	}
	if e, err := svc.EnrolUser(ctx, admin, pub.ID, other.ID); err != nil || e.UserID != other.ID || e.EnrolledBy == nil || *e.EnrolledBy != admin.UserID {
		t.Errorf("admin enrols another: %+v %v", e, err)
	}
	if e, err := svc.EnrolSelf(ctx, student, pub.ID); err != nil || e.UserID != me.ID || e.EnrolledBy != nil {
		t.Errorf("self-enrolment: %+v %v", e, err)
	}
}

// first returns the error of a call that also returns a value.
func first[T any](_ T, err error) error { return err }
