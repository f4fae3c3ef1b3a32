package courses_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestBulkEnrolWhileAnAccountIsCreated: an admin creates one of a file's
// people while the import runs (here: holds the new row uncommitted until
// the import waits for it). The import does not fail on the unique email;
// it enrols the account the admin made, and creates the others.
func TestBulkEnrolWhileAnAccountIsCreated(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	admin := administrator(t, db)
	n := enrolSeq.Add(1)
	racing := fmt.Sprintf("racing%d@example.org", n)
	file := fmt.Sprintf("email,name,institution_acronym\nalone%d@example.org,Ana Peña,\n%s,João Conceição,\nzeta%d@example.org,Zé,\n", n, strings.ToUpper(racing), n)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // committed below
	byAdmin := &accounts.User{Email: racing, Name: "João da Conceição", Role: accounts.RoleLearner, Locale: "pt-BR"}
	if err := accounts.NewStore(tx).InsertUser(ctx, byAdmin); err != nil {
		t.Fatal(err)
	}

	type outcome struct {
		res *courses.BulkResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := svc.BulkEnrol(ctx, admin, c.ID, courses.BulkImport{File: strings.NewReader(file)})
		done <- outcome{res, err}
	}()
	waitForLockWait(t, db)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var got outcome
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the import never finished")
	}
	if got.err != nil {
		t.Fatalf("import beside a new account: %v", got.err)
	}
	if got.res.CreatedUsers != 2 || got.res.Enrolled != 3 || len(got.res.NewAccounts) != 2 {
		t.Errorf("result %+v", got.res)
	}
	for _, a := range got.res.NewAccounts {
		if strings.EqualFold(a.Email, racing) {
			t.Errorf("the admin's account is reported as the import's: %+v", a)
		}
	}
	var enrolled bool
	enrolled, err = db.NewSelect().Model((*courses.Enrolment)(nil)).Where("course_id = ? AND user_id = ?", c.ID, byAdmin.ID).Exists(ctx)
	if err != nil || !enrolled {
		t.Errorf("the admin's account is not enrolled: %v", err)
	}
}

// waitForLockWait waits until a session of the test database waits for a
// lock: the import has reached the row another transaction holds.
func waitForLockWait(t *testing.T, db *bun.DB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var waiting int
		err := db.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(context.Background(), &waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the import never waited for the held row")
}

// TestConcurrentBulkEnrolments: imports sharing people, into one course
// and into others, run at once from committed data. Every one succeeds,
// every person gets one account and every enrolment is there.
func TestConcurrentBulkEnrolments(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	admin := administrator(t, db)
	shared, _ := publishedCourse(t, db, 1)
	own, _ := publishedCourse(t, db, 1)
	n := enrolSeq.Add(1)
	const people, imports = 60, 6
	files := make([]string, imports)
	for i := range files {
		var b strings.Builder
		b.WriteString("email;name;institution_acronym\n")
		// Each file holds everyone, starting at a different person, so
		// the imports meet each other's new rows in every order.
		for k := 0; k < people; k++ {
			p := (k + i*people/imports) % people
			fmt.Fprintf(&b, "p%d-%d@example.org;Pessoa %d da Conceição;\n", n, p, p)
		}
		files[i] = b.String()
	}
	var wg sync.WaitGroup
	errs := make([]error, imports)
	created := make([]int, imports)
	start := make(chan struct{})
	for i := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			course := shared.ID
			if i%2 == 1 {
				course = own.ID
			}
			res, err := svc.BulkEnrol(ctx, admin, course, courses.BulkImport{File: strings.NewReader(files[i])})
			errs[i] = err
			if res != nil {
				created[i] = res.CreatedUsers
			}
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("import %d: %v", i, err)
		}
		total += created[i]
	}
	if total != people {
		t.Errorf("%d accounts reported created, want %d", total, people)
	}
	accountsMade, err := db.NewSelect().Model((*accounts.User)(nil)).Where("email LIKE ?", fmt.Sprintf("p%d-%%", n)).Count(ctx)
	if err != nil || accountsMade != people {
		t.Errorf("%d accounts, want %d (%v)", accountsMade, people, err)
	}
	for _, c := range []int64{shared.ID, own.ID} {
		got, err := db.NewSelect().Model((*courses.Enrolment)(nil)).Where("course_id = ?", c).Count(ctx)
		if err != nil || got != people {
			t.Errorf("course %d: %d enrolments, want %d (%v)", c, got, people, err)
		}
	}
}
