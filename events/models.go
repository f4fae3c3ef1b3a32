package events

import (
	"time"

	"github.com/uptrace/bun"
)

// Kind is what sort of event it is.
type Kind string

// The kinds of event.
const (
	KindSeminar  Kind = "seminar"
	KindWorkshop Kind = "workshop"
	KindWebinar  Kind = "webinar"
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{KindSeminar, KindWorkshop, KindWebinar}

// Mode is how registration works.
type Mode string

// Registration modes.
const (
	// ModeOpen registers (or waitlists) at once.
	ModeOpen Mode = "open"
	// ModeApproval keeps registrations pending until an organiser approves.
	ModeApproval Mode = "approval"
)

// Modes lists every registration mode.
var Modes = []Mode{ModeOpen, ModeApproval}

// Status is where an event is in its life.
type Status string

// Event states: a draft is seen only by its organisers; a published event
// is listed and takes registrations; a closed one has issued its
// certificates and changes no more.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusClosed    Status = "closed"
)

// Event is a seminar, workshop or webinar.
type Event struct {
	bun.BaseModel `bun:"table:events,alias:ev"`

	ID                   int64      `bun:"id,pk,autoincrement"`
	Title                string     `bun:"title"`
	Summary              string     `bun:"summary"`
	Language             string     `bun:"language"`
	Kind                 Kind       `bun:"kind"`
	TimeZone             string     `bun:"time_zone"`
	Capacity             *int       `bun:"capacity"`
	Registration         Mode       `bun:"registration"`
	MinAttendancePercent int        `bun:"min_attendance_percent"`
	CheckinMarginMinutes int        `bun:"checkin_margin_minutes"`
	Status               Status     `bun:"status"`
	CreatedBy            *int64     `bun:"created_by"`
	PublishedAt          *time.Time `bun:"published_at"`
	ClosedAt             *time.Time `bun:"closed_at"`
	ClosedBy             *int64     `bun:"closed_by"`
	CertificatesIssued   *int       `bun:"certificates_issued"`
	CreatedAt            time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt            time.Time  `bun:"updated_at,nullzero,default:current_timestamp"`
}

// Location returns the event's time zone (UTC if its name is unknown to
// this machine, which validation prevents for new events).
func (e *Event) Location() *time.Location {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CheckinMargin is how long before and after a session its codes work.
func (e *Event) CheckinMargin() time.Duration {
	return time.Duration(e.CheckinMarginMinutes) * time.Minute
}

// Session is one sitting of an event: a morning, a talk, a call.
type Session struct {
	bun.BaseModel `bun:"table:event_sessions,alias:ses"`

	ID            int64     `bun:"id,pk,autoincrement"`
	EventID       int64     `bun:"event_id"`
	Title         string    `bun:"title"`
	StartsAt      time.Time `bun:"starts_at"`
	EndsAt        time.Time `bun:"ends_at"`
	Location      string    `bun:"location"`
	OnlineURL     string    `bun:"online_url"`
	CheckinSecret []byte    `bun:"checkin_secret"`
	CreatedAt     time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Duration is how long the session lasts.
func (s *Session) Duration() time.Duration { return s.EndsAt.Sub(s.StartsAt) }

// RegistrationStatus is where a person stands in an event's list.
type RegistrationStatus string

// Registration states. A cancelled registration is deleted.
const (
	Registered RegistrationStatus = "registered"
	Waitlisted RegistrationStatus = "waitlisted"
	Pending    RegistrationStatus = "pending" // waits for an organiser's approval
)

// Registration is a person's place (or wait) in an event.
type Registration struct {
	bun.BaseModel `bun:"table:event_registrations,alias:reg"`

	ID        int64              `bun:"id,pk,autoincrement"`
	EventID   int64              `bun:"event_id"`
	UserID    int64              `bun:"user_id"`
	Status    RegistrationStatus `bun:"status"`
	CreatedAt time.Time          `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt time.Time          `bun:"updated_at,nullzero,default:current_timestamp"`
}

// AttendanceStatus is how a person attended one session.
type AttendanceStatus string

// Attendance states. Present and late count as attended.
const (
	Present AttendanceStatus = "present"
	Late    AttendanceStatus = "late"
	Excused AttendanceStatus = "excused"
	Absent  AttendanceStatus = "absent"
)

// AttendanceStatuses lists every state, in the order the marking page
// offers them.
var AttendanceStatuses = []AttendanceStatus{Present, Late, Excused, Absent}

// Attended reports whether the status counts towards the certificate.
func (a AttendanceStatus) Attended() bool { return a == Present || a == Late }

// Valid reports whether a is a known status.
func (a AttendanceStatus) Valid() bool {
	return a == Present || a == Late || a == Excused || a == Absent
}

// Source says how an attendance record was taken.
type Source string

// Sources of attendance.
const (
	SourceManual  Source = "manual"
	SourceImport  Source = "import"
	SourceCheckin Source = "checkin"
)

// Attendance is one person's attendance at one session.
type Attendance struct {
	bun.BaseModel `bun:"table:event_attendance,alias:att"`

	SessionID int64            `bun:"session_id,pk"`
	UserID    int64            `bun:"user_id,pk"`
	Status    AttendanceStatus `bun:"status"`
	Minutes   *int             `bun:"minutes"`
	Source    Source           `bun:"source"`
	MarkedBy  *int64           `bun:"marked_by"`
	MarkedAt  time.Time        `bun:"marked_at"`
}

// organiser is a row of event_organisers.
type organiser struct {
	bun.BaseModel `bun:"table:event_organisers,alias:org"`

	EventID int64 `bun:"event_id,pk"`
	UserID  int64 `bun:"user_id,pk"`
}

// feed is a participant's calendar feed token.
type feed struct {
	bun.BaseModel `bun:"table:event_calendar_feeds,alias:feed"`

	UserID    int64     `bun:"user_id,pk"`
	Token     string    `bun:"token"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}
