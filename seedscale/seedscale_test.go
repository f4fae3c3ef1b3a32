package seedscale_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/reports"
	"github.com/aula-platform/aula/seedscale"
	"github.com/aula-platform/aula/wiring"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// TestSeedScaleSmall seeds a small installation and reads it back through
// the services the pages use: what the benchmark measures must be data
// the application understands.
func TestSeedScaleSmall(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "seedscale")
	var out strings.Builder
	r, err := seedscale.Run(ctx, db, seedscale.Options{Learners: 300, Institutions: 12, Courses: 9, Attempts: 3000, Items: 200, Events: 3}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "attempts") || !strings.Contains(out.String(), "rows/s") {
		t.Errorf("no speed report:\n%s", out.String())
	}
	var attempts, open int
	if err := db.NewRaw("SELECT count(*), count(*) FILTER (WHERE submitted_at IS NULL) FROM attempts").Scan(ctx, &attempts, &open); err != nil {
		t.Fatal(err)
	}
	if attempts < 2500 || attempts > 4000 || open == 0 {
		t.Errorf("attempts %d (%d open), want about 3000", attempts, open)
	}
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test"})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := accounts.NewStore(db).User(ctx, r.AdminID)
	if err != nil {
		t.Fatal(err)
	}
	actor := courses.ActorFor(admin)

	roster, err := svc.Courses.Roster(ctx, actor, r.BigCourseID, courses.RosterFilter{Limit: 20})
	if err != nil || len(roster.Items) != 20 || roster.Total < 100 {
		t.Fatalf("roster: %v (%d rows)", err, len(roster.Items))
	}
	results, err := svc.Assessment.Results(ctx, actor, r.BigQuizID, assessment.ResultsFilter{Limit: 20})
	if err != nil || len(results.Rows) != 20 || len(results.Questions) != 3 {
		t.Fatalf("results: %v", err)
	}
	// The statistics come from the counts the triggers keep on submit,
	// which the seeder must fill for attempts written with triggers off.
	for _, q := range results.Questions {
		if q.Presented == 0 || q.Answered == 0 {
			t.Fatalf("question %d: presented %d, answered %d: want the seeded attempts counted", q.Question.ID, q.Presented, q.Answered)
		}
	}
	// The figures read the rollup the triggers keep, which the seeder
	// must count for facts written with triggers off.
	network, err := svc.Reports.Network(ctx, actor, 0)
	if err != nil {
		t.Fatalf("network report: %v", err)
	}
	var enrolled int
	if err := db.NewRaw(`SELECT count(*) FROM enrolments WHERE status IN ('active', 'completed')
		AND extract(year FROM enrolled_at AT TIME ZONE 'UTC') = ?`, network.Year).Scan(ctx, &enrolled); err != nil {
		t.Fatal(err)
	}
	if enrolled == 0 || network.Total.Enrolments != enrolled || network.Total.Completions == 0 {
		t.Fatalf("network report %d: %d enrolments, %d completions; want %d enrolments and some completions",
			network.Year, network.Total.Enrolments, network.Total.Completions, enrolled)
	}
	book, err := svc.Reports.Gradebook(ctx, actor, reports.GradebookQuery{CourseID: r.BigCourseID, Status: "completed"})
	if err != nil || len(book.Rows) == 0 {
		t.Fatalf("gradebook: %v", err)
	}
	for _, row := range book.Rows {
		if row.Progress != 100 || row.Certificate == "" {
			t.Fatalf("completed row %+v: want 100%% and a certificate", row)
		}
	}
	v, err := svc.Certificates.Lookup(ctx, book.Rows[0].Certificate)
	if err != nil || v.Status != certificates.StatusValid || v.Certificate.HolderName != book.Rows[0].Name {
		t.Fatalf("lookup %s: %v %+v", book.Rows[0].Certificate, err, v)
	}
	// Stemming: the Portuguese singular finds the plural in titles.
	found, err := svc.Library.Search(ctx, library.Query{Text: "pensão"})
	if err != nil || found.Total == 0 || len(found.Facets.Country) == 0 {
		t.Fatalf("library search: %v (%+v)", err, found)
	}

	recountsMatchTriggers(t, db)

	// A database with people in it is refused.
	if _, err := seedscale.Run(ctx, db, seedscale.Options{Learners: 10}, io.Discard); !errors.Is(err, seedscale.ErrNotEmpty) {
		t.Errorf("second run: %v, want ErrNotEmpty", err)
	}
}

// recountsMatchTriggers changes the seeded rows with the triggers on (as
// the application does: submits, a regrade, deleted attempts, completions,
// library items withdrawn and edited), then checks that the migrations'
// recounts the seeder uses give what the triggers kept: a seeded
// database reads as one the application filled.
func recountsMatchTriggers(t *testing.T, db *bun.DB) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`UPDATE attempts SET submitted_at = started_at + interval '5 minutes' WHERE submitted_at IS NULL AND id % 2 = 0`,
		`UPDATE attempts SET passed = NOT passed WHERE submitted_at IS NOT NULL AND id % 50 = 0`,
		`DELETE FROM attempts WHERE submitted_at IS NOT NULL AND id % 97 = 0`,
		`UPDATE enrolments SET status = 'completed', completed_at = now() WHERE status = 'active' AND id % 11 = 0`,
		`UPDATE library_items SET status = 'withdrawn', withdrawn_at = now() WHERE status = 'published' AND id % 7 = 0`,
		`UPDATE library_items SET countries = ARRAY['PE', 'UY'], year = 2011 WHERE status = 'published' AND id % 5 = 1`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // only read, then undone
	var attributed int64
	if err := tx.QueryRowContext(ctx, `SELECT report_attribute_missing()`).Scan(&attributed); err != nil {
		t.Fatal(err)
	}
	if attributed != 0 {
		t.Errorf("report_attribute_missing attributed %d facts the triggers had attributed already", attributed)
	}
	// Each table as the triggers left it (rows counting nothing aside),
	// then recounted: the same rows.
	for _, c := range []struct{ table, rebuild, rows string }{
		{"quiz_answer_counts", "quiz_answer_counts_rebuild", "SELECT * FROM quiz_answer_counts WHERE n <> 0"},
		{"library_facet_counts", "library_facet_counts_rebuild", "SELECT * FROM library_facet_counts WHERE count <> 0"},
		{"library_search", "library_search_rebuild", "SELECT * FROM library_search"},
		{"course_enrolment_counts", "list_counts_rebuild", "SELECT * FROM course_enrolment_counts WHERE active <> 0 OR completed <> 0"},
		{"quiz_attempt_counts", "list_counts_rebuild", "SELECT * FROM quiz_attempt_counts WHERE open <> 0 OR passed <> 0 OR failed <> 0"},
	} {
		var kept, differ int
		err := tx.QueryRowContext(ctx, "CREATE TEMP TABLE kept ON COMMIT DROP AS "+c.rows+"; SELECT count(*) FROM kept").Scan(&kept)
		if err == nil {
			_, err = tx.ExecContext(ctx, "SELECT "+c.rebuild+"()")
		}
		if err == nil {
			err = tx.QueryRowContext(ctx, "SELECT count(*) FROM (("+c.rows+" EXCEPT TABLE kept) UNION ALL (TABLE kept EXCEPT "+c.rows+")) AS d").Scan(&differ)
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, "DROP TABLE kept")
		}
		if err != nil {
			t.Fatalf("%s: %v", c.table, err)
		}
		if kept == 0 || differ != 0 {
			t.Errorf("%s: %d rows kept by the triggers, %d differ from %s()", c.table, kept, differ, c.rebuild)
		}
	}
}
