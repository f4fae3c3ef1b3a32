package assessment_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
)

func TestResults(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	ipea := w.institution("Instituto de Previdência")
	caja := w.institution("Caja de Jubilaciones")

	// Two pass, one fails, one is still answering.
	take := func(inst *int64, right bool) courses.Actor {
		learner, _ := w.learnerOf(inst)
		a := w.start(learner, q.ID)
		w.clock.Advance(90 * time.Second)
		if _, err := w.svc.Submit(ctx, learner.UserID, a.ID, answersBody(w.attemptQuestions(learner, a.ID), right)); err != nil {
			t.Fatal(err)
		}
		return learner
	}
	take(&ipea.ID, true)
	take(&ipea.ID, false)
	take(&caja.ID, true)
	open, _ := w.learnerOf(&caja.ID)
	w.start(open, q.ID)

	res, err := w.svc.Results(ctx, w.teacher, q.ID, assessment.ResultsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || len(res.Rows) != 4 {
		t.Fatalf("%d rows of %d, want 4", len(res.Rows), res.Total)
	}
	if r := res.Rows[0]; r.Submitted() || r.UserID != open.UserID {
		t.Errorf("newest first: %+v", r)
	}
	last := res.Rows[3]
	if last.Institution != ipea.Acronym || last.InstitutionName != ipea.Name || !strings.HasPrefix(last.Learner, "João Conceição") ||
		last.Duration() != 90*time.Second || last.Score != 6 || !last.Passed {
		t.Errorf("first attempt row %+v", last)
	}

	for _, tt := range []struct {
		name string
		f    assessment.ResultsFilter
		want int
	}{
		{"institution", assessment.ResultsFilter{InstitutionID: ipea.ID}, 2},
		{"passed", assessment.ResultsFilter{Passed: boolPtr(true)}, 2},
		{"failed", assessment.ResultsFilter{Passed: boolPtr(false)}, 1},
		{"institution and passed", assessment.ResultsFilter{InstitutionID: caja.ID, Passed: boolPtr(true)}, 1},
		{"page", assessment.ResultsFilter{Limit: 3, Offset: 3}, 4},
	} {
		r, err := w.svc.Results(ctx, w.teacher, q.ID, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != tt.want {
			t.Errorf("%s: total %d, want %d", tt.name, r.Total, tt.want)
		}
	}

	// Statistics cover the three submitted attempts.
	if len(res.Questions) != 5 {
		t.Fatalf("%d question statistics, want 5", len(res.Questions))
	}
	for _, st := range res.Questions {
		if st.Presented != 3 || st.Answered != 3 || st.Correct != 2 {
			t.Errorf("%s: presented %d, answered %d, correct %d; want 3, 3, 2", st.Question.Kind, st.Presented, st.Answered, st.Correct)
		}
		if st.Facility < 0.666 || st.Facility > 0.667 {
			t.Errorf("%s: facility %v, want 2/3", st.Question.Kind, st.Facility)
		}
		switch st.Question.Kind {
		case assessment.KindSingle:
			if want := []int{1, 2, 0}; !equalInts(st.OptionCounts, want) {
				t.Errorf("single option counts %v, want %v", st.OptionCounts, want)
			}
		case assessment.KindMultiple:
			if want := []int{2, 1, 2, 1}; !equalInts(st.OptionCounts, want) {
				t.Errorf("multiple option counts %v, want %v", st.OptionCounts, want)
			}
		}
	}

	learner, _ := w.learner()
	if _, err := w.svc.Results(ctx, learner, q.ID, assessment.ResultsFilter{}); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("learner reads results: %v, want ErrForbidden", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeResultsCSV writes rows through a ResultsCSV, as an export does.
func writeResultsCSV(w io.Writer, rows []assessment.ResultRow, f assessment.CSVFormat) error {
	out, err := assessment.NewResultsCSV(w, f)
	if err != nil {
		return err
	}
	for i := range rows {
		if err := out.Write(&rows[i]); err != nil {
			return err
		}
	}
	return out.Close()
}

func TestWriteResultsCSV(t *testing.T) {
	submitted := time.Date(2026, 11, 27, 10, 1, 30, 0, time.UTC)
	rows := []assessment.ResultRow{
		{Learner: "João Conceição", Email: "joao@example.org", Institution: "INSS", Number: 1,
			StartedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), SubmittedAt: &submitted,
			Score: 4.5, MaxScore: 6, Percent: 75, Passed: true},
		{Learner: "=HYPERLINK(\"x\")", Email: "peña@example.org", Number: 2,
			StartedAt: time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)},
	}
	header := []string{"Participante", "Email", "Instituição", "Tentativa", "Início (UTC)", "Envio (UTC)", "Duração (s)", "Pontos", "Máximo", "%", "Aprovado"}
	var buf bytes.Buffer
	f := assessment.CSVFormat{Header: header, Yes: "sim", No: "não", Open: "em andamento", Semicolon: true}
	if err := writeResultsCSV(&buf, rows, f); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: % x", data[:3])
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		header,
		{"João Conceição", "joao@example.org", "INSS", "1", "2026-11-27 10:00:00", "2026-11-27 10:01:30", "90", "4,5", "6", "75", "sim"},
		{"'=HYPERLINK(\"x\")", "peña@example.org", "", "2", "2026-11-27 11:00:00", "", "", "0", "0", "0", "em andamento"},
	}
	if len(records) != len(want) {
		t.Fatalf("records %q", records)
	}
	for i := range want {
		if strings.Join(records[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d = %q, want %q", i+1, records[i], want[i])
		}
	}
	if err := writeResultsCSV(&buf, rows, assessment.CSVFormat{Header: header[:3]}); err == nil {
		t.Error("a short header was accepted")
	}
}

// TestQueriesUseIndexes: the queries pages run on attempts never scan the
// whole table. With sequential scans made prohibitively expensive, the
// planner still picks one only when no index fits.
func TestQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 0)
	q := w.quiz(nil)
	for _, tt := range []struct {
		name  string
		query string
		args  []any
	}{
		{"results page", `SELECT a.id FROM attempts AS a JOIN users AS u ON u.id = a.user_id
			LEFT JOIN institutions AS i ON i.id = u.institution_id
			WHERE a.quiz_id = ? AND u.institution_id = ? AND a.submitted_at IS NOT NULL AND a.passed = ?
			ORDER BY a.started_at DESC, a.id DESC LIMIT 20`, []any{q.ID, 1, true}},
		{"statistics", `SELECT a.layout, a.answers, a.scores FROM attempts AS a WHERE a.quiz_id = ? AND a.submitted_at IS NOT NULL`, []any{q.ID}},
		{"a learner's attempts", `SELECT a.id FROM attempts AS a WHERE a.quiz_id = ? AND a.user_id = ? ORDER BY a.number`, []any{q.ID, 1}},
		{"a learner's attempts in a course", `SELECT a.id FROM attempts AS a WHERE a.user_id = ? AND a.quiz_id IN (?, ?)`, []any{1, q.ID, q.ID + 1}},
		{"expired attempts", `SELECT id FROM attempts WHERE quiz_id = ? AND submitted_at IS NULL AND deadline < now()`, []any{q.ID}},
		{"required quizzes passed", `SELECT 1 FROM attempts AS a WHERE a.enrolment_id = ? AND a.quiz_id = ? AND a.passed`, []any{1, q.ID}},
		{"quizzes of a course", `SELECT id FROM quizzes WHERE course_id = ? AND archived_at IS NULL`, []any{w.course.ID}},
		{"questions of a quiz", `SELECT id FROM questions WHERE quiz_id = ? ORDER BY position, id`, []any{q.ID}},
	} {
		err := w.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			var plan []string
			if err := tx.NewRaw("EXPLAIN "+tt.query, tt.args...).Scan(ctx, &plan); err != nil {
				return err
			}
			text := strings.Join(plan, "\n")
			for _, table := range []string{"attempts", "quizzes", "questions"} {
				if strings.Contains(text, "Seq Scan on "+table) {
					t.Errorf("%s scans %s:\n%s", tt.name, table, text)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
