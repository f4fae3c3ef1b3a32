package courses_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

// fillerCourses is how many unrelated published courses the catalogue
// database holds, so plans and timings are those of a real catalogue
// rather than of a table PostgreSQL would read whole.
const fillerCourses = 3000

var (
	fillMu sync.Mutex
	filled = map[string]bool{}
)

// catalog returns an authoring on a database of the calling test's own
// (search counts must not see other tests' courses, whatever order the
// tests run in) holding fillerCourses published courses on subjects no
// test searches for.
func catalog(tb testing.TB) *authoring {
	tb.Helper()
	name := "catalog_" + tb.Name()
	a := newAuthoringOn(tb, name)
	fillMu.Lock()
	defer fillMu.Unlock()
	if !filled[name] {
		filled[name] = true
		ctx := context.Background()
		_, err := a.db.ExecContext(ctx, `
			INSERT INTO courses (slug, title, summary, language, workload_hours, status, published_at)
			SELECT 'relleno-' || i,
			       (ARRAY['Gestión pública', 'Finanzas públicas', 'Salud ocupacional', 'Atención al público',
			              'Auditoría interna', 'Análisis de datos', 'Liderazgo de equipos', 'Comunicação institucional'])[1 + i % 8] || ' ' || i,
			       'Curso práctico número ' || i || ' con ejercicios y lecturas: ' || md5(i::text),
			       (ARRAY['es', 'pt', 'en'])[1 + i % 3], 1 + i % 40, 'published', now() - i * interval '1 hour'
			FROM generate_series(1, ?) AS i`, fillerCourses)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := a.db.ExecContext(ctx, "ANALYZE courses"); err != nil {
			tb.Fatal(err)
		}
	}
	return a
}

// publishedWith creates a published course with the given fields.
func (a *authoring) publishedWith(actor courses.Actor, title, summary, lang string) *courses.Course {
	a.t.Helper()
	ctx := context.Background()
	c, err := a.svc.CreateCourse(ctx, actor, courses.CourseParams{Title: title, Summary: summary, Language: lang, WorkloadHours: 20})
	if err != nil {
		a.t.Fatal(err)
	}
	a.module(actor, c.ID, "Módulo 1")
	if c, err = a.svc.Publish(ctx, actor, c.ID); err != nil {
		a.t.Fatal(err)
	}
	return c
}

