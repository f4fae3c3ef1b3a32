package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// Store holds every query of the reports. It names no table: it joins the
// subqueries the owning packages export for it. They are common table
// expressions NOT MATERIALIZED, so PostgreSQL plans each as if written in
// place and reads only the rows a report keeps through the owners' indexes.
type Store struct {
	db bun.IDB
}

// NewStore returns the queries on db (a *bun.DB or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// gradebookFilter is what one gradebook query reads.
type gradebookFilter struct {
	CourseID, InstitutionID int64
	Status                  string
	Order, After            string // ORDER BY, and the keyset condition with the cursor's key and id
	Bound                   string // the same condition on the key alone, for an index ("" none)
	// Outer is Order over the page's columns (pg), to put the page's rows
	// back in order after their results are joined.
	Outer  string
	Cursor *cursor
	Limit  int
}

// gradebookRow is a gradebook row as the database gives it.
type gradebookRow struct {
	EnrolmentID  int64      `bun:"enrolment_id"`
	UserID       int64      `bun:"user_id"`
	Name         string     `bun:"name"`
	Email        string     `bun:"email"`
	Institution  string     `bun:"institution"`
	Status       string     `bun:"status"`
	EnrolledAt   time.Time  `bun:"enrolled_at"`
	CompletedAt  *time.Time `bun:"completed_at"`
	ModulesDone  int        `bun:"modules_done"`
	ModulesTotal int        `bun:"modules_total"`
	// Quizzes is the enrolment's quiz results, "quiz id:best percent
	// (empty before a submission):attempts:passed (0 or 1)" joined by
	// spaces (parseQuizResults): split by hand, where decoding them as
	// jsonb into a map was a tenth of a 40,000-row export's Go time.
	Quizzes      string    `bun:"quizzes"`
	LastActivity time.Time `bun:"last_activity"`
	Certificate  string    `bun:"certificate"`
}

// Gradebook reads one chunk of a course's gradebook. The page's rows are
// chosen first, in a subquery that joins only the enrolments and their
// learners (pg), and only those rows then get their institution,
// certificate and quiz results: chosen with the results joined, the
// planner weighed each result against the sort, so for a course of 600
// learners it walked 8,800 users by name rather than sort the course's
// enrolments after reading every result (280 ms instead of 4).
func (s *Store) Gradebook(ctx context.Context, f gradebookFilter) ([]gradebookRow, error) {
	where, whereArgs := gradebookWhere(f)
	args := append([]any{
		courses.ReportEnrolments(s.db, f.CourseID), accounts.ReportPeople(s.db), accounts.ReportInstitutions(s.db),
		assessment.ReportQuizResults(s.db), certificates.ReportCertificates(s.db),
	}, whereArgs...)
	if f.Cursor != nil {
		if f.Bound != "" {
			where += " AND " + f.Bound
			args = append(args, f.Cursor.Key)
		}
		where += " AND " + f.After
		args = append(args, f.Cursor.Key, f.Cursor.ID)
	}
	args = append(args, f.Limit)
	var rows []gradebookRow
	// The modules' subqueries of e are in pg's select list: PostgreSQL
	// runs them for the page's rows only (after its sort, when it sorts).
	err := s.db.NewRaw(`WITH e AS NOT MATERIALIZED (?), p AS NOT MATERIALIZED (?), i AS NOT MATERIALIZED (?),
			qr AS NOT MATERIALIZED (?), cert AS NOT MATERIALIZED (?)
		SELECT pg.enrolment_id, pg.user_id, pg.name, pg.email, coalesce(i.acronym, '') AS institution,
			pg.status, pg.enrolled_at, pg.completed_at, pg.modules_done, pg.modules_total,
			q.quizzes, greatest(pg.enrolled_at, pg.last_module_at, q.last_at) AS last_activity,
			coalesce(cert.code, '') AS certificate
		FROM (SELECT e.enrolment_id, e.status, e.enrolled_at, e.completed_at, e.modules_done, e.modules_total, e.last_module_at,
				p.user_id, p.name, p.email, p.institution_id
			FROM e JOIN p ON p.user_id = e.user_id
			WHERE `+where+`
			ORDER BY `+f.Order+` LIMIT ?) AS pg
		LEFT JOIN i ON i.institution_id = pg.institution_id
		LEFT JOIN cert ON cert.enrolment_id = pg.enrolment_id
		CROSS JOIN LATERAL (SELECT coalesce(string_agg(qr.quiz_id || ':' || coalesce(qr.best_percent::text, '') || ':' || qr.attempts
					|| CASE WHEN qr.passed THEN ':1' ELSE ':0' END, ' '), '') AS quizzes,
				max(qr.last_at) AS last_at
			FROM qr WHERE qr.enrolment_id = pg.enrolment_id) AS q
		ORDER BY `+f.Outer, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("gradebook of course %d: %w", f.CourseID, err)
	}
	return rows, nil
}

