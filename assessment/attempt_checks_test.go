package assessment_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/postgres"
)

// TestAttemptChecksRefuseBadRows: the attempts' checks, which live in the
// columns' domains for one column and on the table across columns, still
// refuse every row they refused as table checks.
func TestAttemptChecksRefuseBadRows(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	qz := w.quiz(nil)
	_, e := w.learner()
	var id int64
	err := w.db.NewRaw(`INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, layout)
		VALUES (?, ?, ?, 1, now(), '[]') RETURNING id`, qz.ID, e.ID, e.UserID).Scan(ctx, &id)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"number below 1":         `number = 0`,
		"answers not an object":  `answers = '[]'`,
		"scores not an object":   `scores = '1'`,
		"layout not an array":    `layout = '{}'`,
		"negative score":         `submitted_at = now(), score = -1`,
		"percent over 100":       `submitted_at = now(), percent = 100.5`,
		"negative percent":       `submitted_at = now(), percent = -1`,
		"negative max score":     `max_score = -1`,
		"negative save sequence": `last_save_seq = -1`,
		"deadline before start":  `deadline = started_at - interval '1 second'`,
		"open attempt passed":    `passed = true`,
	}
	for name, set := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := w.db.ExecContext(ctx, `UPDATE attempts SET `+set+` WHERE id = ?`, id)
			if code := postgres.Code(err); code != "23514" {
				t.Errorf("UPDATE attempts SET %s: %v (code %q), want a check violation", set, err, code)
			}
		})
	}
	if _, err := w.db.ExecContext(ctx, `UPDATE attempts SET submitted_at = now(), score = 1, max_score = 2, percent = 50, passed = true,
		answers = '{"1": true}', scores = '{"1": 1}', last_save_seq = 3 WHERE id = ?`, id); err != nil {
		t.Errorf("a graded attempt: %v", err)
	}
}
