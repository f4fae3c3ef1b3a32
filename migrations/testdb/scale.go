package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/migrations"
)

// Benchmarks at the scale of issue 11 (100,000 learners, 500 courses,
// 1,000,000 attempts) need a database that takes minutes to fill, so it is
// kept between runs: aula_bench_<name>, never a test's name, never dropped
// by Main, migrated forward on every open.

// Scale is what OpenScale seeds.
const (
	ScaleLearners     = 100_000
	ScaleCourses      = 500
	ScaleInstitutions = 20
	// ScaleBigCourse is the id of the course with ScaleBigEnrolments
	// learners, one attempt each at its quiz (ScaleBigQuiz): the course
	// roster and quiz results the benchmarks read. The other courses share
	// the remaining attempts, about 950,000.
	ScaleBigCourse     = 1
	ScaleBigQuiz       = 1
	ScaleBigEnrolments = 50_000
	// ScaleCertificates are issued to the first learners, one each, for
	// courses other than the big one.
	ScaleCertificates = 100_000
)

// OpenBench returns a connection to the database aula_bench_<name>,
// created and migrated if needed and kept after the run.
func OpenBench(tb testing.TB, name string) *bun.DB {
	tb.Helper()
	ctx := context.Background()
	database := "aula_bench_" + unsafeChars.ReplaceAllString(name, "_")
	admin, err := openAdmin(ctx)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, database).Scan(&exists); err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	if !exists {
		if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %q TEMPLATE template0 ENCODING 'UTF8'`, database)); err != nil {
			tb.Fatalf("testdb: create %s: %v", database, err)
		}
	}
	dsn, err := databaseURL(serverURL(), database)
	if err != nil {
		tb.Fatalf("testdb: %v", err)
	}
	// Seeding statements run for minutes: no read timeout. JIT off, as
	// postgres.Open has it.
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithReadTimeout(0),
		pgdriver.WithConnParams(map[string]any{"jit": "off"}))), pgdialect.New())
	if _, err := migrations.Up(ctx, db); err != nil {
		db.Close()
		tb.Fatalf("testdb: migrate %s: %v", database, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// scaleName is the database's name after aula_bench_: its own, since
// other seeders (aula seed scale) keep databases of their own.
const scaleName = "scalequeries"

// OpenScale returns aula_bench_scalequeries, seeded once at the scale above by
// set-based SQL (INSERT … SELECT generate_series), which takes a few
// minutes; later runs find it seeded and reuse it. An advisory lock keeps
// two benchmark binaries from seeding it at once.
func OpenScale(tb testing.TB) *bun.DB {
	tb.Helper()
	db := OpenBench(tb, scaleName)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(1100011)`); err != nil {
		tb.Fatal(err)
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(1100011)`) //nolint:errcheck // the session ends anyway
	var seeded bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'bench_scale_seeded')`).Scan(&seeded); err != nil {
		tb.Fatal(err)
	}
	if seeded {
		return db
	}
	// The seed names rows by id (course 1, users 1…50,000), and a run
	// stopped midway leaves sequences moved on: start from a clean table
	// set every time. One transaction, marker included.
	if _, err := conn.ExecContext(ctx, scaleReset); err != nil {
		tb.Fatalf("testdb: reset aula_bench_%s: %v", scaleName, err)
	}
	start := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	for i, step := range scaleSeed {
		t := time.Now()
		if _, err := tx.ExecContext(ctx, step); err != nil {
			tb.Fatalf("testdb: seed step %d: %v", i+1, err)
		}
		tb.Logf("seed step %d/%d: %s", i+1, len(scaleSeed), time.Since(t).Round(time.Millisecond))
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	// Statistics and the visibility map, as autovacuum would leave them.
	if _, err := conn.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("seeded aula_bench_%s in %s", scaleName, time.Since(start).Round(time.Second))
	return db
}

// scaleReset empties every table the seed fills and restarts their ids.
const scaleReset = `TRUNCATE institutions, users, courses, modules, quizzes, questions, enrolments,
	module_completions, attempts, quiz_answer_counts, signing_keys, certificates RESTART IDENTITY CASCADE`