// GradebookHead returns a gradebook's quiz columns and how many
// enrolments of status ("": active or completed) its course has, from the
// counts kept per course, in one statement: a page needs both before its
// rows (the count chooses how they are read, sortSpec.sized), and they
// were two round trips.
func (s *Store) GradebookHead(ctx context.Context, courseID int64, status courses.EnrolmentStatus) ([]QuizColumn, int, error) {
	n, err := courses.ReportEnrolmentCount(s.db, courseID, status)
	if err != nil {
		return nil, 0, err
	}
	// n has one row: a course without quizzes gives it with NULL columns.
	var rows []struct {
		Enrolments int     `bun:"enrolments"`
		QuizID     *int64  `bun:"quiz_id"`
		Title      *string `bun:"title"`
		Required   *bool   `bun:"required"`
		Counts     *bool   `bun:"counts"`
	}
	err = s.db.NewRaw(`WITH n AS NOT MATERIALIZED (?), qz AS NOT MATERIALIZED (?)
		SELECT n.enrolments, qz.quiz_id, qz.title, qz.required, qz.counts FROM n LEFT JOIN qz ON TRUE ORDER BY qz.quiz_id`,
		n, assessment.ReportCourseQuizzes(s.db, courseID)).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("gradebook head of course %d: %w", courseID, err)
	}
	if len(rows) == 0 {
		return nil, 0, fmt.Errorf("gradebook head of course %d: no row", courseID)
	}
	cols := make([]QuizColumn, 0, len(rows)) // [] in the API for a course without quizzes, not null
	for _, r := range rows {
		if r.QuizID != nil {
			cols = append(cols, QuizColumn{ID: *r.QuizID, Title: *r.Title, Required: *r.Required, counts: *r.Counts})
		}
	}
	return cols, rows[0].Enrolments, nil
}

// GradebookCount counts the rows the gradebook's filters keep, whatever
// the cursor: the size of its export, known before it starts. Only the
// enrolments and people are read (the course's enrolments by index), not
// the per-row results, so it costs little beside one page.
func (s *Store) GradebookCount(ctx context.Context, f gradebookFilter) (int, error) {
	where, whereArgs := gradebookWhere(f)
	var n int
	err := s.db.NewRaw(`WITH e AS NOT MATERIALIZED (?), p AS NOT MATERIALIZED (?)
		SELECT count(*) FROM e JOIN p ON p.user_id = e.user_id WHERE `+where,
		append([]any{courses.ReportEnrolments(s.db, f.CourseID), accounts.ReportPeople(s.db)}, whereArgs...)...).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("count gradebook of course %d: %w", f.CourseID, err)
	}
	return n, nil
}

// gradebookWhere is the condition on e and p of the rows a gradebook
// query keeps, with its arguments.
func gradebookWhere(f gradebookFilter) (string, []any) {
	where := "TRUE" // e holds the course's enrolments only
	var args []any
	if f.InstitutionID != 0 {
		where += " AND p.institution_id = ?"
		args = append(args, f.InstitutionID)
	}
	if f.Status != "" {
		where += " AND e.status = ?"
		args = append(args, f.Status)
	}
	return where, args
}

// grouping is how the figures query groups the rollup's rows: the key
// and its label, as SQL over r (a rollup), i and c. A key that names
// r.day is written with the rollup's own date column instead (date).
type grouping struct {
	by         Grouping
	key, label string
	join       string // the table (i or c) key and label name, "" none
}

var groupings = map[Grouping]grouping{
	ByCourse:      {by: ByCourse, key: "coalesce(c.course_id::text, '')", label: "coalesce(max(c.title), '')", join: "c"},
	ByMonth:       {by: ByMonth, key: "extract(month FROM r.day)::int::text", label: "''"},
	ByCountry:     {by: ByCountry, key: "coalesce(i.country, '')", label: "coalesce(max(i.country), '')", join: "i"},
	ByInstitution: {by: ByInstitution, key: "coalesce(i.institution_id::text, '')", label: "coalesce(max(i.acronym || ' — ' || i.name), '')", join: "i"},
	ByLanguage:    {by: ByLanguage, key: "coalesce(c.language, r.language)", label: "coalesce(max(c.language), max(r.language))", join: "c"},
}

