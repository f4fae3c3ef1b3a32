package reports_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/reports"
)

// directFigures counts an institution's figures of this year straight
// from the facts, attributing each to the institution its person belongs
// to now: what the rollup must equal while nobody has moved.
func (w *world) directFigures(instID int64) reports.Figures {
	w.t.Helper()
	from := time.Date(time.Now().UTC().Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	var f reports.Figures
	err := w.db.NewRaw(`SELECT
		(SELECT count(*) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id WHERE u.institution_id = ?0
			AND e.status IN ('active', 'completed') AND e.enrolled_at >= ?1 AND e.enrolled_at < ?2),
		(SELECT count(*) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id WHERE u.institution_id = ?0
			AND e.status = 'completed' AND e.completed_at >= ?1 AND e.completed_at < ?2),
		(SELECT coalesce(sum(c.workload_hours), 0) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id
			JOIN courses AS c ON c.id = e.course_id WHERE u.institution_id = ?0
			AND e.status = 'completed' AND e.completed_at >= ?1 AND e.completed_at < ?2),
		(SELECT count(*) FROM certificates AS k JOIN users AS u ON u.id = k.user_id WHERE u.institution_id = ?0
			AND k.revoked_at IS NULL AND k.event_id IS NULL AND k.issued_at >= ?1 AND k.issued_at < ?2)`,
		instID, from, to).Scan(context.Background(), &f.Enrolments, &f.Completions, &f.Hours, &f.Certificates)
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// rollupFigures are an institution's figures of this year as the
// institution report and the network report (which read the rollup)
// give them; they must agree.
func (w *world) rollupFigures(instID int64) reports.Figures {
	w.t.Helper()
	ctx := context.Background()
	r, err := w.svc.Reports.Institution(ctx, w.admin, instID, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	n, err := w.svc.Reports.Figures(ctx, reports.ByInstitution, time.Now().UTC().Year(), 0)
	if err != nil {
		w.t.Fatal(err)
	}
	var inNetwork reports.Figures
	for _, f := range n {
		if f.Key == strconv.FormatInt(instID, 10) {
			inNetwork, inNetwork.Key, inNetwork.Label = f, "", ""
		}
	}
	if inNetwork != r.Total {
		w.t.Errorf("institution %d: network row %+v, institution report %+v", instID, inNetwork, r.Total)
	}
	return r.Total
}

// TestRollupEqualsFacts: after enrolments, completions, a revocation and
// a withdrawal, the figures the reports read from the rollup equal a
// count over the facts; a person who moves to another institution leaves
// what they did with the first (the direct count by today's institution
// then differs), and what they do next counts for the second.
func TestRollupEqualsFacts(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	w.learner("Ana Peña", w.mine, 2, true)
	joao := w.learner("João Conceição", w.mine, 2, true)
	w.learner("Zoé Núñez", w.theirs, 1, false)
	zoe := w.learner("Zoé Ibáñez", w.theirs, 0)
	pedro := w.learner("Pedro Gonçalves", w.mine, 2, true)
	marta := w.learner("Marta Sánchez", w.mine, 2) // modules done, quiz not yet

	var code string
	if err := w.db.NewRaw(`SELECT code FROM certificates WHERE user_id = ?`, joao.ID).Scan(ctx, &code); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Certificates.Revoke(ctx, code, w.admin.UserID, "Emitido por error."); err != nil {
		t.Fatal(err)
	}
	e, err := w.svc.Courses.Enrolment(ctx, zoe.ID, w.course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Courses.Withdraw(ctx, zoe.ID, e.ID); err != nil {
		t.Fatal(err)
	}
	mine, theirs := w.directFigures(w.mine.ID), w.directFigures(w.theirs.ID)
	if want := (reports.Figures{Enrolments: 4, Completions: 3, Certificates: 2, Hours: 36}); mine != want {
		t.Fatalf("direct count of mine %+v, want %+v", mine, want)
	}
	if got := w.rollupFigures(w.mine.ID); got != mine {
		t.Errorf("mine: rollup %+v, facts %+v", got, mine)
	}
	if got := w.rollupFigures(w.theirs.ID); got != theirs {
		t.Errorf("theirs: rollup %+v, facts %+v", got, theirs)
	}

	// Pedro and Marta move; Marta then passes the quiz and completes.
	for _, u := range []*accounts.User{pedro, marta} {
		if _, err := w.svc.Accounts.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: u.Email, Name: u.Name,
			Role: u.Role, InstitutionID: &w.theirs.ID, Locale: u.Locale}); err != nil {
			t.Fatal(err)
		}
	}
	if w.directFigures(w.mine.ID) == mine {
		t.Fatal("the move changed no direct count")
	}
	if got := w.rollupFigures(w.mine.ID); got != mine {
		t.Errorf("mine after the move: rollup %+v, want what it was %+v", got, mine)
	}
	w.answer(marta, true)
	theirs.Completions, theirs.Certificates, theirs.Hours = theirs.Completions+1, theirs.Certificates+1, theirs.Hours+12
	if got := w.rollupFigures(w.theirs.ID); got != theirs {
		t.Errorf("theirs after Marta completed: rollup %+v, want %+v", got, theirs)
	}
	if got := w.rollupFigures(w.mine.ID); got != mine {
		t.Errorf("mine after Marta completed: rollup %+v, want %+v", got, mine)
	}

	// Counting the rollup again from the facts (as the backfill and a
	// change of time zone do) keeps each fact's institution.
	if _, err := w.db.NewRaw(`SELECT report_daily_rebuild(?)`, "UTC").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.rollupFigures(w.theirs.ID); got != theirs {
		t.Errorf("theirs after a rebuild: %+v, want %+v", got, theirs)
	}
	if got := w.rollupFigures(w.mine.ID); got != mine {
		t.Errorf("mine after a rebuild: %+v, want %+v", got, mine)
	}
}
