package courses_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestKeptProgressFollowsEveryWrite: each enrolment's modules completed
// and latest module completion, which triggers keep for the gradebook,
// stay equal to a recount of the completions through a random run of
// modules completed (through the service and directly), completions
// removed, modules archived, restored and deleted, enrolments moved to
// another course and accounts deleted; the gradebook's modules done (the
// kept count less the archived modules' completions) equals the live
// modules' recount; and the rebuild the seeders call changes nothing.
func TestKeptProgressFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := enrolDB(t)
	svc := courses.NewService(db, courses.Options{})
	a, amods := publishedCourse(t, db, 4)
	b, bmods := publishedCourse(t, db, 3)
	admin := administrator(t, db)
	mods := append(append([]courses.Module(nil), amods...), bmods...)
	r := rand.New(rand.NewPCG(31, 32))
	var users []int64
	for range 12 {
		u := &accounts.User{Email: fmt.Sprintf("progress%d@example.org", enrolSeq.Add(1)), Name: "Inês Simões", Role: accounts.RoleLearner, Locale: "pt-PT"}
		if err := accounts.NewStore(db).InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users = append(users, u.ID)
		for _, c := range []int64{a.ID, b.ID} {
			if r.IntN(3) > 0 {
				if _, err := svc.Enrol(ctx, u.ID, c, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	type kept struct {
		ID, Done, Completed     int64
		WantDone, WantCompleted int64
		Last, Want              string
	}
	check := func(step int, what string) {
		t.Helper()
		var rows []kept
		err := db.NewRaw(`WITH e AS ((?) UNION ALL (?))
			SELECT e.enrolment_id AS id, e.modules_done AS done, k.modules_completed AS completed,
				coalesce(e.last_module_at::text, '') AS last,
				(SELECT count(*) FROM module_completions AS mc JOIN modules AS m ON m.id = mc.module_id
					WHERE mc.enrolment_id = k.id AND m.course_id = k.course_id AND m.archived_at IS NULL) AS want_done,
				(SELECT count(*) FROM module_completions AS mc JOIN modules AS m ON m.id = mc.module_id
					WHERE mc.enrolment_id = k.id AND m.course_id = k.course_id) AS want_completed,
				coalesce((SELECT max(mc.completed_at) FROM module_completions AS mc WHERE mc.enrolment_id = k.id)::text, '') AS want
			FROM e JOIN enrolments AS k ON k.id = e.enrolment_id WHERE k.course_id IN (?, ?) ORDER BY 1`,
			courses.ReportEnrolments(db, a.ID), courses.ReportEnrolments(db, b.ID), a.ID, b.ID).Scan(ctx, &rows)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range rows {
			if k.Done != k.WantDone || k.Completed != k.WantCompleted || k.Last != k.Want {
				t.Fatalf("step %d (%s): enrolment %d: %d done, %d completed, last %q; recount %d, %d, %q",
					step, what, k.ID, k.Done, k.Completed, k.Last, k.WantDone, k.WantCompleted, k.Want)
			}
		}
	}
	enrolment := func() (id, user, course int64, ok bool) {
		err := db.NewRaw(`SELECT id, user_id, course_id FROM enrolments WHERE course_id IN (?, ?) ORDER BY random() LIMIT 1`,
			a.ID, b.ID).Scan(ctx, &id, &user, &course)
		return id, user, course, err == nil
	}
	for step := range 300 {
		m := mods[r.IntN(len(mods))]
		var err error
		what := ""
		switch r.IntN(8) {
		case 0, 1: // a learner completes a module of their course
			what = "complete"
			if id, user, course, ok := enrolment(); ok {
				for _, m := range mods {
					if m.CourseID == course && r.IntN(2) == 0 {
						_, err = svc.CompleteModule(ctx, user, id, m.ID)
						break
					}
				}
				if err != nil {
					err = nil // archived or deleted module, completed course: refused, nothing written
				}
			}
		case 2: // any module, written directly, at an earlier time
			what = "insert"
			if id, _, _, ok := enrolment(); ok {
				_, err = db.NewRaw(`INSERT INTO module_completions (enrolment_id, module_id, completed_at)
					SELECT ?, id, now() - interval '1 day' * ? FROM modules WHERE id = ? ON CONFLICT DO NOTHING`, id, r.IntN(30), m.ID).Exec(ctx)
			}
		case 3:
			what = "uncomplete"
			_, err = db.NewRaw(`DELETE FROM module_completions WHERE ctid = (SELECT ctid FROM module_completions ORDER BY random() LIMIT 1)`).Exec(ctx)
		case 4:
			what = "archive"
			_, err = svc.ArchiveModule(ctx, admin, m.CourseID, m.ID)
		case 5:
			what = "restore"
			_, err = svc.RestoreModule(ctx, admin, m.CourseID, m.ID)
		case 6:
			what = "move"
			if id, _, course, ok := enrolment(); ok {
				other := a.ID
				if course == a.ID {
					other = b.ID
				}
				_, err = db.NewRaw(`UPDATE enrolments AS e SET course_id = ? WHERE id = ? AND NOT EXISTS
					(SELECT 1 FROM enrolments AS o WHERE o.user_id = e.user_id AND o.course_id = ?)`, other, id, other).Exec(ctx)
			}
		default:
			if r.IntN(4) == 0 && len(mods) > 2 { // a module deleted: its completions go with it
				what = "delete module"
				i := r.IntN(len(mods))
				if _, err = db.NewRaw(`DELETE FROM modules WHERE id = ?`, mods[i].ID).Exec(ctx); err == nil {
					mods = append(mods[:i], mods[i+1:]...)
				}
			} else if len(users) > 1 {
				what = "delete account"
				i := r.IntN(len(users))
				if _, err = db.NewRaw(`DELETE FROM users WHERE id = ?`, users[i]).Exec(ctx); err == nil {
					users = append(users[:i], users[i+1:]...)
				}
			}
		}
		if err != nil && what != "archive" && what != "restore" {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		check(step, what)
	}
	// The rebuild agrees with what the triggers kept.
	if _, err := db.ExecContext(ctx, `SELECT courses_progress_rebuild()`); err != nil {
		t.Fatal(err)
	}
	check(-1, "rebuild")
}
