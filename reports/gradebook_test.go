package reports_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/reports"
)

func names(rows []reports.GradebookRow) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return strings.Join(out, ", ")
}

// TestGradebook: one row per enrolled learner with what their instructor
// needs, the same progress the roster shows, each quiz's best score and
// attempts, the certificate; coordinators see their own staff only.
func TestGradebook(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	ana := w.learner("Ana Peña", w.mine, 2, false, true)  // completes: modules, then passes at the second try
	joao := w.learner("João Conceição", w.mine, 1, false) // one module, one failed attempt
	w.learner("Zoé Núñez", w.theirs, 0)                   // enrolled only

	gb, err := w.svc.Reports.Gradebook(ctx, w.teacher, reports.GradebookQuery{CourseID: w.course.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(gb.Rows); got != "Ana Peña, João Conceição, Zoé Núñez" {
		t.Fatalf("rows %s", got)
	}
	if len(gb.Quizzes) != 1 || gb.Quizzes[0].Title != "Examen final" || !gb.Quizzes[0].Required {
		t.Fatalf("quiz columns %+v", gb.Quizzes)
	}
	a, j, z := gb.Rows[0], gb.Rows[1], gb.Rows[2]
	if a.Status != "completed" || a.Progress != 100 || a.CompletedAt == nil || !strings.HasPrefix(a.Certificate, "AULA-") ||
		a.Quizzes[0].Best == nil || *a.Quizzes[0].Best != 100 || a.Quizzes[0].Attempts != 2 || a.Institution != w.mine.Acronym {
		t.Errorf("Ana's row %+v", a)
	}
	if j.Status != "active" || j.Quizzes[0].Best == nil || *j.Quizzes[0].Best != 0 || j.Quizzes[0].Attempts != 1 || j.Certificate != "" ||
		j.LastActivity.Before(j.EnrolledAt) {
		t.Errorf("João's row %+v", j)
	}
	if z.Quizzes[0].Best != nil || z.Quizzes[0].Attempts != 0 || z.Progress != 0 || !z.LastActivity.Equal(z.EnrolledAt) {
		t.Errorf("Zoé's row %+v", z)
	}
	// Progress is the roster's, required quiz included.
	roster, err := w.svc.Courses.Roster(ctx, w.teacher, w.course.ID, courses.RosterFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roster.Items {
		for _, g := range gb.Rows {
			if g.UserID == r.User.ID && g.Progress != r.ProgressPercent {
				t.Errorf("%s: gradebook says %d%%, roster %d%%", g.Name, g.Progress, r.ProgressPercent)
			}
		}
	}
	if j.Progress != 33 {
		t.Errorf("João's progress %d, want 33 (1 of 2 modules, quiz not passed)", j.Progress)
	}

	// Coordinators see their own institution only.
	mine, err := w.svc.Reports.Gradebook(ctx, w.coordinator, reports.GradebookQuery{CourseID: w.course.ID})
	if err != nil || names(mine.Rows) != "Ana Peña, João Conceição" {
		t.Fatalf("coordinator's gradebook %v %v", mine, err)
	}
	if _, err := w.svc.Reports.Gradebook(ctx, w.coordinator, reports.GradebookQuery{CourseID: w.course.ID, InstitutionID: w.theirs.ID}); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("coordinator asks for another institution: %v", err)
	}
	learner := courses.ActorFor(w.person("Curioso", "learner", nil))
	if _, err := w.svc.Reports.Gradebook(ctx, learner, reports.GradebookQuery{CourseID: w.course.ID}); !errors.Is(err, courses.ErrForbidden) {
		t.Errorf("a learner reads the gradebook: %v", err)
	}

	// Filters and sorts.
	done, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Status: "completed"})
	if err != nil || names(done.Rows) != "Ana Peña" {
		t.Errorf("completed only: %v %v", done, err)
	}
	byEnrolment, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: "enrolled"})
	if err != nil || names(byEnrolment.Rows) != "Zoé Núñez, João Conceição, Ana Peña" {
		t.Errorf("newest enrolments first: %v %v", names(byEnrolment.Rows), err)
	}
	byCompletion, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: "completed"})
	if err != nil || byCompletion.Rows[0].UserID != ana.ID {
		t.Errorf("latest completions first: %v %v", names(byCompletion.Rows), err)
	}
	if _, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: "mood"}); !errors.Is(err, reports.ErrInvalidFilter) {
		t.Errorf("unknown sort: %v", err)
	}
	if _, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, After: "not a cursor"}); !errors.Is(err, reports.ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	_ = joao
}

