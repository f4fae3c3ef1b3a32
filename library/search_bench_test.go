package library_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// benchItems is how many published items the search benchmarks run over.
const benchItems = 100_000

// benchBatch is how many items one seeding statement writes.
const benchBatch = 1_000

var benchSeed sync.Once

// benchLibrary is the library of a database seeded once with benchItems
// items in Portuguese, Spanish and English. The rows are written by one
// INSERT … SELECT (the service would take minutes for 100,000), with the
// search vector the store computes, from the same SQL function.
func benchLibrary(b *testing.B) *library.Service {
	b.Helper()
	db := testdb.Open(b, "library_bench")
	benchSeed.Do(func() {
		start := time.Now()
		ctx := context.Background()
		// In batches: the test connection's read timeout is a few seconds.
		for from := 1; from <= benchItems; from += benchBatch {
			_, err := db.ExecContext(ctx, `
			WITH words AS (SELECT
				ARRAY['Proteção social', 'Extensão da cobertura', 'Pensões não contributivas', 'Segurança social',
				      'Economia informal', 'Proteções sociais', 'Contribuições', 'Cuidados às pessoas idosas'] AS pt,
				ARRAY['Protección social', 'Extensión de la cobertura', 'Pensiones no contributivas', 'Seguridad social',
				      'Economía informal', 'Prestaciones familiares'] AS es,
				ARRAY['Social protection', 'Coverage extension', 'Social pensions', 'Social security', 'Informal economy',
				      'Unemployment insurance'] AS en,
				ARRAY['BR','PT','AO','MZ','CV','GW','ST','TL','ES','MX','PE','CO','AR','CL','UY','PY','BO','EC','GB','US'] AS countries)
			INSERT INTO library_items (type, status, title, abstract, language, languages, countries, themes, year,
				authors, published_at, created_at, updated_at)
			SELECT (ARRAY['publication','experience','legislation','report','presentation','dataset','link'])[1 + n % 7],
				'published',
				CASE lang WHEN 'pt' THEN pt[1 + n % 8] WHEN 'es' THEN es[1 + n % 6] ELSE en[1 + n % 6] END || ' ' || n,
				CASE lang WHEN 'pt' THEN 'Estudo sobre ' || lower(pt[1 + (n / 7) % 8]) || ' e o regime de ' || lower(pt[1 + (n / 3) % 8])
				          WHEN 'es' THEN 'Estudio sobre ' || lower(es[1 + (n / 7) % 6]) || ' y ' || lower(es[1 + (n / 3) % 6])
				          ELSE 'A study of ' || lower(en[1 + (n / 7) % 6]) || ' and ' || lower(en[1 + (n / 3) % 6]) END,
				lang, ARRAY[lang],
				ARRAY[countries[1 + n % 20]] || CASE WHEN n % 5 = 0 THEN ARRAY[countries[1 + (n / 5) % 20]] ELSE '{}' END,
				ARRAY[1 + n % 10, 1 + (n / 10) % 10]::bigint[],
				1990 + n % 36, ARRAY['Autor ' || (n % 997)],
				now() - n * interval '1 minute', now(), now()
			FROM words, generate_series(?, ?) n,
				LATERAL (SELECT CASE WHEN n % 10 < 5 THEN 'pt' WHEN n % 10 < 8 THEN 'es' ELSE 'en' END AS lang) l`, from, from+benchBatch-1)
			if err != nil {
				b.Fatal(err)
			}
		}
		for from := 0; from <= benchItems; from += benchBatch {
			if _, err := db.ExecContext(ctx, `UPDATE library_items SET search = library_item_search(id) WHERE id BETWEEN ? AND ?`,
				from, from+benchBatch-1); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `VACUUM ANALYZE library_items`); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d items in %s", benchItems, time.Since(start).Round(time.Second))
	})
	blobs, err := courses.NewDirStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return svc.Library
}

// BenchmarkSearch is one search with its facets over 100,000 items, as
// GET /library asks it; p99-ms is the 99th percentile of the iterations.
func BenchmarkSearch(b *testing.B) {
	lib := benchLibrary(b)
	for _, c := range []struct {
		name string
		q    library.Query
	}{
		{"browse", library.Query{PortugueseFirst: true}},
		{"words", library.Query{Text: "proteções sociais", PortugueseFirst: true}},
		{"common word", library.Query{Text: "social"}},
		{"country and theme", library.Query{Countries: []string{"MZ"}, Themes: []string{"pensions"}, PortugueseFirst: true}},
		{"words and facets", library.Query{Text: "pensão", Languages: []string{"pt"}, YearFrom: 2000, YearTo: 2020, Sort: library.SortDate}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			var took []time.Duration
			total := 0
			for b.Loop() {
				start := time.Now()
				res, err := lib.Search(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				total = res.Total
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total), "matches")
		})
	}
}
