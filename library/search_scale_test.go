package library_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

var planTimes = regexp.MustCompile(`(?m)^(Planning|Execution) Time: ([0-9.]+) ms`)

// BenchmarkSearchScale measures the searches of the performance
// benchmark (scripts/bench/scale.go) on a database `aula seed scale`
// filled, named by AULA_LIBRARY_SCALE_DSN (skipped without it; the
// database is only read): p50 and p99 of each search as the service runs
// it (after the first, from the search kept), and the planning +
// execution time of each statement of the search run whole under
// EXPLAIN (ANALYZE, BUFFERS), whose plans -v logs.
//
//	AULA_LIBRARY_SCALE_DSN=postgres://…/aula_scale go test -run '^$' -bench SearchScale -benchtime 50x -v ./library/
func BenchmarkSearchScale(b *testing.B) {
	dsn := os.Getenv("AULA_LIBRARY_SCALE_DSN")
	if dsn == "" {
		b.Skip("AULA_LIBRARY_SCALE_DSN names no database seeded by aula seed scale")
	}
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn))), pgdialect.New())
	b.Cleanup(func() { db.Close() })
	capt := &testdb.QueryLog{}
	db.AddQueryHook(capt)
	blobs, err := courses.NewDirStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	var theme string
	ctx := context.Background()
	if err := db.NewRaw(`SELECT slug FROM library_themes ORDER BY position LIMIT 1`).Scan(ctx, &theme); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		q    library.Query
	}{
		{"browse", library.Query{}},
		{"words proteção social", library.Query{Text: "proteção social"}},
		{"words proteção social pt", library.Query{Text: "proteção social", PortugueseFirst: true}},
		// The bench's "a new search each time": year bounds no one asked.
		{"words proteção social years", library.Query{Text: "proteção social", YearFrom: 1985, YearTo: 2012}},
		{"facets country BR + theme", library.Query{Countries: []string{"BR"}, Themes: []string{theme}}},
		{"country MZ", library.Query{Countries: []string{"MZ"}, Sort: library.SortDate, PortugueseFirst: true, Limit: 20}},
		{"words pensões", library.Query{Text: "pensões", PortugueseFirst: true}},
		{"prefix prot", library.Query{Text: "prot"}},
		{"rare word", library.Query{Text: "Conceição Magalhães"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			var res *library.Results
			for b.Loop() {
				start := time.Now()
				if res, err = svc.Library.Search(ctx, c.q); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(res.Total), "total")
			// Once more, run whole (not from the kept search, which
			// reads the page's items by id), its statements captured,
			// then explained.
			capt.Reset()
			restore := library.KeepNoSearches(svc.Library)
			if _, err := svc.Library.Search(ctx, c.q); err != nil {
				b.Fatal(err)
			}
			restore()
			sqls := capt.Queries()
			var sum float64
			// Each statement explained 5 times, the fastest kept: the
			// machine is shared, and a slower run measures the others.
			for _, q := range sqls {
				best, plan := 0.0, ""
				for range 5 {
					var lines []string
					if err := db.NewRaw("EXPLAIN (ANALYZE, BUFFERS) "+q).Scan(ctx, &lines); err != nil {
						b.Fatalf("explain %s: %v", q, err)
					}
					ms := 0.0
					for _, m := range planTimes.FindAllStringSubmatch(strings.Join(lines, "\n"), -1) {
						f, _ := strconv.ParseFloat(m[2], 64)
						ms += f
					}
					if plan == "" || ms < best {
						best, plan = ms, strings.Join(lines, "\n")
					}
				}
				sum += best
				b.Logf("%.2f ms (planning + execution, fastest of 5): %s\n%s", best, q, plan)
			}
			b.ReportMetric(sum, "explain-ms")
			b.ReportMetric(float64(len(sqls)), "statements")
		})
	}
}
