package assessment_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aula-platform/aula/assessment"
)

// TestQuestionStatsMatchDecoded holds the statistics PostgreSQL counts to
// the ones Go computed before by decoding every attempt: over varied
// answers (unanswered, null, empty and full multiple choices, wrong kinds
// written straight into the table), open attempts, every filter, and after
// the questions changed under the stored answers (an option removed, a
// kind changed, points raised, a question archived).
func TestQuestionStatsMatchDecoded(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	ipea := w.institution("Instituto de Previdência")
	caja := w.institution("Caja de Jubilaciones Peña")

	// Per kind, the answers a learner may send; "" leaves the question out.
	variants := map[assessment.Kind][]string{
		assessment.KindSingle:    {"0", "1", "2", "", "null"},
		assessment.KindMultiple:  {"[0,2]", "[1,3]", "[]", "[0,1,2,3]", "", "[3]", "null"},
		assessment.KindTrueFalse: {"true", "false", ""},
		assessment.KindShortText: {`"Previdência"`, `"previdencia "`, `"INSS"`, `""`, ""},
		assessment.KindNumeric:   {"62", "62.5", "70", "-1", ""},
	}
	insts := []*int64{&ipea.ID, &caja.ID, nil}
	for n := range 23 {
		learner, _ := w.learnerOf(insts[n%3])
		a := w.start(learner, q.ID)
		if n%5 == 4 {
			continue // still answering: no statistics
		}
		parts := ""
		for k, qq := range w.attemptQuestions(learner, a.ID) {
			vs := variants[qq.Kind]
			v := vs[(n+k*3)%len(vs)]
			if v == "" {
				continue
			}
			if parts != "" {
				parts += ","
			}
			parts += fmt.Sprintf(`"%d":%s`, qq.ID, v)
		}
		w.clock.Advance(time.Minute)
		if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, []byte(`{"answers":{`+parts+`}}`)); err != nil {
			t.Fatal(err)
		}
	}

	filters := []assessment.ResultsFilter{
		{},
		{InstitutionID: ipea.ID},
		{Passed: boolPtr(true)},
		{Passed: boolPtr(false)},
		{InstitutionID: caja.ID, Passed: boolPtr(false)},
	}
	compare := func(when string) {
		t.Helper()
		for _, f := range filters {
			want, err := w.svc.DecodedQuestionStats(ctx, q.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.svc.Results(ctx, w.teacher, q.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Questions) != len(want) {
				t.Fatalf("%s, filter %+v: %d questions, want %d", when, f, len(res.Questions), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(res.Questions[i], want[i]) {
					g, x := res.Questions[i], want[i]
					t.Errorf("%s, filter %+v, %s question %d:\n got presented %d answered %d correct %d facility %v options %v\nwant presented %d answered %d correct %d facility %v options %v",
						when, f, x.Question.Kind, x.Question.ID, g.Presented, g.Answered, g.Correct, g.Facility, g.OptionCounts,
						x.Presented, x.Answered, x.Correct, x.Facility, x.OptionCounts)
				}
			}
		}
	}
	compare("as submitted")

	var pool []struct {
		ID   int64
		Kind assessment.Kind
	}
	if err := w.db.NewSelect().Table("questions").Column("id", "kind").Where("quiz_id = ?", q.ID).Scan(ctx, &pool); err != nil {
		t.Fatal(err)
	}
	byKind := map[assessment.Kind]int64{}
	for _, qq := range pool {
		byKind[qq.Kind] = qq.ID
	}
	// Answers no client could send, written straight into attempts: an
	// index with a fraction, a negative one, a repeated one, a string to a
	// single choice, a question of another quiz, a key in another form.
	odd := []string{
		fmt.Sprintf(`{"%d": 1.0, "%d": [1, 1]}`, byKind[assessment.KindSingle], byKind[assessment.KindMultiple]),
		fmt.Sprintf(`{"%d": -1, "%d": [0, 1.5], "%d": 1}`, byKind[assessment.KindSingle], byKind[assessment.KindMultiple], byKind[assessment.KindTrueFalse]),
		fmt.Sprintf(`{"%d": "1", "%d": 2, "999999999": 1, "0%d": true}`, byKind[assessment.KindSingle], byKind[assessment.KindMultiple], byKind[assessment.KindTrueFalse]),
	}
	for i, body := range odd {
		if _, err := w.db.ExecContext(ctx, `UPDATE attempts SET answers = answers || ?::jsonb
			WHERE id = (SELECT id FROM attempts WHERE quiz_id = ? AND submitted_at IS NOT NULL ORDER BY id OFFSET ? LIMIT 1)`,
			body, q.ID, i*4); err != nil {
			t.Fatal(err)
		}
	}
	compare("with odd stored answers")

	for _, change := range []string{
		// The last option of the single and multiple choices removed.
		`UPDATE questions SET options = options - (jsonb_array_length(options) - 1) WHERE quiz_id = ? AND kind IN ('single', 'multiple')`,
		`UPDATE questions SET points = 3 WHERE quiz_id = ? AND kind = 'true_false'`,
		`UPDATE questions SET kind = 'numeric', accepted = '[]', answer = '5' WHERE quiz_id = ? AND kind = 'short_text'`,
		`UPDATE questions SET archived_at = now() WHERE quiz_id = ? AND kind = 'numeric' AND answer = '62.5'`,
		`INSERT INTO questions (quiz_id, position, kind, prompt, points, archived_at)
			VALUES (?, 9, 'true_false', 'Retirada antes de ser sorteada', 1, now())`,
	} {
		if _, err := w.db.ExecContext(ctx, change, q.ID); err != nil {
			t.Fatal(err)
		}
	}
	compare("after the questions changed")

	// Something to compare: the filters keep different attempts and some
	// answers count, others do not.
	res, err := w.svc.Results(ctx, w.teacher, q.ID, assessment.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Questions {
		if st.Presented == 0 || st.Answered == st.Presented && st.Question.Kind != assessment.KindTrueFalse {
			t.Errorf("%s: presented %d, answered %d: the cases miss unanswered questions", st.Question.Kind, st.Presented, st.Answered)
		}
	}
}

// TestExportResultsWalksEveryAttempt: the export reads the attempts in
// chunks, each starting after the last one read, and still writes every
// attempt the filter keeps once, in the results' order, even when several
// started at the same instant.
func TestExportResultsWalksEveryAttempt(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	for n := range 7 {
		learner, _ := w.learner()
		w.start(learner, q.ID)
		if n%3 == 2 {
			w.clock.Advance(time.Second) // the others share their start
		}
	}
	assessment.SetExportChunk(t, 2)
	all, err := w.svc.Results(ctx, w.teacher, q.ID, assessment.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.svc.ExportResults(ctx, w.teacher, q.ID, assessment.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	if err := x.Each(ctx, func(r *assessment.ResultRow) error { got = append(got, r.AttemptID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(all.Rows) != 7 || len(got) != len(all.Rows) {
		t.Fatalf("export walked %d attempts, results list %d, want 7", len(got), len(all.Rows))
	}
	for i := range got {
		if got[i] != all.Rows[i].AttemptID {
			t.Errorf("attempt %d of the export is %d, want %d", i, got[i], all.Rows[i].AttemptID)
		}
	}
	// The same walk page by page, as the next links go.
	f := assessment.ResultsFilter{Limit: 3}
	var paged []int64
	for range 5 {
		res, err := w.svc.Results(ctx, w.teacher, q.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			paged = append(paged, r.AttemptID)
		}
		if res.Next == nil {
			break
		}
		next, err := assessment.ParseResultsCursor(res.Next.String())
		if err != nil || !next.StartedAt.Equal(res.Next.StartedAt) || next.AttemptID != res.Next.AttemptID {
			t.Fatalf("cursor %v read back as %v (%v)", res.Next, next, err)
		}
		f.After = next
	}
	if !reflect.DeepEqual(paged, got) {
		t.Errorf("pages walked %v, want %v", paged, got)
	}
	learner, _ := w.learner()
	if _, err := w.svc.ExportResults(ctx, learner, q.ID, assessment.ResultsFilter{}); err == nil {
		t.Error("a learner exports the results")
	}
}
