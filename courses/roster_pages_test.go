package courses_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestRosterPagesByCursor: walking a roster page by page with the cursor
// each page hands out lists every learner once, in the order of one long
// page, learners of the same name included, with or without a filter,
// whether the course is read by sorting its few enrolments or by walking
// the learners' names; a cursor String did not write is refused.
func TestRosterPagesByCursor(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	c, _ := publishedCourse(t, db, 1)
	inst := institution(t, db, fmt.Sprintf("RST%d", enrolSeq.Add(1)))
	names := []string{"Ana Peña", "Ana Peña", "Ana Peña", "Zoë Núñez", "João Conceição", "Álvaro Gonçalves", "Inês", "Ana Peñalva"}
	for i, name := range names {
		u := &accounts.User{Email: fmt.Sprintf("roster%d@example.org", enrolSeq.Add(1)), Name: name, Role: accounts.RoleLearner, Locale: "es"}
		if i%2 == 0 {
			u.InstitutionID = &inst.ID
		}
		if err := accounts.NewStore(db).InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, u.ID, c.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	admin := administrator(t, db)
	var sorted []int64 // the whole course's one long page, read by sorting
	for _, run := range []struct {
		few int
		f   courses.RosterFilter
	}{{1000, courses.RosterFilter{}}, {0, courses.RosterFilter{}}, {1000, courses.RosterFilter{InstitutionID: inst.ID}}} {
		restore := courses.SetFewEnrolments(run.few)
		f := run.f
		f.Limit = 100
		all, err := svc.Roster(ctx, admin, c.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		if all.Next != nil {
			t.Errorf("one page of every learner has a next page: %v", all.Next)
		}
		var want, got []int64
		for _, e := range all.Items {
			want = append(want, e.User.ID)
		}
		f.Limit = 3
		for range len(names) {
			page, err := svc.Roster(ctx, admin, c.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != all.Total {
				t.Errorf("page total %d, want %d", page.Total, all.Total)
			}
			for _, e := range page.Items {
				got = append(got, e.User.ID)
			}
			if page.Next == nil {
				break
			}
			if f.After, err = courses.ParseRosterCursor(page.Next.String()); err != nil || *f.After != *page.Next {
				t.Fatalf("cursor %v read back as %v (%v)", page.Next, f.After, err)
			}
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("institution %d, few %d: pages walked %v, want %v", f.InstitutionID, run.few, got, want)
		}
		if f.InstitutionID == 0 {
			if sorted != nil && !slices.Equal(want, sorted) {
				t.Errorf("walked by name %v, sorted %v", want, sorted)
			}
			sorted = want
		}
		restore()
	}
	for _, bad := range []string{"", "12", "x.QW5h", "12.*", "-3.QW5h"} {
		if _, err := courses.ParseRosterCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}
