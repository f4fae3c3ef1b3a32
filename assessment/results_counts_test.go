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

// TestAnswerCountsFollowEveryWrite: the question statistics' counts
// (quiz_answer_counts, kept by a trigger) stay equal to a recount of the
// submitted attempts' answers through a random run of starts, attempts
// written already submitted, submits, regrades that change the answers or
// the outcome and those that change nothing, reopenings, moves to
// another quiz and deletions, written straight in SQL as any path could.
func TestAnswerCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	quizzes := []*assessment.Quiz{w.quiz(nil), w.quiz(nil)}
	_, e := w.learner()
	r := rand.New(rand.NewPCG(13, 14))
	const layout = `[{"id": 1, "order": [1, 0]}, {"id": 2}, {"id": 3}]`
	// answers and scores of a graded attempt, varied by n.
	graded := func(n int) (string, string) {
		answers := []string{`{"1": 0, "2": true}`, `{"1": 1, "3": "Zumbi"}`, `{}`, `{"1": 1, "2": false, "3": "x"}`}
		scores := []string{`{"1": 0, "2": 1, "3": 0}`, `{"1": 1, "2": 0, "3": 1}`, `{"1": 0, "2": 0, "3": 0}`, `{"1": 1, "2": 0, "3": 0.5}`}
		return answers[n%4], scores[n%4]
	}
	var ids []int64
	number := 0
	for step := range 300 {
		qz := quizzes[r.IntN(2)]
		var err error
		switch op := r.IntN(8); {
		case op == 0 || len(ids) == 0: // a start: open
			number++
			var id int64
			err = w.db.NewRaw(`INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, layout)
				VALUES (?, ?, ?, ?, now(), ?) RETURNING id`, qz.ID, e.ID, e.UserID, number, layout).Scan(ctx, &id)
			ids = append(ids, id)
		case op == 1: // written already submitted, as an import would
			number++
			a, s := graded(r.IntN(4))
			var id int64
			err = w.db.NewRaw(`INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, submitted_at,
				passed, layout, answers, scores) VALUES (?, ?, ?, ?, now(), now(), ?, ?, ?, ?) RETURNING id`,
				qz.ID, e.ID, e.UserID, number, r.IntN(2) == 0, layout, a, s).Scan(ctx, &id)
			ids = append(ids, id)
		case op <= 3: // a submit, or a regrade of the answers and outcome
			a, s := graded(r.IntN(4))
			_, err = w.db.NewRaw(`UPDATE attempts SET submitted_at = coalesce(submitted_at, now()), passed = ?,
				answers = ?, scores = ? WHERE id = ?`, r.IntN(2) == 0, a, s, ids[r.IntN(len(ids))]).Exec(ctx)
		case op == 4: // a write that changes nothing counted
			_, err = w.db.NewRaw(`UPDATE attempts SET answers = answers, scores = scores, passed = passed,
				submitted_at = submitted_at WHERE id = ?`, ids[r.IntN(len(ids))]).Exec(ctx)
		case op == 5: // reopened, as a correction would
			_, err = w.db.NewRaw(`UPDATE attempts SET submitted_at = NULL, passed = false WHERE id = ?`, ids[r.IntN(len(ids))]).Exec(ctx)
		case op == 6: // moved to the other quiz
			_, err = w.db.NewRaw(`UPDATE attempts SET quiz_id = ? WHERE id = ?`, qz.ID, ids[r.IntN(len(ids))]).Exec(ctx)
		default:
			i := r.IntN(len(ids))
			_, err = w.db.NewRaw(`DELETE FROM attempts WHERE id = ?`, ids[i]).Exec(ctx)
			ids = append(ids[:i], ids[i+1:]...)
		}
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		// Counts and recount, each as (quiz, outcome, question, answer,
		// score) → n without the zeros; any row in one and not the other.
		var diff int
		err = w.db.NewRaw(`WITH kept AS (
				SELECT quiz_id, passed, question_id, answer, score, sum(n) AS n FROM quiz_answer_counts
				WHERE quiz_id IN (?, ?) GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0),
			recount AS (
				SELECT a.quiz_id, a.passed, k.question_id, k.answer, k.score, count(*)::numeric AS n
				FROM attempts AS a CROSS JOIN LATERAL assessment_slots(a.layout, a.answers, a.scores) AS k
				WHERE a.quiz_id IN (?, ?) AND a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5)
			SELECT count(*) FROM ((TABLE kept EXCEPT TABLE recount) UNION ALL (TABLE recount EXCEPT TABLE kept)) AS d`,
			quizzes[0].ID, quizzes[1].ID, quizzes[0].ID, quizzes[1].ID).Scan(ctx, &diff)
		if err != nil {
			t.Fatal(err)
		}
		if diff != 0 {
			t.Fatalf("step %d: %d answer counts differ from the recount", step, diff)
		}
	}
}
