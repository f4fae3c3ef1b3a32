package courses_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestRosterCountsFollowEveryWrite: the roster's total, read from the
// counts triggers keep, stays equal to a recount of the enrolments through
// a random run of enrolments one by one and in bulk, withdrawals and
// returns, completions, moves to another course and deleted accounts.
func TestRosterCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	store := courses.NewStore(db)
	a, _ := publishedCourse(t, db, 1)
	b, _ := publishedCourse(t, db, 1)
	admin := administrator(t, db)
	r := rand.New(rand.NewPCG(21, 22))
	var users []int64
	for range 30 {
		u := &accounts.User{Email: fmt.Sprintf("counts%d@example.org", enrolSeq.Add(1)), Name: "Inês Simões", Role: accounts.RoleLearner, Locale: "pt-PT"}
		if err := accounts.NewStore(db).InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
	}
	course := func() int64 { return []int64{a.ID, b.ID}[r.IntN(2)] }
	for step := range 200 {
		var err error
		switch r.IntN(6) {
		case 0: // one, through the service
			_, err = svc.Enrol(ctx, users[r.IntN(len(users))], course(), nil)
			if err != nil && !errors.Is(err, courses.ErrAlreadyEnrolled) {
				t.Fatal(err)
			}
			err = nil
		case 1: // a bulk enrolment (withdrawn learners come back)
			_, err = store.EnrolUsers(ctx, course(), users[r.IntN(10):r.IntN(10)+10], nil, time.Now())
		case 2:
			_, err = db.NewRaw(`UPDATE enrolments SET status = 'withdrawn', withdrawn_at = now() WHERE status = 'active' AND user_id = ?`,
				users[r.IntN(len(users))]).Exec(ctx)
		case 3:
			_, err = db.NewRaw(`UPDATE enrolments SET status = 'completed', completed_at = now() WHERE status = 'active' AND user_id = ?`,
				users[r.IntN(len(users))]).Exec(ctx)
		case 4: // to the other course, when the learner is not in it already
			_, err = db.NewRaw(`UPDATE enrolments AS e SET course_id = ? WHERE user_id = ? AND NOT EXISTS
				(SELECT 1 FROM enrolments AS o WHERE o.user_id = e.user_id AND o.course_id = ?)`, a.ID, users[r.IntN(len(users))], a.ID).Exec(ctx)
		default: // an account deleted: its enrolments go with it
			i := r.IntN(len(users))
			if _, err = db.NewRaw(`DELETE FROM users WHERE id = ?`, users[i]).Exec(ctx); err == nil {
				users = append(users[:i], users[i+1:]...)
			}
		}
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		for _, c := range []int64{a.ID, b.ID} {
			roster, err := svc.Roster(ctx, admin, c, courses.RosterFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			want, err := db.NewSelect().TableExpr("enrolments").Where("course_id = ? AND status IN ('active', 'completed')", c).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if roster.Total != want {
				t.Fatalf("step %d, course %d: total %d, recount %d", step, c, roster.Total, want)
			}
			for _, st := range []courses.EnrolmentStatus{courses.EnrolmentActive, courses.EnrolmentCompleted} {
				n, err := store.CountCurrentEnrolments(ctx, c, st)
				if err != nil {
					t.Fatal(err)
				}
				want, err := db.NewSelect().TableExpr("enrolments").Where("course_id = ? AND status = ?", c, st).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != want {
					t.Fatalf("step %d, course %d, %s: count %d, recount %d", step, c, st, n, want)
				}
			}
		}
	}
}