// TestGradebookKeysetPages: pages of one row follow each other by cursor,
// in every sort, and together give every row once.
func TestGradebookKeysetPages(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	for _, n := range []string{"Íñigo", "Ana", "Ana", "Beatriz", "Conceição"} {
		w.learner(n, w.mine, 0)
	}
	for _, sort := range reports.GradebookSorts {
		all, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		var paged []reports.GradebookRow
		after := ""
		for range 10 {
			gb, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: sort, Limit: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, gb.Rows...)
			if after = gb.Next; after == "" {
				break
			}
		}
		if len(paged) != 5 || len(all.Rows) != 5 {
			t.Fatalf("%s: %d rows by pages, %d at once", sort, len(paged), len(all.Rows))
		}
		for i := range paged {
			if paged[i].EnrolmentID != all.Rows[i].EnrolmentID {
				t.Errorf("%s: page %d is %s, want %s", sort, i, paged[i].Name, all.Rows[i].Name)
			}
		}
		var each []int64
		x, err := w.svc.Reports.ExportGradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		err = x.Each(ctx, func(r *reports.GradebookRow) error { each = append(each, r.EnrolmentID); return nil })
		if err != nil || len(each) != 5 {
			t.Errorf("%s: every row %v %v", sort, each, err)
		}
	}
}

// TestGradebookExportChunksWithTies: an export read two rows per query
// gives every learner exactly once, in the order of one long page, in
// every sort, where learners of the same name (and enrolments of the
// same second) straddle the chunks' boundaries; its announced size is
// the count of those rows.
func TestGradebookExportChunksWithTies(t *testing.T) {
	ctx := context.Background()
	defer reports.SetChunk(2)()
	w := newWorld(t, nil)
	for _, n := range []string{"Ana Peña", "Ana Peña", "Ana Peña", "Ana Peña", "Ana Peña", "Íñigo", "Beatriz", "Ana Peña"} {
		w.learner(n, w.mine, 0)
	}
	// Ties on the enrolment time too, for the "enrolled" sort.
	if _, err := w.db.NewRaw(`UPDATE enrolments SET enrolled_at = date_trunc('day', enrolled_at) WHERE course_id = ?`, w.course.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for _, sort := range reports.GradebookSorts {
		all, err := w.svc.Reports.Gradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: sort, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		x, err := w.svc.Reports.ExportGradebook(ctx, w.admin, reports.GradebookQuery{CourseID: w.course.ID, Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		var each []int64
		if err := x.Each(ctx, func(r *reports.GradebookRow) error { each = append(each, r.EnrolmentID); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(all.Rows) != 8 || x.Rows != len(all.Rows) || len(each) != len(all.Rows) {
			t.Fatalf("%s: %d rows exported, %d announced, %d on one page", sort, len(each), x.Rows, len(all.Rows))
		}
		for i, r := range all.Rows {
			if each[i] != r.EnrolmentID {
				t.Errorf("%s: row %d is enrolment %d, want %d", sort, i, each[i], r.EnrolmentID)
			}
		}
	}
}

// TestGradebookFewOrMany: a course of few learners is read by sorting its
// enrolments, a large one by walking the learners' names; both give the
// same rows in the same order, page after page, learners of one name
// kept apart by their id (a tie split across pages is neither repeated
// nor skipped), with the same results and progress.
func TestGradebookFewOrMany(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	w.learner("Ana Peña", w.mine, 2, false, true)
	for range 4 {
		w.learner("Luís Tié", w.mine, 1, false)
	}
	w.learner("Zoé Núñez", w.theirs, 0)
	read := func(few int) []reports.GradebookRow {
		defer reports.SetFewEnrolments(few)()
		var all []reports.GradebookRow
		q := reports.GradebookQuery{CourseID: w.course.ID, Limit: 2}
		for range 10 {
			gb, err := w.svc.Reports.Gradebook(ctx, w.teacher, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, gb.Rows...)
			if gb.Next == "" {
				return all
			}
			q.After = gb.Next
		}
		t.Fatal("no last page")
		return nil
	}
	sorted, walked := read(1000), read(0)
	if len(sorted) != 6 || names(sorted) != "Ana Peña, Luís Tié, Luís Tié, Luís Tié, Luís Tié, Zoé Núñez" {
		t.Fatalf("sorted rows %s", names(sorted))
	}
	for i := range sorted {
		s, k := sorted[i], walked[i]
		if s.UserID != k.UserID || s.Progress != k.Progress || len(s.Quizzes) != 1 || s.Quizzes[0].Attempts != k.Quizzes[0].Attempts {
			t.Errorf("row %d: sorted %+v, walked %+v", i, s, k)
		}
		if i > 0 && s.Name == sorted[i-1].Name && s.UserID <= sorted[i-1].UserID {
			t.Errorf("row %d: tie not by user id: %d after %d", i, s.UserID, sorted[i-1].UserID)
		}
	}
	if a := sorted[0]; a.Progress != 100 || a.Quizzes[0].Attempts != 2 || a.Quizzes[0].Best == nil || *a.Quizzes[0].Best != 100 {
		t.Errorf("Ana's row %+v", a)
	}
}