// scaleSeed fills the scale database. Names carry the accents of the
// network's languages; every learner answers the quizzes with one of a few
// answer sets (answered right, wrong, partly, or not at all).
var scaleSeed = []string{
	fmt.Sprintf(`INSERT INTO institutions (name, acronym, country)
		SELECT 'Instituto de Previdência ' || n, 'INST' || n, (ARRAY['BR','PT','ES','AR','MX'])[1 + n %% 5]
		FROM generate_series(1, %d) n`, ScaleInstitutions),
	fmt.Sprintf(`INSERT INTO users (email, name, role, institution_id, locale)
		SELECT 'learner' || n || '@bench.aula.test',
			(ARRAY['João','María','José','Conceição','Inês','Peña','Ana','Luís','Sofía','Antônio'])[1 + n %% 10] || ' ' ||
			(ARRAY['Conceição','Peña','Gonçalves','Muñoz','Araújo','Núñez','Simões','Ibáñez','Brandão','Fernández','Lopes'])[1 + (n / 10) %% 11] ||
			' ' || n,
			'learner', CASE WHEN n %% 20 = 0 THEN NULL ELSE 1 + n %% %d END, (ARRAY['es','pt-BR','pt-PT','en'])[1 + n %% 4]
		FROM generate_series(1, %d) n`, ScaleInstitutions, ScaleLearners),
	fmt.Sprintf(`INSERT INTO courses (slug, title, language, workload_hours, status, published_at)
		SELECT 'curso-' || n, 'Previdência Social ' || n, 'pt', 4, 'published', now()
		FROM generate_series(1, %d) n`, ScaleCourses),
	`INSERT INTO modules (course_id, position, title)
		SELECT c.id, p, 'Módulo ' || p FROM courses c, generate_series(1, 5) p`,
	`INSERT INTO quizzes (course_id, title, pass_percent, required)
		SELECT id, 'Avaliação final', 60, true FROM courses ORDER BY id`,
	// Ten questions each, two of every kind.
	`INSERT INTO questions (quiz_id, position, kind, prompt, points, options, answer, accepted)
		SELECT q.id, p, k.kind, 'Pergunta ' || p, 1 + p % 2,
			CASE WHEN k.kind IN ('single', 'multiple') THEN
				'[{"text": "Opção A", "correct": true}, {"text": "Opção B", "correct": false},
				  {"text": "Opção C", "correct": true}, {"text": "Opção D", "correct": false}]'::jsonb ELSE '[]' END,
			CASE k.kind WHEN 'true_false' THEN 'true'::jsonb WHEN 'numeric' THEN '62'::jsonb END,
			CASE WHEN k.kind = 'short_text' THEN '["Previdência"]'::jsonb ELSE '[]' END
		FROM quizzes q, generate_series(1, 10) p,
			LATERAL (SELECT (ARRAY['single','multiple','true_false','short_text','numeric'])[1 + (p - 1) % 5] AS kind) k`,
	fmt.Sprintf(`INSERT INTO enrolments (course_id, user_id, enrolled_at)
		SELECT %d, n, now() - n * interval '1 minute' FROM generate_series(1, %d) n`, ScaleBigCourse, ScaleBigEnrolments),
	fmt.Sprintf(`INSERT INTO enrolments (course_id, user_id, enrolled_at)
		SELECT 2 + (u * 7 + k * 131) %% %d, u, now() - u * interval '1 minute'
		FROM generate_series(1, %d) u, generate_series(0, 3) k`, ScaleCourses-1, ScaleLearners),
	`INSERT INTO module_completions (enrolment_id, module_id)
		SELECT e.id, m.id FROM enrolments e JOIN modules m ON m.course_id = e.course_id AND m.position <= e.id % 6
		WHERE e.course_id = 1 -- the roster the benchmarks read`,
	// Eight answer sets per quiz: layout, answers, scores and result.
	`CREATE TEMP TABLE answer_sets AS
		SELECT q.id AS quiz_id, s.set,
			jsonb_agg(jsonb_build_object('id', qn.id) ORDER BY qn.position) AS layout,
			coalesce(jsonb_object_agg(qn.id::text, CASE qn.kind
				WHEN 'single' THEN to_jsonb((s.set + qn.position) % 4)
				WHEN 'multiple' THEN CASE WHEN s.set % 3 = 0 THEN '[0, 2]'::jsonb WHEN s.set % 3 = 1 THEN '[1]' ELSE '[]' END
				WHEN 'true_false' THEN to_jsonb(s.set % 2 = 0)
				WHEN 'short_text' THEN to_jsonb(CASE WHEN s.set % 2 = 0 THEN 'previdencia' ELSE 'INSS' END)
				ELSE to_jsonb(60 + s.set) END) FILTER (WHERE (s.set + qn.position) % 7 <> 0), '{}') AS answers,
			jsonb_object_agg(qn.id::text, CASE WHEN (s.set + qn.position) % 3 = 0 THEN 0 ELSE qn.points END) AS scores,
			sum(CASE WHEN (s.set + qn.position) % 3 = 0 THEN 0 ELSE qn.points END) AS score,
			sum(qn.points) AS max_score
		FROM quizzes q JOIN questions qn ON qn.quiz_id = q.id, generate_series(0, 7) s(set)
		GROUP BY q.id, s.set`,
	`CREATE INDEX ON answer_sets (quiz_id, set)`,
	`ALTER TABLE attempts DISABLE TRIGGER assessment_count_attempts_insert`,
	// One attempt per enrolment in the big course; two or three elsewhere.
	fmt.Sprintf(`INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, submitted_at,
			score, max_score, percent, passed, layout, answers, scores)
		SELECT q.id, e.id, e.user_id, n, e.enrolled_at + n * interval '1 hour',
			CASE WHEN (e.id + n) %% 50 = 0 THEN NULL ELSE e.enrolled_at + n * interval '1 hour' + interval '9 minutes' END,
			CASE WHEN (e.id + n) %% 50 = 0 THEN 0 ELSE s.score END, s.max_score,
			CASE WHEN (e.id + n) %% 50 = 0 THEN 0 ELSE round(s.score * 100.0 / s.max_score, 2) END,
			(e.id + n) %% 50 <> 0 AND s.score * 100 >= s.max_score * 60,
			s.layout, s.answers, s.scores
		FROM enrolments e JOIN quizzes q ON q.course_id = e.course_id
			CROSS JOIN LATERAL generate_series(1, CASE WHEN e.course_id = %d THEN 1 WHEN e.id %% 8 < 3 THEN 3 ELSE 2 END) n
			JOIN answer_sets s ON s.quiz_id = q.id AND s.set = (e.id * 3 + n) %% 8`, ScaleBigCourse),
	// The counts the insert trigger would keep, written once after.
	`SELECT quiz_answer_counts_rebuild()`,
	`ALTER TABLE attempts ENABLE TRIGGER assessment_count_attempts_insert`,
	// The roster's and the results' counts, which the triggers keep per
	// row, recounted once.
	`SELECT list_counts_rebuild()`,
	`INSERT INTO signing_keys (public, private) VALUES ('bench-public', 'bench-private')`,
	// Codes spell the number in the code alphabet, so they are unique.
	fmt.Sprintf(`INSERT INTO certificates (code, user_id, course_id, enrolment_id, holder_name, course_title,
			workload_hours, completed_at, issued_at, institution, issuer_name, language, template_version, signature, key_id)
		SELECT 'AULA-' || substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 2),
			e.user_id, e.course_id, e.id, u.name, 'Previdência Social ' || e.course_id, 4, now(), now(),
			'Instituto de Previdência', 'Rede Aula', 'pt', 1, 'bench', 1
		FROM (SELECT DISTINCT ON (user_id) id, user_id, course_id FROM enrolments
			WHERE course_id <> %d AND user_id <= %d ORDER BY user_id, id) e
		JOIN users u ON u.id = e.user_id,
		LATERAL (SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + (floor(e.id / 30::numeric ^ i)::bigint %% 30)::int, 1), '' ORDER BY i) AS c
			FROM generate_series(0, 9) i) code`, ScaleBigCourse, ScaleCertificates),
	`CREATE TABLE bench_scale_seeded (at timestamptz NOT NULL DEFAULT now())`,
}

// Measure runs view as the benchmark's loop and reports, besides the
// mean, the median and the 99th percentile of the iterations (p50-ms,
// p99-ms) and the process's peak resident memory so far (peak-rss-MB:
// run one sub-benchmark per process to compare it).
func Measure(b *testing.B, view func() error) {
	b.Helper()
	b.ReportAllocs()
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := view(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.SplitSeq(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
				b.ReportMetric(float64(kb)/1024, "peak-rss-MB")
			}
		}
	}
}
