package courses_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
)

// BenchmarkRoster reads a page of 20 of the roster of a course with 50,000
// learners (testdb.OpenScale, seeded once and kept), with progress, as the
// roster page asks: the first page, 40,000 learners deep by offset (the
// way before) and by the cursor the next links carry, and one
// institution's learners.
func BenchmarkRoster(b *testing.B) {
	db := testdb.OpenScale(b)
	svc := courses.NewService(db, courses.Options{})
	admin := courses.Actor{UserID: 1, Role: accounts.RoleAdmin}
	ctx := context.Background()
	deep := new(courses.RosterCursor)
	if err := db.NewRaw(`SELECT u.name, u.id AS user_id FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE e.course_id = ? ORDER BY u.name, u.id OFFSET 40000 LIMIT 1`, testdb.ScaleBigCourse).Scan(ctx, deep); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    courses.RosterFilter
	}{
		{"first page", courses.RosterFilter{Limit: 20}},
		{"deep page by offset", courses.RosterFilter{Limit: 20, Offset: 40_000}},
		{"deep page by cursor", courses.RosterFilter{Limit: 20, After: deep}},
		{"institution", courses.RosterFilter{Limit: 20, InstitutionID: 3}},
	} {
		b.Run(c.name, func(b *testing.B) {
			testdb.Measure(b, func() error {
				_, err := svc.Roster(ctx, admin, testdb.ScaleBigCourse, c.f)
				return err
			})
		})
	}
}
