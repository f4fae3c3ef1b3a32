// Package seedscale fills a database with an installation at scale
// (`aula seed scale`): 100,000 learners over 200 institutions in 20
// countries, 500 published courses, about a million quiz attempts,
// enrolments with progress, completions and their certificates, events
// with participation certificates, and 100,000 library items. It is the
// fixture of the benchmark (scripts/bench.sh) and of the reports' work at
// scale (issues 11, 13, 16).
//
// It writes every domain's tables directly, in set-based SQL (INSERT …
// SELECT generate_series), rather than through the services: a million
// attempts through assessment's rules would take hours, and the point is
// data of the right shape, fast. It is therefore a fixture like a restore
// (which also writes tables directly, with triggers off): it runs in one
// transaction with session_replication_role = replica, so foreign keys and
// triggers are not checked row by row — the data is consistent by
// construction, and what triggers would have kept is counted once after
// the rows are in, by the SQL functions the migrations define for it
// (list_counts_rebuild, quiz_answer_counts_rebuild, library_search_rebuild,
// library_facet_counts_rebuild, report_attribute_missing,
// report_daily_rebuild; library search vectors through
// library_item_search), never by a copy of their SQL. It must never run on
// a real installation: it refuses a database that already has users unless
// told Yes.
//
// What is not real: seeded people have no password (they cannot sign in),
// and certificates carry a well-formed but fake signature (64 bytes
// derived from the code, not an Ed25519 signature of the payload): the
// verify page and the PDF read them like any other, but an offline check
// of a seeded certificate's credential fails.
package seedscale

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/certificates"
)

// Options size the installation. Zero values take the defaults.
type Options struct {
	Learners     int // 100,000
	Institutions int // 200
	Courses      int // 500
	Attempts     int // about 1,000,000
	Items        int // library items, 100,000
	Events       int // events with participation certificates, 40
	// PerLearner is how many courses besides the big one each learner is
	// enrolled in (3).
	PerLearner int
	// Yes seeds a database that already has users (adding to them).
	Yes bool
}

// Defaults are issue 11's sizes.
var Defaults = Options{Learners: 100_000, Institutions: 200, Courses: 500, Attempts: 1_000_000, Items: 100_000,
	Events: 40, PerLearner: 3}

func (o *Options) fill() {
	d := Defaults
	for _, f := range []struct{ v, def *int }{
		{&o.Learners, &d.Learners}, {&o.Institutions, &d.Institutions}, {&o.Courses, &d.Courses},
		{&o.Attempts, &d.Attempts}, {&o.Items, &d.Items}, {&o.Events, &d.Events}, {&o.PerLearner, &d.PerLearner},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
}

// Marker describes the options, for a benchmark to know whether a
// database already holds this seeding (COMMENT ON DATABASE).
func (o Options) Marker() string {
	o.fill()
	return fmt.Sprintf("aula seed scale: learners=%d institutions=%d courses=%d attempts=%d items=%d events=%d per=%d",
		o.Learners, o.Institutions, o.Courses, o.Attempts, o.Items, o.Events, o.PerLearner)
}

// Step is what one table's seeding did.
type Step struct {
	Table string
	Rows  int64
	Took  time.Duration
}

// Report is what a seeding did.
type Report struct {
	Steps []Step
	Took  time.Duration
	// BigQuizID is the quiz with the most attempts (the benchmark's quiz
	// results), BigCourseID its course (roster, gradebook).
	BigQuizID, BigCourseID int64
	// AdminID is the seeded administrator (who cannot sign in).
	AdminID int64
}

// ErrNotEmpty: the database already has users and Yes was not given.
var ErrNotEmpty = errors.New("seedscale: the database already has users; seed scale only fills an empty benchmark database (-yes to add anyway)")

// countries are the network's members with the interface language their
// people use.
var countries = [][2]string{
	{"AR", "es"}, {"BO", "es"}, {"BR", "pt-BR"}, {"CL", "es"}, {"CO", "es"}, {"CR", "es"}, {"DO", "es"},
	{"EC", "es"}, {"ES", "es"}, {"GT", "es"}, {"MX", "es"}, {"PA", "es"}, {"PE", "es"}, {"PT", "pt-PT"},
	{"PY", "es"}, {"UY", "es"}, {"AO", "pt-PT"}, {"MZ", "pt-PT"}, {"CV", "pt-PT"}, {"JM", "en"},
}

var firstNames = []string{"João", "Conceição", "María José", "José", "Inês", "Ángel", "Sebastián", "Lucía",
	"Ana Luísa", "Begoña", "Iñaki", "Gonçalo", "Fátima", "Raúl", "Zoë", "Mónica", "Andrés", "Antônia",
	"Estêvão", "Verónica", "Noémia", "Jesús", "Ramón", "Núria", "Cauã", "Thaís", "Valentina", "Emily",
	"Matthew", "Siobhán", "Héctor", "Joaquín"}

var lastNames = []string{"Peña", "Conceição", "Muñoz", "Gonçalves", "Núñez", "Simões", "Ibáñez", "Magalhães",
	"Fernández", "Pérez", "Antunes", "Guimarães", "Rodríguez", "Araújo", "Sánchez", "Brandão", "López",
	"Falcão", "Gómez", "Assunção", "Martínez", "Patiño", "Smith", "O'Brien", "Castañeda", "Estévez",
	"Lourenço", "Quiñones", "Bragança", "Dávila", "Solórzano", "Acuña"}

// Run seeds db and writes each table's speed to w as it goes.
func Run(ctx context.Context, db *bun.DB, opts Options, w io.Writer) (*Report, error) {
	opts.fill()
	start := time.Now()
	var users int
	if err := db.NewRaw("SELECT count(*) FROM users").Scan(ctx, &users); err != nil {
		return nil, fmt.Errorf("seedscale: count users: %w", err)
	}
	if users > 0 && !opts.Yes {
		return nil, ErrNotEmpty
	}
	r := &Report{}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		s := &seeder{tx: tx, o: opts, w: w, r: r, tag: strconv.FormatInt(time.Now().Unix()%46656, 36)}
		return s.run(ctx)
	})
	if err != nil {
		return nil, err
	}
	// Fresh statistics, as after a restore, and the visibility map that
	// lets index-only scans skip the table.
	t := time.Now()
	if _, err := db.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return nil, fmt.Errorf("seedscale: analyze: %w", err)
	}
	fmt.Fprintf(w, "  %-28s %12s %8.1fs\n", "VACUUM (ANALYZE)", "", time.Since(t).Seconds())
	r.Took = time.Since(start)
	fmt.Fprintf(w, "  %-28s %12d %8.1fs  %8.0f rows/s\n", "total", r.rows(), r.Took.Seconds(), float64(r.rows())/r.Took.Seconds())
	return r, nil
}

