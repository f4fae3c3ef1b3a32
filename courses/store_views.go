package courses

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// The queries behind the pages learners load most. Each page's data is one
// statement: the course, the actor's standing in it, the outline and what
// they completed are read together instead of one round trip each, since
// round trips, not the work PostgreSQL does for these small rows, are
// what a page costs.

// selectColumns returns "alias.c AS prefix_c, …" for the stored columns of
// model (a pointer to a bun model), to read it embedded (bun:"embed:prefix")
// in a row of another model. It follows the model, so a column added to it
// is read here too.
func selectColumns(db bun.IDB, model any, alias, prefix string) bun.Safe {
	key := columnsKey{reflect.TypeOf(model), alias, prefix}
	if v, ok := columnsCache.Load(key); ok {
		return v.(bun.Safe)
	}
	table := db.Dialect().Tables().Get(key.typ.Elem())
	cols := make([]string, len(table.Fields))
	for i, f := range table.Fields {
		cols[i] = alias + "." + f.Name + " AS " + prefix + f.Name
	}
	sql := bun.Safe(strings.Join(cols, ", "))
	columnsCache.Store(key, sql)
	return sql
}

type columnsKey struct {
	typ           reflect.Type
	alias, prefix string
}

var columnsCache sync.Map

// learnerCourseRow is one line of "My courses" as its query reads it.
type learnerCourseRow struct {
	Enrolment `bun:",extend"`
	Course    Course `bun:"embed:c_"`
	Next      Module `bun:"embed:n_"`
}

// LearnerCourses returns a user's active and completed enrolments, newest
// first, each with its course, its progress counted by the progress
// columns, and the first live module not completed yet.
func (s *Store) LearnerCourses(ctx context.Context, userID int64, progress bun.Safe) ([]LearnerCourse, error) {
	var rows []learnerCourseRow
	err := s.db.NewSelect().Model(&rows).
		ColumnExpr("e.*").ColumnExpr("?", progress).
		ColumnExpr("?", selectColumns(s.db, (*Course)(nil), "c", "c_")).
		ColumnExpr("n.id AS n_id, n.course_id AS n_course_id, n.position AS n_position, n.title AS n_title, n.estimated_minutes AS n_estimated_minutes").
		Join("JOIN courses AS c ON c.id = e.course_id").
		Join(`LEFT JOIN LATERAL (SELECT m.id, m.course_id, m.position, m.title, m.estimated_minutes
			FROM modules AS m
			WHERE m.course_id = e.course_id AND m.archived_at IS NULL
			  AND NOT EXISTS (SELECT 1 FROM module_completions AS mc WHERE mc.enrolment_id = e.id AND mc.module_id = m.id)
			ORDER BY m.position LIMIT 1) AS n ON true`).
		Where("e.user_id = ? AND e.status IN (?, ?)", userID, EnrolmentActive, EnrolmentCompleted).
		OrderExpr("e.enrolled_at DESC, e.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: courses of learner %d: %w", userID, err)
	}
	out := make([]LearnerCourse, len(rows))
	for i := range rows {
		r := &rows[i]
		r.Enrolment.setProgress()
		out[i] = LearnerCourse{Enrolment: r.Enrolment, Course: r.Course}
		if r.Next.ID != 0 {
			next := r.Next
			out[i].Next = &next
		}
	}
	return out, nil
}