// rollup is a table the figures read: which groupings it has the keys
// of, whether it can be narrowed to one institution's, and whether it
// counts per month (then a period must start and end on a month's first
// day).
type rollup struct {
	table, date   string
	has           map[Grouping]bool
	byInstitution bool
	monthly       bool
}

// rollups, smallest first: a figures query reads the first that has all
// it needs (migration 20261202020000_report_monthly). At 100,000 learners
// a year is 2,400 rows of the institutions' months, 6,000 of the
// courses' months and 305,000 of the daily rollup; the daily one, keyed
// by institution, serves one institution's report through its index.
var rollups = []rollup{
	{table: "report_monthly_institution", date: "month", monthly: true, byInstitution: true,
		has: map[Grouping]bool{ByMonth: true, ByCountry: true, ByInstitution: true}},
	{table: "report_monthly_course", date: "month", monthly: true,
		has: map[Grouping]bool{ByMonth: true, ByCourse: true, ByLanguage: true}},
	{table: "report_daily", date: "day", byInstitution: true,
		has: map[Grouping]bool{ByMonth: true, ByCourse: true, ByCountry: true, ByInstitution: true, ByLanguage: true}},
}

// rollupFor returns the smallest rollup that can answer f.
func rollupFor(f figuresFilter) rollup {
	months := f.From.Day() == 1 && f.To.Day() == 1
	for _, r := range rollups {
		ok := (!r.monthly || months) && (r.byInstitution || f.InstitutionID == 0)
		for _, g := range f.Groups {
			ok = ok && r.has[g.by]
		}
		if ok {
			return r
		}
	}
	return rollups[len(rollups)-1]
}

// figuresFilter is what one figures query reads: the days in [From, To)
// of the installation's calendar, grouped in each of Groups (one pass
// for all of them).
type figuresFilter struct {
	Groups        []grouping
	From, To      time.Time // dates: only their year, month and day count
	InstitutionID int64     // 0: everyone
}

// figureRow is a row of the figures query: which grouping it is of
// (its index in Groups), and the figures.
type figureRow struct {
	Set int `bun:"set"`
	Figures
}

// Figures counts enrolments, completions, certificates of courses and
// of participation, and training hours in a period, in each of the
// filter's groupings, read in one pass (GROUPING SETS) over the smallest
// rollup that has their keys (rollups), which the database keeps by
// triggers on the facts. Training hours are stored with each completion
// (the course's workload then), so no rollup needs the course for them.
func (s *Store) Figures(ctx context.Context, f figuresFilter) ([][]Figures, error) {
	src := rollupFor(f)
	key := func(g grouping) string { return strings.ReplaceAll(g.key, "r.day", "r."+src.date) }
	args := []any{accounts.ReportInstitutions(s.db), courses.ReportCourses(s.db),
		f.From.Format(time.DateOnly), f.To.Format(time.DateOnly)}
	var sets, keys, labels, all []string
	join := map[string]bool{}
	for n, g := range f.Groups {
		join[g.join] = true
		all = append(all, key(g))
		sets = append(sets, "("+key(g)+")")
		keys = append(keys, fmt.Sprintf("WHEN %d THEN %s", n, key(g)))
		labels = append(labels, fmt.Sprintf("WHEN %d THEN %s", n, g.label))
	}
	// GROUPING(k1, …, kn) has a bit set for each key a row is not grouped
	// by, the first key's the highest: the row of set n has all but n's.
	setOf := "CASE grouping(" + strings.Join(all, ", ") + ")"
	for n := range f.Groups {
		setOf += fmt.Sprintf(" WHEN %d THEN %d", (1<<len(f.Groups)-1)&^(1<<(len(f.Groups)-1-n)), n)
	}
	setOf += " END"
	where := "r." + src.date + " >= ?::date AND r." + src.date + " < ?::date"
	if f.InstitutionID != 0 {
		where += " AND r.institution_id = ?"
		args = append(args, f.InstitutionID)
	}
	// Only the joins the groupings name: the months need neither.
	joins := ""
	if join["i"] {
		joins += " LEFT JOIN i ON i.institution_id = r.institution_id"
	}
	if join["c"] {
		joins += " LEFT JOIN c ON c.course_id = r.course_id"
	}
	var rows []figureRow
	// HAVING drops the groups whose facts were all withdrawn or revoked
	// (their rollup rows are left at zero).
	err := s.db.NewRaw(`WITH i AS NOT MATERIALIZED (?), c AS NOT MATERIALIZED (?)
		SELECT `+setOf+` AS set, CASE `+setOf+` `+strings.Join(keys, " ")+` END AS key,
			CASE `+setOf+` `+strings.Join(labels, " ")+` END AS label,
			sum(r.enrolments)::int AS enrolments, sum(r.completions)::int AS completions,
			sum(r.certificates)::int AS certificates, sum(r.hours)::int AS hours,
			sum(r.participation)::int AS participation, sum(r.participation_hours)::int AS participation_hours
		FROM `+src.table+` AS r`+joins+`
		WHERE `+where+`
		GROUP BY GROUPING SETS (`+strings.Join(sets, ", ")+`)
		HAVING sum(abs(r.enrolments) + abs(r.completions) + abs(r.certificates) + abs(r.participation)) > 0`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("figures from %s in %s: %w", f.From.Format(time.DateOnly), src.table, err)
	}
	out := make([][]Figures, len(f.Groups))
	for _, r := range rows {
		if r.Set >= 0 && r.Set < len(out) {
			out[r.Set] = append(out[r.Set], r.Figures)
		}
	}
	for n, g := range f.Groups {
		sortFigures(g.by, out[n])
	}
	return out, nil
}