func TestCatalogSearch(t *testing.T) {
	a := catalog(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	intro := a.publishedWith(teacher, "Introducción a la Seguridad Social", "Conceptos básicos: cotizaciones, prestaciones y financiamiento.", "es")
	ext := a.publishedWith(teacher, "Extensão da proteção social", "Como levar a proteção social aos trabalhadores informais e rurais.", "pt")
	floors := a.publishedWith(teacher, "Social protection floors", "Nationally defined guarantees under ILO Recommendation No. 202.", "en")
	mat := a.publishedWith(teacher, "La protección de la maternidad", "Licencias, prestaciones monetarias y salud.", "es")
	draft := a.course(teacher, "Seguridad social: borrador")
	archived := a.publishedWith(teacher, "Seguridad social archivada", "", "es")
	if _, err := a.svc.Archive(ctx, teacher, archived.ID); err != nil {
		t.Fatal(err)
	}
	_ = draft

	tests := []struct {
		query, lang string
		want        []*courses.Course // in this order, and nothing else
	}{
		{"seguridad social", "", []*courses.Course{intro}},
		{"SEGURIDAD SOCIAL", "", []*courses.Course{intro}},
		{"introduccion", "", []*courses.Course{intro}},
		{"protecao", "", []*courses.Course{ext}},
		{"proteção social", "", []*courses.Course{ext}},
		{"PROTECCION", "", []*courses.Course{mat}},
		{"protección", "", []*courses.Course{mat}},
		{"PROTEÇÃO", "pt", []*courses.Course{ext}},
		{"protec", "es", []*courses.Course{mat}},                    // a prefix, within one language
		{"social", "en", []*courses.Course{floors}},                 // language filter
		{"seguridad", "pt", nil},                                    // the Spanish course is not Portuguese
		{"seguridad archivada", "", nil},                            // archived courses leave the catalogue
		{"borrador", "", nil},                                       // drafts never enter it
		{"informais", "", []*courses.Course{ext}},                   // summaries are searched too
		{"'seguridad' & ! | : * ( )", "", []*courses.Course{intro}}, // tsquery syntax is just text
	}
	for _, tc := range tests {
		t.Run(tc.query+"/"+tc.lang, func(t *testing.T) {
			got, total, err := a.svc.Catalog(ctx, courses.CatalogQuery{Query: tc.query, Language: tc.lang, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("%d results (total %d): %v; want %d", len(got), total, courseTitles(got), len(tc.want))
			}
			for i := range got {
				if got[i].ID != tc.want[i].ID {
					t.Errorf("result %d is %q, want %q", i, got[i].Title, tc.want[i].Title)
				}
			}
		})
	}
}

func TestCatalogRanking(t *testing.T) {
	a := catalog(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	n := authorSeq.Add(1)
	word := fmt.Sprintf("sobrevivencia%d", n)
	inSummary := a.publishedWith(teacher, "Pensiones contributivas", "Vejez, invalidez y "+word+".", "es")
	inTitle := a.publishedWith(teacher, "Invalidez y "+word, "Requisitos y cálculo.", "es")
	got, total, err := a.svc.Catalog(ctx, courses.CatalogQuery{Query: word, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	// The summary match was published later, but a title match ranks first.
	if total != 2 || got[0].ID != inTitle.ID || got[1].ID != inSummary.ID {
		t.Errorf("ranking %v, want the title match first", courseTitles(got))
	}
}

func TestCatalogListsNewestFirst(t *testing.T) {
	a := catalog(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	newest := a.publishedWith(teacher, "Curso más reciente", "", "pt")
	page, total, err := a.svc.Catalog(ctx, courses.CatalogQuery{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if total < fillerCourses || len(page) != 5 || page[0].ID != newest.ID {
		t.Fatalf("first page %v of %d; want %q first of at least %d", courseTitles(page), total, newest.Title, fillerCourses)
	}
	next, _, err := a.svc.Catalog(ctx, courses.CatalogQuery{Limit: 5, Offset: 5})
	if err != nil {
		t.Fatal(err)
	}
	if next[0].ID == page[4].ID || next[0].PublishedAt.After(*page[4].PublishedAt) {
		t.Errorf("second page starts with %q", next[0].Title)
	}
	pt, ptTotal, err := a.svc.Catalog(ctx, courses.CatalogQuery{Language: "pt", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range pt {
		if c.Language != "pt" {
			t.Fatalf("language filter let %q (%s) through", c.Title, c.Language)
		}
	}
	if ptTotal >= total {
		t.Errorf("pt total %d, all %d", ptTotal, total)
	}
}

// TestCatalogSearchUsesIndex shows the plan of the catalogue's search: on a
// catalogue of thousands of courses PostgreSQL answers it from the GIN
// index on the search column, not by reading every course.
func TestCatalogSearchUsesIndex(t *testing.T) {
	a := catalog(t)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	a.publishedWith(teacher, "Introducción a la Seguridad Social (índice)", "", "es")

	// The same service on its own connection pool, with a hook that
	// records the queries; the shared pool is left alone.
	hooked := bun.NewDB(a.db.DB, a.db.Dialect())
	rec := &testdb.QueryLog{}
	hooked.AddQueryHook(rec)
	svc := courses.NewService(hooked, courses.Options{})
	if _, _, err := svc.Catalog(ctx, courses.CatalogQuery{Query: "seguridad social", Language: "es", Limit: 20}); err != nil {
		t.Fatal(err)
	}
	queries := rec.Queries()
	if len(queries) != 2 {
		t.Fatalf("catalog ran %d queries, want a page and a count: %q", len(queries), queries)
	}

	for _, q := range queries {
		for _, seqscan := range []string{"on", "off"} {
			plan := explain(t, a.db, q, seqscan)
			if !strings.Contains(plan, "courses_search_idx") {
				t.Errorf("with enable_seqscan=%s the plan does not use courses_search_idx:\n%s\n%s", seqscan, q, plan)
			}
			if seqscan == "on" {
				t.Logf("EXPLAIN %s\n%s", q, plan)
			}
		}
	}
}

// explain returns the plan of query with enable_seqscan set as given.
func explain(t *testing.T, db *bun.DB, query, seqscan string) string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = "+seqscan); err != nil {
		t.Fatal(err)
	}
	var lines []string
	rows, err := tx.QueryContext(ctx, "EXPLAIN "+query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

func courseTitles(list []courses.Course) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Title
	}
	return out
}
