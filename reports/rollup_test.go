package reports_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/reports"
	"github.com/aula-platform/aula/wiring"
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
// a withdrawal, the figures the reports read from the rollups equal a
// count over the facts, and the daily and monthly rollups a recount; a person who moves to another institution leaves
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
	w.rollupAgrees()

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
	w.rollupAgrees()

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

// rollupAgrees checks that the rollups the triggers kept (daily, the
// institutions' and the courses' months) equal a recount from the facts:
// report_daily_rebuild in a transaction rolled back, with the rollups
// locked first so nothing changes between the two reads. Rows left at
// zero by withdrawals are not facts and are left out.
func (w *world) rollupAgrees() {
	w.t.Helper()
	ctx := context.Background()
	tables := map[string]string{
		"report_daily":               "day, institution_id, course_id, language",
		"report_monthly_institution": "month, institution_id",
		"report_monthly_course":      "month, course_id, language",
	}
	const sums = "enrolments, completions, certificates, participation, participation_hours, hours"
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE report_monthly_course, report_monthly_institution, report_daily IN EXCLUSIVE MODE`); err != nil {
		w.t.Fatal(err)
	}
	nonZero := "(enrolments, completions, certificates, participation, participation_hours, hours) <> (0, 0, 0, 0, 0, 0)"
	for table, key := range tables {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE kept_`+table+` ON COMMIT DROP AS SELECT `+key+`, `+sums+
			` FROM `+table+` WHERE `+nonZero); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := tx.ExecContext(ctx, `SELECT report_daily_rebuild(coalesce((SELECT zone FROM report_daily_zone), 'UTC'))`); err != nil {
		w.t.Fatal(err)
	}
	for table, key := range tables {
		var diff []string
		err := tx.NewRaw(`SELECT d::text FROM (
				(SELECT 'kept', `+key+`, `+sums+` FROM kept_`+table+` EXCEPT SELECT 'kept', `+key+`, `+sums+` FROM `+table+`)
				UNION ALL
				(SELECT 'recounted', `+key+`, `+sums+` FROM `+table+` WHERE `+nonZero+
			` EXCEPT SELECT 'recounted', `+key+`, `+sums+` FROM kept_`+table+`)) AS d`).Scan(ctx, &diff)
		if err != nil {
			w.t.Fatal(err)
		}
		if len(diff) > 0 {
			w.t.Errorf("%s kept by the triggers differs from a recount from the facts: %v", table, diff)
		}
	}
}

// networkFigures are this year's figures of the network report's tables
// for the institution and its country, the language of the world's
// course, and the dashboard's year: each read from another rollup.
type networkFigures struct {
	institution, country, language, dashboard reports.Figures
}