// RollupZone returns the time zone whose calendar the rollup's days are in.
func (s *Store) RollupZone(ctx context.Context) (string, error) {
	var zone string
	if err := s.db.NewRaw(`SELECT coalesce((SELECT zone FROM report_daily_zone), 'UTC')`).Scan(ctx, &zone); err != nil {
		return "", fmt.Errorf("rollup zone: %w", err)
	}
	return zone, nil
}

// RebuildRollup counts the rollup again from the facts with its days in
// zone (each fact keeps the institution it was counted for).
func (s *Store) RebuildRollup(ctx context.Context, zone string) error {
	if _, err := s.db.NewRaw(`SELECT report_daily_rebuild(?)`, zone).Exec(ctx); err != nil {
		return fmt.Errorf("rebuild rollup in %s: %w", zone, err)
	}
	return nil
}

// sortFigures puts a grouping's rows in the order its table shows:
// months in the calendar's order, courses and institutions by name,
// countries and languages by code.
func sortFigures(by Grouping, rows []Figures) {
	slices.SortFunc(rows, func(a, b Figures) int {
		switch by {
		case ByMonth:
			x, _ := strconv.Atoi(a.Key)
			y, _ := strconv.Atoi(b.Key)
			return cmp.Compare(x, y)
		case ByCourse, ByInstitution:
			return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Key, b.Key))
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// Counts returns how many enabled learners, institutions and published
// courses there are.
func (s *Store) Counts(ctx context.Context) (learners, institutions, published int, err error) {
	err = s.db.NewRaw(`WITH p AS NOT MATERIALIZED (?), i AS NOT MATERIALIZED (?), c AS NOT MATERIALIZED (?)
		SELECT (SELECT count(*) FROM p WHERE p.role = ? AND NOT p.disabled),
			(SELECT count(*) FROM i),
			(SELECT count(*) FROM c WHERE c.status = ?)`,
		accounts.ReportPeople(s.db), accounts.ReportInstitutions(s.db), courses.ReportCourses(s.db),
		accounts.RoleLearner, courses.StatusPublished).Scan(ctx, &learners, &institutions, &published)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("counts: %w", err)
	}
	return learners, institutions, published, nil
}

// LatestCertificates returns the n certificates issued last (revoked ones
// left out).
func (s *Store) LatestCertificates(ctx context.Context, n int) ([]LatestCertificate, error) {
	var list []LatestCertificate
	err := s.db.NewRaw(`WITH cert AS NOT MATERIALIZED (?)
		SELECT cert.code, cert.holder_name, cert.course_title, cert.issued_at FROM cert
		ORDER BY cert.issued_at DESC, cert.certificate_id DESC LIMIT ?`, certificates.ReportCertificates(s.db), n).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("latest certificates: %w", err)
	}
	return list, nil
}
