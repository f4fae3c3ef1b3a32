package assessment_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/aula-platform/aula/assessment"
)

// TestResultsCountsFollowEveryWrite: the results' totals, read from the
// counts triggers keep, stay equal to a recount of the attempts through a
// random run of starts, submits (passed or not), regrades back to open,
// moves to another quiz and deletions, written straight in SQL as any
// path could write them; the outcome filters too.
func TestResultsCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	quizzes := []*assessment.Quiz{w.quiz(nil), w.quiz(nil)}
	_, e := w.learner()
	r := rand.New(rand.NewPCG(11, 12))
	var ids []int64
	number := 0
	for step := range 300 {
		qz := quizzes[r.IntN(2)]
		switch op := r.IntN(6); {
		case op <= 1 || len(ids) == 0: // a start: open
			number++
			var id int64
			err := w.db.NewRaw(`INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, layout)
				VALUES (?, ?, ?, ?, now(), '[]') RETURNING id`, qz.ID, e.ID, e.UserID, number).Scan(ctx, &id)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		case op == 2: // a submit, or a regrade
			_, err := w.db.NewRaw(`UPDATE attempts SET submitted_at = now(), passed = ? WHERE id = ?`,
				r.IntN(2) == 0, ids[r.IntN(len(ids))]).Exec(ctx)
			if err != nil {
				t.Fatal(err)
			}
		case op == 3: // reopened, as a correction would
			if _, err := w.db.NewRaw(`UPDATE attempts SET submitted_at = NULL, passed = false WHERE id = ?`, ids[r.IntN(len(ids))]).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		case op == 4: // moved to the other quiz
			if _, err := w.db.NewRaw(`UPDATE attempts SET quiz_id = ? WHERE id = ?`, qz.ID, ids[r.IntN(len(ids))]).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		default:
			i := r.IntN(len(ids))
			if _, err := w.db.NewRaw(`DELETE FROM attempts WHERE id = ?`, ids[i]).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			ids = append(ids[:i], ids[i+1:]...)
		}
		for _, qz := range quizzes {
			for _, passed := range []*bool{nil, boolPtr(true), boolPtr(false)} {
				f := assessment.ResultsFilter{Passed: passed, Limit: 1}
				res, err := w.svc.Results(ctx, w.teacher, qz.ID, f)
				if err != nil {
					t.Fatal(err)
				}
				q := w.db.NewSelect().TableExpr("attempts").Where("quiz_id = ?", qz.ID)
				if passed != nil {
					q = q.Where("submitted_at IS NOT NULL AND passed = ?", *passed)
				}
				want, err := q.Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != want {
					t.Fatalf("step %d, quiz %d, passed %v: total %d, recount %d", step, qz.ID, passed, res.Total, want)
				}
			}
		}
	}
}