func (w *world) networkFigures(inst *accounts.Institution) networkFigures {
	w.t.Helper()
	ctx := context.Background()
	n, err := w.svc.Reports.Network(ctx, w.admin, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	find := func(rows []reports.Figures, key string) reports.Figures {
		for _, f := range rows {
			if f.Key == key {
				f.Key, f.Label = "", ""
				return f
			}
		}
		return reports.Figures{}
	}
	d, err := w.svc.Reports.Dashboard(ctx, w.admin)
	if err != nil {
		w.t.Fatal(err)
	}
	return networkFigures{institution: find(n.ByInstitution, strconv.FormatInt(inst.ID, 10)),
		country: find(n.ByCountry, inst.Country), language: find(n.ByLanguage, w.course.Language), dashboard: d.Year}
}

// plus adds hours and completions (and the certificate and enrolment
// each completion came with) to every table's figures.
func (n networkFigures) plus(enrolments, completions, hours int) networkFigures {
	add := func(f reports.Figures) reports.Figures {
		f.Enrolments += enrolments
		f.Completions += completions
		f.Certificates += completions
		f.Hours += hours
		return f
	}
	return networkFigures{add(n.institution), add(n.country), add(n.language), add(n.dashboard)}
}

// TestRollupKeepsHoursOfCompletion: training hours are the course's
// workload when the person completed it (or, for one attributed without
// hours, when the rollups were recounted). Editing the workload afterwards
// changes no report (institution, network tables, dashboard) and survives
// a recount; a completion after the edit counts the new workload; a
// completion that stops counting subtracts the hours it added. At each
// step the daily and monthly rollups equal a recount from the facts.
func TestRollupKeepsHoursOfCompletion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	start := w.networkFigures(w.mine)
	w.rollupAgrees()

	ana := w.learner("Ana Peña", w.mine, 2, true) // completes at 12 hours
	if got, want := w.networkFigures(w.mine), start.plus(1, 1, 12); got != want {
		t.Fatalf("after Ana completed: %+v, want %+v", got, want)
	}
	if got := w.rollupFigures(w.mine.ID); got.Hours != 12 || got.Completions != 1 {
		t.Fatalf("institution report after Ana completed: %+v", got)
	}
	w.rollupAgrees()
	// A completion attributed outside the triggers (as the scale seeder
	// writes them) has no hours recorded: a recount records its course's
	// workload then, which the edit below must not change either.
	if _, err := w.db.NewRaw(`UPDATE report_attribution SET hours = NULL WHERE kind = 'c'
		AND fact_id = (SELECT id FROM enrolments WHERE user_id = ?)`, ana.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.NewRaw(`SELECT report_daily_rebuild(?)`, "UTC").Exec(ctx); err != nil {
		t.Fatal(err)
	}

	c := w.course
	if _, err := w.svc.Courses.UpdateCourse(ctx, w.teacher, c.ID, courses.CourseParams{Title: c.Title, Slug: c.Slug,
		Summary: c.Summary, Language: c.Language, WorkloadHours: 20}); err != nil {
		t.Fatal(err)
	}
	if direct := w.directFigures(w.mine.ID); direct.Hours != 20 {
		t.Fatalf("a count at today's workload gives %d hours, want 20: the edit did not land", direct.Hours)
	}
	if got, want := w.networkFigures(w.mine), start.plus(1, 1, 12); got != want {
		t.Errorf("after the workload went to 20: %+v, want what it was %+v", got, want)
	}
	if got := w.rollupFigures(w.mine.ID); got.Hours != 12 {
		t.Errorf("institution report after the workload went to 20: %d hours, want 12", got.Hours)
	}
	w.rollupAgrees()

	w.learner("João Conceição", w.mine, 2, true) // completes at 20 hours
	want := start.plus(2, 2, 32)
	if got := w.networkFigures(w.mine); got != want {
		t.Errorf("after João completed at 20 hours: %+v, want %+v", got, want)
	}
	if _, err := w.db.NewRaw(`SELECT report_daily_rebuild(?)`, "UTC").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := w.networkFigures(w.mine); got != want {
		t.Errorf("after a recount: %+v, want %+v", got, want)
	}
	w.rollupAgrees()

	// Ana's enrolment goes (as deleting her account would take it): her
	// completion subtracts the 12 hours it added, not today's 20; her
	// certificate stays, detached from the enrolment.
	if _, err := w.db.NewRaw(`DELETE FROM enrolments WHERE user_id = ? AND course_id = ?`, ana.ID, c.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	want = start.plus(1, 1, 20)
	want.institution.Certificates++
	want.country.Certificates++
	want.language.Certificates++
	want.dashboard.Certificates++
	if got := w.networkFigures(w.mine); got != want {
		t.Errorf("after Ana's enrolment went: %+v, want %+v", got, want)
	}
	if got := w.rollupFigures(w.mine.ID); got.Hours != 20 || got.Completions != 1 {
		t.Errorf("institution report after Ana's enrolment went: %+v, want 1 completion and 20 hours", got)
	}
	w.rollupAgrees()
}

// TestRollupMonthsInTheInstallationsZone: a fact's month is the one of
// the installation's calendar, in the daily rollup (an institution's
// report), the institutions' months (the network by month) and the
// courses' months (by language), when the zone changes (the rollups are
// counted again) and for facts after it. An enrolment and a completion on
// 1 March 2001 at 01:00 and 02:00 UTC are in March in UTC and on
// 28 February in Costa Rica (UTC−6); 2001 has no other facts.
func TestRollupMonthsInTheInstallationsZone(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	ana := w.learner("Ana Peña", w.mine, 2, true)
	if _, err := w.db.NewRaw(`UPDATE enrolments SET enrolled_at = '2001-03-01 01:00Z', completed_at = '2001-03-01 02:00Z'
		WHERE user_id = ?`, ana.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	cr, err := time.LoadLocation("America/Costa_Rica")
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	inCR, err := wiring.New(w.db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Location: cr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := w.svc.Reports.SyncRollupZone(ctx); err != nil {
			t.Error(err)
		}
	})
	months := func(svc *wiring.Services, feb, mar reports.Figures) {
		t.Helper()
		inst, err := svc.Reports.Institution(ctx, w.admin, w.mine.ID, 2001)
		if err != nil {
			t.Fatal(err)
		}
		network, err := svc.Reports.Figures(ctx, reports.ByMonth, 2001, 0)
		if err != nil {
			t.Fatal(err)
		}
		byLanguage, err := svc.Reports.Figures(ctx, reports.ByLanguage, 2001, 0)
		if err != nil {
			t.Fatal(err)
		}
		all := reports.FillMonths(network)
		var language reports.Figures
		for _, f := range byLanguage {
			language = f
		}
		for _, m := range []struct {
			name      string
			got, want reports.Figures
		}{
			{"institution, February", inst.ByMonth[1], feb}, {"institution, March", inst.ByMonth[2], mar},
			{"network, February", all[1], feb}, {"network, March", all[2], mar},
			{"network by language", language, plusFigures(feb, mar)},
		} {
			m.got.Key, m.got.Label = "", ""
			if m.got != m.want {
				t.Errorf("%s: %+v, want %+v", m.name, m.got, m.want)
			}
		}
	}
	ana1 := reports.Figures{Enrolments: 1, Completions: 1, Hours: 12}
	months(w.svc, reports.Figures{}, ana1)
	w.rollupAgrees()

	if err := inCR.Reports.SyncRollupZone(ctx); err != nil {
		t.Fatal(err)
	}
	months(inCR, ana1, reports.Figures{})
	w.rollupAgrees()

	joao := w.learner("João Conceição", w.mine, 0)
	if _, err := w.db.NewRaw(`UPDATE enrolments SET enrolled_at = '2001-03-01 05:00Z' WHERE user_id = ?`, joao.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	months(inCR, plusFigures(ana1, reports.Figures{Enrolments: 1}), reports.Figures{})
	w.rollupAgrees()
}

func plusFigures(a, b reports.Figures) reports.Figures {
	return reports.Figures{Enrolments: a.Enrolments + b.Enrolments, Completions: a.Completions + b.Completions,
		Certificates: a.Certificates + b.Certificates, Hours: a.Hours + b.Hours,
		Participation: a.Participation + b.Participation, ParticipationHours: a.ParticipationHours + b.ParticipationHours}
}
