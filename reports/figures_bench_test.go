package reports_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// benchReports opens the seeded scale database AULA_BENCH_REPORTS_DB
// (e.g. a copy of aula_bench_scale: 100,000 learners, 340,000
// enrolments) as it is, without migrating or seeding it, and returns
// its services, an admin and the institution with the most people.
func benchReports(b *testing.B) (*wiring.Services, courses.Actor, int64) {
	b.Helper()
	name := os.Getenv("AULA_BENCH_REPORTS_DB")
	if name == "" {
		b.Skip("AULA_BENCH_REPORTS_DB names no scale database")
	}
	server := os.Getenv("AULA_TEST_DATABASE_URL")
	if server == "" {
		server = testdb.DefaultURL
	}
	u, err := url.Parse(server)
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/" + name
	db := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(u.String()))), pgdialect.New())
	b.Cleanup(func() { db.Close() })
	blobs, err := courses.NewDirStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test"})
	if err != nil {
		b.Fatal(err)
	}
	var inst int64
	if err := db.NewRaw(`SELECT institution_id FROM users WHERE institution_id IS NOT NULL
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(context.Background(), &inst); err != nil {
		b.Fatal(err)
	}
	return svc, courses.ActorFor(&accounts.User{ID: 1, Role: accounts.RoleAdmin}), inst
}

// BenchmarkFigures: the institution report, the network report and the
// admin dashboard on the scale database (docs/reports.md gives numbers).
//
//	AULA_BENCH_REPORTS_DB=aula_bench_rollup go test -run '^$' -bench Figures -benchtime 20x ./reports/
func BenchmarkFigures(b *testing.B) {
	svc, admin, inst := benchReports(b)
	ctx := context.Background()
	b.Run("institution", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Reports.Institution(ctx, admin, inst, 2026); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("network", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Reports.Network(ctx, admin, 2026); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dashboard", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Reports.Dashboard(ctx, admin); err != nil {
				b.Fatal(err)
			}
		}
	})
}
