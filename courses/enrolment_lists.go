package courses

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aula-platform/aula/accounts"
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

// MyCoursesForSession is MyCourses for whoever is signed in with the
// browser session token, looked up in the same statement
// (ReadSessionsWith): my courses is then one round trip, where the
// session and the page were two. The session's rule is accounts' own,
// checked in PostgreSQL on every call, so a signed-out session or a
// disabled user reads nothing. It returns the reader, nil (with no
// courses and no error) when nobody is signed in with token.
func (s *Service) MyCoursesForSession(ctx context.Context, token string) (*accounts.User, []LearnerCourse, error) {
	if s.sessions == nil {
		return nil, nil, errors.New("courses: MyCoursesForSession before ReadSessionsWith")
	}
	hash, now := s.sessions.SessionArgs(token)
	return NewStore(s.db).LearnerCoursesForSession(ctx, s.sessions, hash, now, s.progressColumns(""))
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
	// After, when set, starts the page after this learner (Roster.Next of
	// the page before) and Offset is not applied: a deep page costs what
	// the first does.
	After *RosterCursor
}

// RosterCursor is where a page of a roster ended, in its order (by name,
// then user id).
type RosterCursor struct {
	Name   string
	UserID int64
}

// String writes the cursor for a URL: the user id, a dot, the name in
// URL-safe base64.
func (c RosterCursor) String() string {
	return strconv.FormatInt(c.UserID, 10) + "." + base64.RawURLEncoding.EncodeToString([]byte(c.Name))
}

// ParseRosterCursor reads a cursor String wrote.
func ParseRosterCursor(s string) (*RosterCursor, error) {
	id, name, ok := strings.Cut(s, ".")
	n, err1 := strconv.ParseInt(id, 10, 64)
	b, err2 := base64.RawURLEncoding.DecodeString(name)
	if !ok || err1 != nil || err2 != nil || n <= 0 || !utf8.Valid(b) {
		return nil, ErrBadCursor
	}
	return &RosterCursor{Name: string(b), UserID: n}, nil
}

// Roster is one page of a course's enrolled learners.
type Roster struct {
	Course *Course
	Items  []RosterEntry
	// Total is how many learners match the filter, on every page.
	Total int
	// Next is the cursor of the next page (RosterFilter.After); nil on the
	// last one.
	Next *RosterCursor
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
	page := f
	if f.Limit > 0 {
		page.Limit++ // one more tells whether a next page exists
	}
	items, total, err := NewStore(s.db).Roster(ctx, courseID, page, s.progressColumns(""))
	if err != nil {
		return nil, err
	}
	out := &Roster{Course: o.Course, Items: items, Total: total, Oversight: o}
	if f.Limit > 0 && len(items) > f.Limit {
		out.Items = items[:f.Limit]
		last := out.Items[f.Limit-1].User
		out.Next = &RosterCursor{Name: last.Name, UserID: last.ID}
	}
	return out, nil
}