func (r *Report) rows() int64 {
	var n int64
	for _, s := range r.Steps {
		n += s.Rows
	}
	return n
}

type seeder struct {
	tx  bun.Tx
	o   Options
	w   io.Writer
	r   *Report
	tag string // keeps emails, slugs and acronyms apart from an earlier seeding's

	users, institutions, courses, quizzes, questions, events int64 // first ids
	admin, key                                               int64
}

// step runs one statement that seeds table and records its speed.
func (s *seeder) step(ctx context.Context, table, query string, args ...any) error {
	t := time.Now()
	res, err := s.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("seedscale: %s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	s.record(table, n, time.Since(t))
	return nil
}

// rebuild runs fn, one of the migrations' functions that count from the
// rows what triggers keep (it returns the rows it wrote), for table, and
// records its speed.
func (s *seeder) rebuild(ctx context.Context, table, fn string) error {
	t := time.Now()
	var n int64
	if err := s.tx.QueryRowContext(ctx, "SELECT "+fn+"()").Scan(&n); err != nil {
		return fmt.Errorf("seedscale: %s: %w", table, err)
	}
	s.record(table, n, time.Since(t))
	return nil
}

func (s *seeder) record(table string, n int64, took time.Duration) {
	s.r.Steps = append(s.r.Steps, Step{Table: table, Rows: n, Took: took})
	fmt.Fprintf(s.w, "  %-28s %12d %8.1fs  %8.0f rows/s\n", table, n, took.Seconds(), float64(n)/max(took.Seconds(), 1e-6))
}

// reserve takes n ids from table's sequence and returns the first, so
// rows can be written with ids computed from their number.
func (s *seeder) reserve(ctx context.Context, table string, n int) (int64, error) {
	var first int64
	err := s.tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence(?, 'id'))`, table).Scan(&first)
	if err == nil && n > 1 {
		_, err = s.tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, 'id'), ?)`, table, first+int64(n)-1)
	}
	if err != nil {
		return 0, fmt.Errorf("seedscale: reserve %s ids: %w", table, err)
	}
	return first, nil
}

func (s *seeder) run(ctx context.Context) error {
	// Triggers and foreign keys off for this transaction, as pg_restore
	// --disable-triggers does; no statement timeout for the big inserts.
	for _, q := range []string{"SET LOCAL session_replication_role = replica", "SET LOCAL statement_timeout = 0",
		"SET LOCAL synchronous_commit = off"} {
		if _, err := s.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seedscale: %s: %w", q, err)
		}
	}
	indexes, err := s.dropIndexes(ctx)
	if err != nil {
		return err
	}
	for _, f := range []func(context.Context) error{s.people, s.catalogue, s.enrolments, s.attempts,
		s.certificates, s.eventsAndParticipation, s.library, s.reportRollup} {
		if err := f(ctx); err != nil {
			return err
		}
	}
	return s.createIndexes(ctx, indexes)
}

