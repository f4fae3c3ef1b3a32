package courses

import (
	"database/sql"
	"errors"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such course, module, asset or enrolment — or one the
	// caller may not see (drafts to outsiders), which is told the same way.
	ErrNotFound = errors.New("courses: not found")
	// ErrBadCursor: a roster cursor (RosterFilter.After) that
	// RosterCursor.String did not write.
	ErrBadCursor = errors.New("courses: malformed roster cursor")
	// ErrForbidden: the caller may see this but not change it.
	ErrForbidden = errors.New("courses: not allowed")
	// ErrSlugTaken: another course uses this slug.
	ErrSlugTaken = errors.New("courses: slug taken")
	// ErrNoModules: a course cannot be published without a module.
	ErrNoModules = errors.New("courses: publish without modules")
	// ErrAlreadyEnrolled: the learner is enrolled in this course already.
	ErrAlreadyEnrolled = errors.New("courses: already enrolled")
	// ErrNotEnrolled: the learner is not enrolled in this course.
	ErrNotEnrolled = errors.New("courses: not enrolled")
	// ErrNotPublished: only published courses take enrolments.
	ErrNotPublished = errors.New("courses: course not published")
	// ErrHasEnrolments: modules of a course with enrolments are archived, not deleted.
	ErrHasEnrolments = errors.New("courses: course has enrolments")
	// ErrInvalidCourse: a course field breaks a rule (empty title, unknown
	// language, workload out of range). The web layer's validation
	// normally catches these first, field by field.
	ErrInvalidCourse = errors.New("courses: invalid course")
	// ErrInvalidSlug: a slug typed by a user is not lowercase words of
	// letters and digits joined by dashes, or is only digits.
	ErrInvalidSlug = errors.New("courses: invalid slug")
	// ErrInvalidInstructor: a named instructor is not an enabled
	// instructor or admin, or a course would be left without one.
	ErrInvalidInstructor = errors.New("courses: invalid instructor")
	// ErrInvalidCover: the cover is not an image attached to this course.
	ErrInvalidCover = errors.New("courses: invalid cover image")
	// ErrInvalidTransition: the course's status does not allow this
	// change (archiving a draft).
	ErrInvalidTransition = errors.New("courses: status does not allow this")
	// ErrInvalidModule: a module field breaks a rule (empty title, body or
	// estimated minutes too large).
	ErrInvalidModule = errors.New("courses: invalid module")
	// ErrLastModule: archiving or deleting the last module would leave a
	// published or archived course with nothing to read.
	ErrLastModule = errors.New("courses: last module of a published course")
)

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
