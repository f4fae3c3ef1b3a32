package assessment_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

// BenchmarkQuizResults reads the results of a quiz with 50,000 attempts in
// a database of 1,000,000 (testdb.OpenScale, seeded once and kept):
// one page of attempts with the statistics, as the results page asks.
// "decoded" is the way before (every attempt's answers decoded in Go);
// "10 at once" is ten views at the same time, as ten connections would.
// p99-ms is the 99th percentile of the iterations, peak-rss-MB the
// process's high-water mark (run one sub-benchmark per process to compare
// it).
func BenchmarkQuizResults(b *testing.B) {
	db := testdb.OpenScale(b)
	crs := courses.NewService(db, courses.Options{})
	svc := assessment.NewService(db, crs, assessment.Options{})
	admin := courses.Actor{UserID: 1, Role: accounts.RoleAdmin}
	ctx := context.Background()
	page := assessment.ResultsFilter{Limit: 20}
	// The cursor 40,000 attempts deep, as the next link of page 2,000 says.
	deep := new(assessment.ResultsCursor)
	if err := db.NewSelect().TableExpr("attempts").ColumnExpr("started_at, id AS attempt_id").Where("quiz_id = ?", testdb.ScaleBigQuiz).
		OrderExpr("started_at DESC, id DESC").Offset(40_000).Limit(1).Scan(ctx, deep); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		view func() error
	}{
		{"first page", func() error { _, err := svc.Results(ctx, admin, testdb.ScaleBigQuiz, page); return err }},
		{"institution", func() error {
			_, err := svc.Results(ctx, admin, testdb.ScaleBigQuiz, assessment.ResultsFilter{InstitutionID: 3, Limit: 20})
			return err
		}},
		{"failed", func() error {
			_, err := svc.Results(ctx, admin, testdb.ScaleBigQuiz, assessment.ResultsFilter{Passed: boolPtr(false), Limit: 20})
			return err
		}},
		{"deep page by offset", func() error {
			_, err := svc.Results(ctx, admin, testdb.ScaleBigQuiz, assessment.ResultsFilter{Limit: 20, Offset: 40_000})
			return err
		}},
		{"deep page by cursor", func() error {
			_, err := svc.Results(ctx, admin, testdb.ScaleBigQuiz, assessment.ResultsFilter{Limit: 20, After: deep})
			return err
		}},
		{"10 at once", func() error {
			var wg sync.WaitGroup
			errs := make([]error, 10)
			for i := range errs {
				wg.Go(func() { _, errs[i] = svc.Results(ctx, admin, testdb.ScaleBigQuiz, page) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"decoded", func() error { _, err := svc.DecodedQuestionStats(ctx, testdb.ScaleBigQuiz, page); return err }},
		{"csv", func() error {
			x, err := svc.ExportResults(ctx, admin, testdb.ScaleBigQuiz, assessment.ResultsFilter{})
			if err != nil {
				return err
			}
			return x.WriteCSV(ctx, io.Discard, benchCSV)
		}},
	} {
		b.Run(c.name, func(b *testing.B) { testdb.Measure(b, c.view) })
	}
}

var benchCSV = assessment.CSVFormat{Header: strings.Fields("a b c d e f g h i j k"), Yes: "sim", No: "não", Open: "aberta"}