// reportRollup counts the seeded facts into the reports' rollups, which
// the enrolments' and certificates' triggers keep on every change: each
// fact is attributed to its person's institution, then the rollups are
// recounted in the installation's zone; the roster's and quiz results'
// counts, and the enrolments' progress, are recounted too.
func (s *seeder) reportRollup(ctx context.Context) error {
	if err := s.rebuild(ctx, "report_attribution", "report_attribute_missing"); err != nil {
		return err
	}
	if _, err := s.tx.ExecContext(ctx, `SELECT report_daily_rebuild(coalesce((SELECT zone FROM report_daily_zone), 'UTC'))`); err != nil {
		return fmt.Errorf("seedscale: report rollup: %w", err)
	}
	// The roster's and the quiz results' counts, which the enrolments' and
	// attempts' triggers keep, recounted from every row.
	if _, err := s.tx.ExecContext(ctx, `SELECT list_counts_rebuild()`); err != nil {
		return fmt.Errorf("seedscale: list counts: %w", err)
	}
	// Each enrolment's modules done and latest completion, which the
	// module completions' triggers keep (the gradebook reads them).
	if _, err := s.tx.ExecContext(ctx, `SELECT courses_progress_rebuild()`); err != nil {
		return fmt.Errorf("seedscale: enrolment progress: %w", err)
	}
	return nil
}

// bigTables are the tables of many rows, whose secondary indexes are
// dropped while they fill.
var bigTables = []string{"users", "enrolments", "module_completions", "attempts", "certificates",
	"event_registrations", "event_attendance", "library_items", "library_search"}

// dropIndexes drops the big tables' indexes that back no constraint and
// returns their definitions: as a restore does, they are built once
// after the rows are in, several times faster than kept row by row (a
// trigram or full-text index most of all). Unique indexes stay, for the
// ON CONFLICT clauses.
func (s *seeder) dropIndexes(ctx context.Context) ([][2]string, error) {
	var list [][2]string
	rows, err := s.tx.QueryContext(ctx, `SELECT x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid)
		FROM pg_index AS x
		WHERE x.indrelid = ANY (?::regclass[]) AND NOT x.indisunique AND NOT x.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)
		ORDER BY 1`, pgArray(bigTables))
	if err != nil {
		return nil, fmt.Errorf("seedscale: list indexes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, fmt.Errorf("seedscale: list indexes: %w", err)
		}
		list = append(list, [2]string{name, def})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seedscale: list indexes: %w", err)
	}
	for _, ix := range list {
		if _, err := s.tx.ExecContext(ctx, "DROP INDEX "+ix[0]); err != nil {
			return nil, fmt.Errorf("seedscale: drop index %s: %w", ix[0], err)
		}
	}
	return list, nil
}

// createIndexes builds again the indexes dropIndexes dropped.
func (s *seeder) createIndexes(ctx context.Context, list [][2]string) error {
	if _, err := s.tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return fmt.Errorf("seedscale: %w", err)
	}
	t := time.Now()
	for _, ix := range list {
		if _, err := s.tx.ExecContext(ctx, ix[1]); err != nil {
			return fmt.Errorf("seedscale: index %s: %w", ix[0], err)
		}
	}
	fmt.Fprintf(s.w, "  %-28s %12d %8.1fs\n", "indexes (built again)", len(list), time.Since(t).Seconds())
	return nil
}

// pgArray is list as a PostgreSQL array literal of simple words.
func pgArray(list []string) string { return "{" + strings.Join(list, ",") + "}" }

// people: institutions, learners, a coordinator per institution, the
// instructors and an admin who issues nothing but owns the content.
func (s *seeder) people(ctx context.Context) error {
	o := s.o
	var err error
	if s.institutions, err = s.reserve(ctx, "institutions", o.Institutions); err != nil {
		return err
	}
	cc, cl := countryArrays()
	err = s.step(ctx, "institutions", `INSERT INTO institutions (id, name, acronym, country)
		SELECT ? + g, (CASE (`+cl+`)[1 + g % 20] WHEN 'es' THEN 'Instituto de Seguridad Social Nº '
				WHEN 'en' THEN 'Social Security Board No. ' ELSE 'Instituto de Previdência Social n.º ' END) || (g + 1),
			'ISS' || ? || '-' || (g + 1), (`+cc+`)[1 + g % 20]
		FROM generate_series(0, ? - 1) AS g`, s.institutions, s.tag, o.Institutions)
	if err != nil {
		return err
	}
	staff := o.Courses/10 + 1 + o.Institutions + 1 // instructors, coordinators, the admin
	if s.users, err = s.reserve(ctx, "users", o.Learners+staff); err != nil {
		return err
	}
	fn, ln := sqlArray(firstNames), sqlArray(lastNames)
	// Learner g belongs to institution g % I, so each institution has
	// people of its country's language.
	err = s.step(ctx, "users (learners)", `INSERT INTO users (id, email, name, role, institution_id, locale, created_at)
		SELECT ? + g, 'learner' || g || '.' || ? || '@scale.aula.example',
			`+fn+`[1 + g % 32] || ' ' || `+ln+`[1 + (g / 32) % 32] || ' ' || `+ln+`[1 + (g / 1024 + g) % 32],
			'learner', ? + g % ?, (`+cl+`)[1 + (g % ?) % 20], now() - make_interval(days => 700 + g % 30)
		FROM generate_series(0, ? - 1) AS g`, s.users, s.tag, s.institutions, o.Institutions, o.Institutions, o.Learners)
	if err != nil {
		return err
	}
	first := s.users + int64(o.Learners)
	s.admin = first + int64(staff) - 1
	s.r.AdminID = s.admin
	return s.step(ctx, "users (staff)", `INSERT INTO users (id, email, name, role, institution_id, locale, created_at)
		SELECT ? + g,
			CASE WHEN g < ? THEN 'instructor' WHEN g < ? + ? THEN 'coordinator' ELSE 'admin' END || g || '.' || ? || '@scale.aula.example',
			`+fn+`[1 + (g * 7) % 32] || ' ' || `+ln+`[1 + (g * 11) % 32],
			CASE WHEN g < ? THEN 'instructor' WHEN g < ? + ? THEN 'coordinator' ELSE 'admin' END,
			CASE WHEN g >= ? AND g < ? + ? THEN ? + (g - ?) END, 'es', now() - interval '720 days'
		FROM generate_series(0, ? - 1) AS g`,
		first, o.Courses/10+1, o.Courses/10+1, o.Institutions, s.tag,
		o.Courses/10+1, o.Courses/10+1, o.Institutions,
		o.Courses/10+1, o.Courses/10+1, o.Institutions, s.institutions, o.Courses/10+1,
		staff)
}

