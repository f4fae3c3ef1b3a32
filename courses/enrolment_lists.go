package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// LearnerCourse is one line of a learner's "My courses": the enrolment, its
// course and the module to continue with.
type LearnerCourse struct {
	Enrolment Enrolment
	Course    Course
	// Next is the first module not completed yet (nil when none is left).
	Next *Module
}

// MyCourses returns a learner's current enrolments, newest first, with
// progress and where to continue.
func (s *Service) MyCourses(ctx context.Context, userID int64) ([]LearnerCourse, error) {
	var enrolments []Enrolment
	err := s.db.NewSelect().Model(&enrolments).
		Where("e.user_id = ? AND e.status IN (?, ?)", userID, EnrolmentActive, EnrolmentCompleted).
		OrderExpr("e.enrolled_at DESC, e.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: enrolments of %d: %w", userID, err)
	}
	if len(enrolments) == 0 {
		return nil, nil
	}
	courseIDs := make([]int64, len(enrolments))
	for i, e := range enrolments {
		courseIDs[i] = e.CourseID
	}
	var list []Course
	if err := s.db.NewSelect().Model(&list).Where("c.id IN (?)", bun.List(courseIDs)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: courses of %d: %w", userID, err)
	}
	byID := make(map[int64]Course, len(list))
	for _, c := range list {
		byID[c.ID] = c
	}
	// The first unfinished live module of every course, in one query.
	var next []Module
	err = s.db.NewRaw(`SELECT DISTINCT ON (m.course_id) m.id, m.course_id, m.position, m.title, m.estimated_minutes
		FROM modules AS m
		JOIN enrolments AS e ON e.course_id = m.course_id AND e.user_id = ?
		WHERE m.archived_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM module_completions mc WHERE mc.enrolment_id = e.id AND mc.module_id = m.id)
		ORDER BY m.course_id, m.position`, userID).Scan(ctx, &next)
	if err != nil {
		return nil, fmt.Errorf("courses: next modules of %d: %w", userID, err)
	}
	nextByCourse := make(map[int64]*Module, len(next))
	for i := range next {
		nextByCourse[next[i].CourseID] = &next[i]
	}
	out := make([]LearnerCourse, 0, len(enrolments))
	for _, e := range enrolments {
		if err := s.fillProgress(ctx, s.db, &e); err != nil {
			return nil, err
		}
		out = append(out, LearnerCourse{Enrolment: e, Course: byID[e.CourseID], Next: nextByCourse[e.CourseID]})
	}
	return out, nil
}

// RosterEntry is one learner enrolled in a course, for instructors and admins.
type RosterEntry struct {
	Enrolment
	User RosterUser `bun:"-" json:"user"`
}

// RosterUser is what a roster shows of a learner.
type RosterUser struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	InstitutionID *int64 `json:"institution_id"`
}

// RosterFilter narrows a course roster.
type RosterFilter struct {
	InstitutionID int64 // 0: every institution
	Limit, Offset int
}

// Roster is one page of a course's enrolled learners.
type Roster struct {
	Course *Course
	Items  []RosterEntry
	// Total is how many learners match the filter, on every page.
	Total int
}

// Roster returns who is enrolled in a course (not withdrawn), by name,
// with progress, and how many match. Its editors (its instructors and
// admins) see it; others get ErrForbidden, or ErrNotFound for a course
// they may not see.
func (s *Service) Roster(ctx context.Context, actor Actor, courseID int64, f RosterFilter) (*Roster, error) {
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if err := acc.mayEdit(); err != nil {
		return nil, fmt.Errorf("courses: roster of %d: %w", courseID, err)
	}
	type row struct {
		Enrolment     `bun:",extend"`
		UserName      string `bun:"user_name"`
		UserEmail     string `bun:"user_email"`
		InstitutionID *int64 `bun:"user_institution_id"`
	}
	var rows []row
	q := s.db.NewSelect().Model(&rows).
		ColumnExpr("e.*").
		ColumnExpr("u.name AS user_name, u.email AS user_email, u.institution_id AS user_institution_id").
		Join("JOIN users AS u ON u.id = e.user_id").
		Where("e.course_id = ? AND e.status IN (?, ?)", courseID, EnrolmentActive, EnrolmentCompleted).
		OrderExpr("u.name, e.id").Limit(f.Limit).Offset(f.Offset)
	if f.InstitutionID != 0 {
		q = q.Where("u.institution_id = ?", f.InstitutionID)
	}
	total, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: roster of %d: %w", courseID, err)
	}
	out := &Roster{Course: acc.Course, Items: make([]RosterEntry, len(rows)), Total: total}
	for i, r := range rows {
		e := r.Enrolment
		if err := s.fillProgress(ctx, s.db, &e); err != nil {
			return nil, err
		}
		out.Items[i] = RosterEntry{Enrolment: e, User: RosterUser{ID: e.UserID, Name: r.UserName, Email: r.UserEmail, InstitutionID: r.InstitutionID}}
	}
	return out, nil
}
