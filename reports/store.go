package reports

import (
	"context"
	"fmt"
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
	Cursor                  *cursor
	Limit                   int
}

// gradebookRow is a gradebook row as the database gives it.
type gradebookRow struct {
	EnrolmentID   int64      `bun:"enrolment_id"`
	UserID        int64      `bun:"user_id"`
	Name          string     `bun:"name"`
	Email         string     `bun:"email"`
	Institution   string     `bun:"institution"`
	Status        string     `bun:"status"`
	EnrolledAt    time.Time  `bun:"enrolled_at"`
	CompletedAt   *time.Time `bun:"completed_at"`
	ModulesDone   int        `bun:"modules_done"`
	ModulesTotal  int        `bun:"modules_total"`
	RequiredDone  int        `bun:"required_done"`
	RequiredTotal int        `bun:"required_total"`
	Quizzes       []byte     `bun:"quizzes"` // {"quiz id": [best percent, attempts]}
	LastActivity  time.Time  `bun:"last_activity"`
	Certificate   string     `bun:"certificate"`
}

// Gradebook reads one chunk of a course's gradebook.
func (s *Store) Gradebook(ctx context.Context, f gradebookFilter) ([]gradebookRow, error) {
	var where strings.Builder
	args := []any{
		courses.ReportEnrolments(s.db), accounts.ReportPeople(s.db), accounts.ReportInstitutions(s.db),
		assessment.ReportQuizResults(s.db), assessment.ReportRequiredQuizzes(s.db), certificates.ReportCertificates(s.db),
		f.CourseID,
	}
	if f.InstitutionID != 0 {
		where.WriteString(" AND p.institution_id = ?")
		args = append(args, f.InstitutionID)
	}
	if f.Status != "" {
		where.WriteString(" AND e.status = ?")
		args = append(args, f.Status)
	}
	if f.Cursor != nil {
		where.WriteString(" AND " + f.After)
		args = append(args, f.Cursor.Key, f.Cursor.ID)
	}
	args = append(args, f.Limit)
	var rows []gradebookRow
	err := s.db.NewRaw(`WITH e AS NOT MATERIALIZED (?), p AS NOT MATERIALIZED (?), i AS NOT MATERIALIZED (?),
			qr AS NOT MATERIALIZED (?), rq AS NOT MATERIALIZED (?), cert AS NOT MATERIALIZED (?)
		SELECT e.enrolment_id, p.user_id, p.name, p.email, coalesce(i.acronym, '') AS institution,
			e.status, e.enrolled_at, e.completed_at, e.modules_done, e.modules_total,
			(SELECT count(*) FROM rq WHERE rq.course_id = e.course_id) AS required_total,
			(SELECT count(*) FROM rq JOIN qr ON qr.quiz_id = rq.quiz_id
				WHERE rq.course_id = e.course_id AND qr.enrolment_id = e.enrolment_id AND qr.passed) AS required_done,
			(SELECT coalesce(jsonb_object_agg(qr.quiz_id, jsonb_build_array(qr.best_percent, qr.attempts)), '{}')
				FROM qr WHERE qr.enrolment_id = e.enrolment_id) AS quizzes,
			greatest(e.enrolled_at, e.last_module_at,
				(SELECT max(qr.last_at) FROM qr WHERE qr.enrolment_id = e.enrolment_id)) AS last_activity,
			coalesce(cert.code, '') AS certificate
		FROM e
		JOIN p ON p.user_id = e.user_id
		LEFT JOIN i ON i.institution_id = p.institution_id
		LEFT JOIN cert ON cert.enrolment_id = e.enrolment_id
		WHERE e.course_id = ?`+where.String()+`
		ORDER BY `+f.Order+` LIMIT ?`, args...).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("reports: gradebook of course %d: %w", f.CourseID, err)
	}
	return rows, nil
}