// courseWords name courses and quizzes in each course language.
var courseWords = map[string][2]string{
	"es": {"Seguridad social y pensiones", "Evaluación final"},
	"pt": {"Previdência social e aposentadorias", "Avaliação final"},
	"en": {"Social security and pensions", "Final assessment"},
}

// catalogue: courses (published, three languages), five modules each,
// their instructors, and two quizzes each of three questions: a required
// final one and a practice one.
func (s *seeder) catalogue(ctx context.Context) error {
	o := s.o
	var err error
	if s.courses, err = s.reserve(ctx, "courses", o.Courses); err != nil {
		return err
	}
	lang := `(ARRAY['es','pt','en'])[1 + g % 3]`
	err = s.step(ctx, "courses", `INSERT INTO courses (id, slug, title, summary, language, workload_hours, status,
			created_by, published_at, created_at, certificate_validity_months)
		SELECT ? + g, 'escala-' || ? || '-' || (g + 1),
			CASE g % 3 WHEN 0 THEN ? WHEN 1 THEN ? ELSE ? END || ' ' || (g + 1),
			CASE g % 3 WHEN 0 THEN 'Curso sobre protección social, cotizaciones y jubilación.'
				WHEN 1 THEN 'Curso sobre proteção social, contribuições e aposentadoria.'
				ELSE 'A course on social protection, contributions and retirement.' END,
			`+lang+`, 4 + g % 37, 'published', ?, now() - interval '720 days', now() - interval '730 days',
			CASE WHEN g % 10 = 0 THEN 24 END
		FROM generate_series(0, ? - 1) AS g`, s.courses, s.tag,
		courseWords["es"][0], courseWords["pt"][0], courseWords["en"][0], s.admin, o.Courses)
	if err != nil {
		return err
	}
	err = s.step(ctx, "course_instructors", `INSERT INTO course_instructors (course_id, user_id)
		SELECT ? + g, ? + ? + g / 10 FROM generate_series(0, ? - 1) AS g`, s.courses, s.users, o.Learners, o.Courses)
	if err != nil {
		return err
	}
	err = s.step(ctx, "modules", `INSERT INTO modules (course_id, position, title, body_markdown, body_html, estimated_minutes)
		SELECT ? + g, p, 'Módulo ' || p,
			'La **seguridad social** protege a las personas trabajadoras. Módulo ' || p || '.',
			'<p>La <strong>seguridad social</strong> protege a las personas trabajadoras. Módulo ' || p || '.</p>', 20
		FROM generate_series(0, ? - 1) AS g, generate_series(1, 5) AS p`, s.courses, o.Courses)
	if err != nil {
		return err
	}
	if s.quizzes, err = s.reserve(ctx, "quizzes", 2*o.Courses); err != nil {
		return err
	}
	// Quiz q (from 0) is course q / 2's; even ones are the required final
	// quiz.
	err = s.step(ctx, "quizzes", `INSERT INTO quizzes (id, course_id, title, required, pass_percent, max_attempts, review, pool_version)
		SELECT ? + q, ? + q / 2,
			CASE WHEN q % 2 = 0 THEN CASE (q / 2) % 3 WHEN 0 THEN ? WHEN 1 THEN ? ELSE ? END ELSE 'Práctica' END,
			q % 2 = 0, 60, 0, 'after_attempt', 1
		FROM generate_series(0, ? - 1) AS q`, s.quizzes, s.courses,
		courseWords["es"][1], courseWords["pt"][1], courseWords["en"][1], 2*o.Courses)
	if err != nil {
		return err
	}
	if s.questions, err = s.reserve(ctx, "questions", 6*o.Courses); err != nil {
		return err
	}
	// Question 3q + k of quiz q: a single choice (option 1 right), a
	// true/false (true) and a short text ("pensión").
	return s.step(ctx, "questions", `INSERT INTO questions (id, quiz_id, position, kind, prompt, points, options, accepted, answer)
		SELECT ? + 3 * q + k, ? + q, k + 1, (ARRAY['single','true_false','short_text'])[k + 1],
			(ARRAY['¿Quién paga la pensión' || chr(63), 'A pensão é vitalícia.', '¿Qué recibe quien se jubila' || chr(63)])[k + 1], 1,
			CASE k WHEN 0 THEN '[{"text":"El banco","correct":false},{"text":"La caja","correct":true},{"text":"Nadie","correct":false}]'::jsonb ELSE '[]' END,
			CASE k WHEN 2 THEN '["pensión"]'::jsonb ELSE '[]' END,
			CASE k WHEN 1 THEN 'true'::jsonb END
		FROM generate_series(0, ? - 1) AS q, generate_series(0, 2) AS k`, s.questions, s.quizzes, 2*o.Courses)
}

