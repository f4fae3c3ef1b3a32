package courses

import (
	"context"
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
	list, err := NewStore(s.db).LearnerCourses(ctx, userID, s.progressColumns(""))
	if len(list) == 0 {
		return nil, err
	}
	return list, err
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
	// Oversight is what the actor may see and do with the learners.
	Oversight *Oversight `json:"-"`
}

// Roster returns who is enrolled in a course (not withdrawn), by name,
// with progress, and how many match. Its editors (its instructors and
// admins) see every learner, coordinators their own institution's
// (Oversight); others get ErrForbidden, or ErrNotFound for a course they
// may not see.
func (s *Service) Roster(ctx context.Context, actor Actor, courseID int64, f RosterFilter) (*Roster, error) {
	o, err := s.Oversight(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if f.InstitutionID, err = o.Scope(f.InstitutionID); err != nil {
		return nil, err
	}
	items, total, err := NewStore(s.db).Roster(ctx, courseID, f, s.progressColumns(""))
	if err != nil {
		return nil, err
	}
	out := &Roster{Course: o.Course, Items: items, Total: total, Oversight: o}
	return out, nil
}