// enrolments: 40% of the learners in the first course (the big one), and
// each learner in PerLearner others; 45% completed, 3% withdrawn, over
// the last two years; modules done consistent with the status.
func (s *seeder) enrolments(ctx context.Context) error {
	o := s.o
	h := `(hashint8(u.g::bigint * 1000003 + c.k) & 2147483647)`
	err := s.step(ctx, "enrolments", `INSERT INTO enrolments (course_id, user_id, status, enrolled_at, completed_at, withdrawn_at)
		SELECT ? + c.k, ? + u.g, st.status, en.at,
			CASE WHEN st.status = 'completed' THEN least(now(), en.at + make_interval(days => 1 + `+h+` % 40, secs => `+h+` % 3600)) END,
			CASE WHEN st.status = 'withdrawn' THEN least(now(), en.at + interval '3 days') END
		FROM generate_series(0, ? - 1) AS u(g)
		CROSS JOIN LATERAL (SELECT 0 AS k WHERE u.g % 5 < 2
			UNION SELECT 1 + (u.g * 31 + j * 977) % greatest(? - 1, 1) FROM generate_series(0, ? - 1) AS j WHERE ? > 1) AS c
		CROSS JOIN LATERAL (SELECT CASE WHEN `+h+` % 100 < 3 THEN 'withdrawn' WHEN `+h+` % 100 < 48 THEN 'completed' ELSE 'active' END AS status) AS st
		CROSS JOIN LATERAL (SELECT now() - make_interval(days => `+h+` % 700, secs => `+h+` % 86400) AS at) AS en
		ON CONFLICT DO NOTHING`, s.courses, s.users, o.Learners, o.Courses, o.PerLearner, o.Courses)
	if err != nil {
		return err
	}
	// A completed enrolment did every module; others some of the first
	// four (so that none is complete without its status saying so).
	return s.step(ctx, "module_completions", `INSERT INTO module_completions (enrolment_id, module_id, completed_at)
		SELECT e.id, m.id, least(coalesce(e.completed_at, now()), e.enrolled_at + make_interval(days => m.position))
		FROM enrolments AS e JOIN modules AS m ON m.course_id = e.course_id
		WHERE e.course_id BETWEEN ? AND ? + ? - 1
			AND m.position <= CASE WHEN e.status = 'completed' THEN 5 ELSE (hashint8(e.id) & 2147483647) % 5 END`,
		s.courses, s.courses, o.Courses)
}

// attempts: about Attempts in all, spread over every enrolment's two
// quizzes, one more on the big course's final quiz; a completed
// enrolment's last attempt at its final quiz passes. Answers, scores and
// layout are in assessment's jsonb shapes; a tenth of the active
// enrolments' last attempts are still open.
func (s *seeder) attempts(ctx context.Context) error {
	o := s.o
	var pairs int64
	if err := s.tx.QueryRowContext(ctx, `SELECT 2 * count(*) FROM enrolments WHERE course_id BETWEEN ? AND ? + ? - 1`,
		s.courses, s.courses, o.Courses).Scan(&pairs); err != nil {
		return fmt.Errorf("seedscale: count enrolments: %w", err)
	}
	avg := float64(o.Attempts) / float64(max(pairs, 1))
	whole, frac := int(avg), int((avg-float64(int(avg)))*1000)
	err := s.step(ctx, "attempts", `INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, submitted_at,
			score, max_score, percent, passed, layout, answers, scores)
		SELECT q.id, e.id, e.user_id, a.k, t.started, CASE WHEN NOT t.open THEN t.submitted END,
			CASE WHEN t.open THEN 0 ELSE b.b1 + b.b2 + b.b3 END, 3,
			CASE WHEN t.open THEN 0 ELSE round(((b.b1 + b.b2 + b.b3) * 100.0 / 3)::numeric, 4)::float8 END,
			NOT t.open AND b.b1 + b.b2 + b.b3 >= 2,
			jsonb_build_array(jsonb_build_object('id', qn.q1, 'order', (ARRAY['[0,1,2]','[2,0,1]','[1,2,0]','[0,2,1]','[2,1,0]','[1,0,2]'])[1 + h.h % 6]::jsonb),
				jsonb_build_object('id', qn.q1 + 1), jsonb_build_object('id', qn.q1 + 2)),
			CASE WHEN t.open THEN '{}'::jsonb ELSE jsonb_build_object(qn.q1::text, CASE WHEN b.b1 = 1 THEN 1 ELSE 0 END,
				(qn.q1 + 1)::text, b.b2 = 1, (qn.q1 + 2)::text, CASE WHEN b.b3 = 1 THEN 'pensión' ELSE 'no lo sé' END) END,
			CASE WHEN t.open THEN '{}'::jsonb ELSE jsonb_build_object(qn.q1::text, b.b1, (qn.q1 + 1)::text, b.b2, (qn.q1 + 2)::text, b.b3) END
		FROM enrolments AS e
		JOIN quizzes AS q ON q.course_id = e.course_id
		CROSS JOIN LATERAL (SELECT hashint8(e.id * 7 + q.id) & 2147483647 AS h) AS h
		CROSS JOIN LATERAL (SELECT greatest(? + (h.h % 1000 < ?)::int + (q.id = ?)::int,
			(e.status = 'completed' AND q.required)::int) AS n) AS c
		CROSS JOIN LATERAL generate_series(1, c.n) AS a(k)
		CROSS JOIN LATERAL (SELECT ? + 3 * (q.id - ?) AS q1) AS qn
		CROSS JOIN LATERAL (SELECT hashint8(e.id * 131 + q.id * 7 + a.k) & 2147483647 AS r) AS rr
		CROSS JOIN LATERAL (SELECT e.status = 'completed' AND q.required AND a.k = c.n AS wins) AS w
		CROSS JOIN LATERAL (SELECT CASE WHEN w.wins THEN 1 ELSE rr.r % 2 END AS b1,
			CASE WHEN w.wins THEN 1 ELSE (rr.r / 2) % 2 END AS b2,
			CASE WHEN w.wins THEN 1 ELSE (rr.r / 4) % 2 END AS b3) AS b
		CROSS JOIN LATERAL (SELECT e.enrolled_at + (coalesce(e.completed_at, e.withdrawn_at, now()) - e.enrolled_at) * (a.k::float8 / (c.n + 1)) AS started) AS st
		CROSS JOIN LATERAL (SELECT st.started AS started,
			least(coalesce(e.completed_at, now()), st.started + make_interval(mins => 3 + rr.r % 20)) AS submitted,
			e.status = 'active' AND a.k = c.n AND rr.r % 10 = 0 AS open) AS t
		WHERE e.course_id BETWEEN ? AND ? + ? - 1`,
		whole, frac, s.quizzes, s.questions, s.quizzes, s.courses, s.courses, o.Courses)
	if err != nil {
		return err
	}
	s.r.BigCourseID, s.r.BigQuizID = s.courses, s.quizzes
	// The per-answer counts the quiz results read, which the attempts'
	// triggers keep on every submit, are counted once from the attempts,
	// each in its shard as the trigger puts it (so the results page sums
	// as many rows as in production).
	return s.rebuild(ctx, "quiz_answer_counts", "quiz_answer_counts_rebuild")
}

// certCode is the SQL of a certificate code made from the number x: x
// scrambled by a multiplication that is a bijection modulo 30^10, written
// in codeAlphabet, so distinct numbers give distinct, valid codes.
const certCode = `(SELECT 'AULA-' || substr(d.s, 1, 4) || '-' || substr(d.s, 5, 4) || '-' || substr(d.s, 9, 2)
	FROM (SELECT string_agg(substr('` + "23456789ABCDEFGHJKMNPQRSTVWXYZ" + `', ((((%s) * 1000003 + 7777777) %% 590490000000000) / (30::bigint ^ i)::bigint %% 30)::int + 1, 1), '' ORDER BY i) AS s
		FROM generate_series(0, 9) AS i) AS d)`

// fakeSignature is a well-formed signature (64 bytes, base64url) that is
// not one: see the package comment.
const fakeSignature = `rtrim(translate(encode(sha512(convert_to(%s, 'UTF8')), 'base64'), '+/' || chr(10), '-_'), '=')`

// certificates: one per completed enrolment, issued a minute after the
// completion, with the signing key the server will use.
func (s *seeder) certificates(ctx context.Context) error {
	if err := s.signingKey(ctx); err != nil {
		return err
	}
	return s.step(ctx, "certificates", `INSERT INTO certificates (code, user_id, course_id, enrolment_id, holder_name, course_title,
			workload_hours, completed_at, issued_at, institution, issuer_name, language, template_version, signature, key_id, expires_at)
		SELECT x.code, e.user_id, e.course_id, e.id, u.name, c.title, c.workload_hours, e.completed_at,
			e.completed_at + interval '1 minute', coalesce(i.name, ''), 'Red Aula de Seguridad Social', c.language, 1,
			`+fmt.Sprintf(fakeSignature, "x.code")+`, ?,
			e.completed_at + make_interval(months => c.certificate_validity_months)
		FROM enrolments AS e
		JOIN users AS u ON u.id = e.user_id
		LEFT JOIN institutions AS i ON i.id = u.institution_id
		JOIN courses AS c ON c.id = e.course_id
		CROSS JOIN LATERAL `+fmt.Sprintf(certCode, "e.id")+` AS x(code)
		WHERE e.course_id BETWEEN ? AND ? + ? - 1 AND e.status = 'completed'`,
		s.key, s.courses, s.courses, s.o.Courses)
}

// signingKey finds the current signing key or makes it, as the server
// would at its first certificate.
func (s *seeder) signingKey(ctx context.Context) error {
	store := certificates.NewStore(s.tx)
	k, err := store.CurrentKey(ctx)
	if errors.Is(err, certificates.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		priv := certificates.GenerateKey()
		k = &certificates.SigningKey{Public: certificates.EncodePublicKey(priv.Public().(ed25519.PublicKey)), Private: certificates.EncodePrivateKey(priv)}
		if err = store.InsertFirstKey(ctx, k); err == nil {
			k, err = store.CurrentKey(ctx)
		}
	}
	if err != nil {
		return fmt.Errorf("seedscale: signing key: %w", err)
	}
	s.key = k.ID
	return nil
}

// eventsAndParticipation: closed events of two two-hour sessions, each
// with 1% of the learners registered; three in four attended both
// sessions (or one, for a quarter of them) and got a participation
// certificate for their hours.
func (s *seeder) eventsAndParticipation(ctx context.Context) error {
	o := s.o
	var err error
	if s.events, err = s.reserve(ctx, "events", o.Events); err != nil {
		return err
	}
	err = s.step(ctx, "events", `INSERT INTO events (id, title, summary, language, kind, time_zone, registration,
			min_attendance_percent, status, created_by, published_at, closed_at, closed_by, certificates_issued)
		SELECT ? + g, (ARRAY['Seminario de pensiones ','Seminário de previdência ','Pensions seminar '])[1 + g % 3] || (g + 1), '',
			(ARRAY['es','pt','en'])[1 + g % 3], 'seminar', 'America/Montevideo', 'open', 50, 'closed', ?,
			now() - make_interval(days => 40 + g * 15), now() - make_interval(days => 10 + g * 15), ?, 0
		FROM generate_series(0, ? - 1) AS g`, s.events, s.admin, s.admin, o.Events)
	if err != nil {
		return err
	}
	err = s.step(ctx, "event_sessions", `INSERT INTO event_sessions (event_id, title, starts_at, ends_at, checkin_secret)
		SELECT ? + g, 'Sesión ' || k, now() - make_interval(days => 14 + g * 15 - k), now() - make_interval(days => 14 + g * 15 - k) + interval '2 hours',
			sha256(convert_to(? || g || '-' || k, 'UTF8'))
		FROM generate_series(0, ? - 1) AS g, generate_series(1, 2) AS k`, s.events, s.tag, o.Events)
	if err != nil {
		return err
	}
	per := max(o.Learners/100, 1)
	err = s.step(ctx, "event_registrations", `INSERT INTO event_registrations (event_id, user_id, status, created_at)
		SELECT ? + g, ? + (g * 7919 + r * 101) % ?, 'registered', now() - make_interval(days => 45 + g * 15)
		FROM generate_series(0, ? - 1) AS g, generate_series(0, ? - 1) AS r
		ON CONFLICT DO NOTHING`, s.events, s.users, o.Learners, o.Events, per)
	if err != nil {
		return err
	}
	err = s.step(ctx, "event_attendance", `INSERT INTO event_attendance (session_id, user_id, status, minutes, source, marked_by)
		SELECT es.id, r.user_id, 'present', 120, 'manual', ?
		FROM event_registrations AS r JOIN event_sessions AS es ON es.event_id = r.event_id
		WHERE r.event_id BETWEEN ? AND ? + ? - 1 AND (hashint8(r.id) & 2147483647) % 4 <> 0
			AND (es.title = 'Sesión 1' OR (hashint8(r.id) & 2147483647) % 4 <> 1)`, s.admin, s.events, s.events, o.Events)
	if err != nil {
		return err
	}
	err = s.step(ctx, "certificates (participation)", `INSERT INTO certificates (code, user_id, event_id, holder_name, course_title,
			workload_hours, started_at, completed_at, issued_at, institution, issuer_name, language, template_version, signature, key_id)
		SELECT x.code, a.user_id, ev.id, u.name, ev.title, round(a.minutes / 60.0)::int, a.first, a.last, ev.closed_at,
			coalesce(i.name, ''), 'Red Aula de Seguridad Social', ev.language, 1, `+fmt.Sprintf(fakeSignature, "x.code")+`, ?
		FROM (SELECT es.event_id, ea.user_id, sum(ea.minutes) AS minutes, min(es.starts_at) AS first, max(es.ends_at) AS last
			FROM event_attendance AS ea JOIN event_sessions AS es ON es.id = ea.session_id
			WHERE es.event_id BETWEEN ? AND ? + ? - 1 GROUP BY 1, 2) AS a
		JOIN events AS ev ON ev.id = a.event_id
		JOIN users AS u ON u.id = a.user_id
		LEFT JOIN institutions AS i ON i.id = u.institution_id
		CROSS JOIN LATERAL `+fmt.Sprintf(certCode, "1000000000 + a.event_id * 1048576 + a.user_id")+` AS x(code)`,
		s.key, s.events, s.events, o.Events)
	if err != nil {
		return err
	}
	_, err = s.tx.ExecContext(ctx, `UPDATE events AS ev SET certificates_issued = (SELECT count(*) FROM certificates AS c WHERE c.event_id = ev.id)
		WHERE ev.id BETWEEN ? AND ? + ? - 1`, s.events, s.events, o.Events)
	if err != nil {
		return fmt.Errorf("seedscale: events: %w", err)
	}
	return nil
}

// library: items of every type in pt, es and en (a fifth in two
// languages), with abstracts whose words come in singular and plural so
// stemming matters, countries, themes and years; then their search
// vectors, search rows and the facet counts, which triggers would have
// kept.
func (s *seeder) library(ctx context.Context) error {
	o := s.o
	first, err := s.reserve(ctx, "library_items", o.Items)
	if err != nil {
		return err
	}
	cc, _ := countryArrays()
	err = s.step(ctx, "library_items", `INSERT INTO library_items (id, type, status, title, abstract, language, languages,
			countries, themes, year, authors, institution_id, created_by, published_at, created_at, updated_at)
		SELECT ? + g, (ARRAY['publication','experience','legislation','report','presentation','dataset','link'])[1 + g % 7], 'published',
			(ARRAY['Aposentadorias e pensões no regime geral ', 'Pensiones no contributivas y protección social ', 'Pension reform and social insurance '])[1 + g % 3] || (g + 1),
			(ARRAY['As pensões por invalidez e a aposentadoria rural: experiências de proteção social das instituições previdenciárias.',
				'Las pensiones de vejez y la jubilación anticipada: experiencias de cotización en las cajas de seguridad social.',
				'Pensions, disability benefits and contributions: how social insurance institutions protect workers.'])[1 + g % 3],
			(ARRAY['pt','es','en'])[1 + g % 3],
			CASE WHEN g % 5 = 0 THEN ARRAY[(ARRAY['pt','es','en'])[1 + g % 3], (ARRAY['es','en','pt'])[1 + g % 3]] ELSE ARRAY[(ARRAY['pt','es','en'])[1 + g % 3]] END,
			ARRAY[(`+cc+`)[1 + g % 20]],
			ARRAY[t.ids[1 + g % cardinality(t.ids)]], 2000 + g % 27,
			ARRAY[`+sqlArray(firstNames)+`[1 + g % 32] || ' ' || `+sqlArray(lastNames)+`[1 + (g / 32) % 32]],
			? + g % ?, ?, now() - make_interval(days => g % 700), now() - interval '720 days', now() - make_interval(days => g % 700)
		FROM generate_series(0, ? - 1) AS g, (SELECT array_agg(id ORDER BY position) AS ids FROM library_themes) AS t`,
		first, s.institutions, o.Institutions, s.admin, o.Items)
	if err != nil {
		return err
	}
	err = s.step(ctx, "library_items (search)", `UPDATE library_items SET search = library_item_search(id) WHERE id BETWEEN ? AND ? + ? - 1`,
		first, first, o.Items)
	if err != nil {
		return err
	}
	// library_search and the facet counts, which triggers keep (off
	// here): counted from every published item, the search rows written
	// newest first.
	if err := s.rebuild(ctx, "library_search", "library_search_rebuild"); err != nil {
		return err
	}
	return s.rebuild(ctx, "library_facet_counts", "library_facet_counts_rebuild")
}

// countryArrays returns the countries' codes and their people's
// languages as SQL arrays.
func countryArrays() (codes, langs string) {
	var c, l []string
	for _, x := range countries {
		c, l = append(c, x[0]), append(l, x[1])
	}
	return sqlArray(c), sqlArray(l)
}

// sqlArray writes list as an SQL array literal (constants of this file,
// quoted as SQL strings).
func sqlArray(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "(ARRAY[" + strings.Join(q, ",") + "])"
}
