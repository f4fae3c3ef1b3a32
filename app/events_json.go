package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// eventJSON is an event as the API answers it (docs/api.md, Events).
type eventJSON struct {
	ID                   int64         `json:"id"`
	Title                string        `json:"title"`
	Summary              string        `json:"summary"`
	Language             string        `json:"language"`
	Kind                 events.Kind   `json:"kind"`
	TimeZone             string        `json:"time_zone"`
	Capacity             *int          `json:"capacity"`
	Registration         events.Mode   `json:"registration"`
	MinAttendancePercent int           `json:"min_attendance_percent"`
	CheckinMarginMinutes int           `json:"checkin_margin_minutes"`
	Status               events.Status `json:"status"`
	PublishedAt          *time.Time    `json:"published_at"`
	ClosedAt             *time.Time    `json:"closed_at"`
	CertificatesIssued   *int          `json:"certificates_issued"`
	PlacesTaken          *int          `json:"places_taken,omitempty"`
	Sessions             []sessionJSON `json:"sessions"`
	URL                  string        `json:"url"`
	CalendarURL          string        `json:"calendar_url"`
}

// sessionJSON is a session as the API answers it; times are RFC 3339 UTC.
type sessionJSON struct {
	ID        int64     `json:"id"`
	EventID   int64     `json:"event_id"`
	Title     string    `json:"title"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Location  string    `json:"location"`
	OnlineURL string    `json:"online_url"`
}

func (s *server) eventJSON(e *events.Event, sessions []events.Session) eventJSON {
	out := eventJSON{ID: e.ID, Title: e.Title, Summary: e.Summary, Language: e.Language, Kind: e.Kind, TimeZone: e.TimeZone,
		Capacity: e.Capacity, Registration: e.Registration, MinAttendancePercent: e.MinAttendancePercent,
		CheckinMarginMinutes: e.CheckinMarginMinutes, Status: e.Status, PublishedAt: utcTime(e.PublishedAt),
		ClosedAt: utcTime(e.ClosedAt), CertificatesIssued: e.CertificatesIssued, Sessions: make([]sessionJSON, len(sessions)),
		URL: s.cfg.BaseURL + eventPath(e.ID), CalendarURL: s.cfg.BaseURL + "/api/v1" + eventPath(e.ID) + ".ics"}
	for i := range sessions {
		out.Sessions[i] = sessionJSONOf(&sessions[i])
	}
	return out
}

func sessionJSONOf(ses *events.Session) sessionJSON {
	return sessionJSON{ID: ses.ID, EventID: ses.EventID, Title: ses.Title, StartsAt: ses.StartsAt.UTC(), EndsAt: ses.EndsAt.UTC(),
		Location: ses.Location, OnlineURL: ses.OnlineURL}
}

// registrationJSON is a registration as the API answers it.
type registrationJSON struct {
	ID        int64                     `json:"id"`
	EventID   int64                     `json:"event_id"`
	UserID    int64                     `json:"user_id"`
	Status    events.RegistrationStatus `json:"status"`
	CreatedAt time.Time                 `json:"created_at"`
}

func registrationJSONOf(r *events.Registration) registrationJSON {
	return registrationJSON{ID: r.ID, EventID: r.EventID, UserID: r.UserID, Status: r.Status, CreatedAt: r.CreatedAt.UTC()}
}

func eventPath(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

// eventActor is who asks the events service.
func eventActor(c *fiber.Ctx) events.Actor { return events.ActorFor(currentUser(c)) }

// eventForm is the body of POST /api/v1/events and of the new event form.
type eventForm struct {
	Title                string `json:"title" form:"title" validate:"required,max=200"`
	Summary              string `json:"summary" form:"summary" validate:"max=5000"`
	Language             string `json:"language" form:"language" validate:"required,course_language"`
	Kind                 string `json:"kind" form:"kind" validate:"required,oneof=seminar workshop webinar"`
	TimeZone             string `json:"time_zone" form:"time_zone" validate:"required,max=64"`
	Capacity             *int   `json:"capacity" form:"-" validate:"omitempty,min=1,max=100000"`
	Registration         string `json:"registration" form:"registration" validate:"required,oneof=open approval"`
	MinAttendancePercent int    `json:"min_attendance_percent" form:"min_attendance_percent" validate:"min=0,max=100"`
	CheckinMarginMinutes *int   `json:"checkin_margin_minutes" form:"-" validate:"omitempty,min=0,max=240"`
}

func (f *eventForm) normalize() {
	f.Title, f.Summary, f.TimeZone = strings.TrimSpace(f.Title), strings.TrimSpace(f.Summary), strings.TrimSpace(f.TimeZone)
	f.Language, f.Kind, f.Registration = strings.ToLower(strings.TrimSpace(f.Language)), strings.TrimSpace(f.Kind), strings.TrimSpace(f.Registration)
}

func (f *eventForm) params() events.EventParams {
	return events.EventParams{Title: f.Title, Summary: f.Summary, Language: f.Language, Kind: events.Kind(f.Kind),
		TimeZone: f.TimeZone, Capacity: f.Capacity, Registration: events.Mode(f.Registration),
		MinAttendancePercent: f.MinAttendancePercent, CheckinMarginMinutes: f.CheckinMarginMinutes}
}

// sessionForm is the body of POST /api/v1/events/{id}/sessions and of the
// session form. The API's times are RFC 3339; the page's datetime-local
// fields have no zone and are read in the event's.
type sessionForm struct {
	Title     string `json:"title" form:"title" validate:"required,max=200"`
	StartsAt  string `json:"starts_at" form:"starts_at" validate:"required"`
	EndsAt    string `json:"ends_at" form:"ends_at" validate:"required"`
	Location  string `json:"location" form:"location" validate:"max=300"`
	OnlineURL string `json:"online_url" form:"online_url" validate:"omitempty,max=1000"`
}

// params reads the form's times: RFC 3339 anywhere, and on pages also
// "2027-03-10T10:00" in loc, the event's zone.
func (f *sessionForm) params(loc *time.Location) (events.SessionParams, error) {
	p := events.SessionParams{Title: f.Title, Location: f.Location, OnlineURL: f.OnlineURL}
	fields := map[string]message{}
	for _, t := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"starts_at", f.StartsAt, &p.StartsAt}, {"ends_at", f.EndsAt, &p.EndsAt}} {
		v, err := time.Parse(time.RFC3339, strings.TrimSpace(t.in))
		if err != nil {
			v, err = time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(t.in), loc)
		}
		if err != nil {
			fields[t.name] = message{Key: "events.invalid.datetime"}
			continue
		}
		*t.out = v
	}
	if len(fields) > 0 {
		return p, validationError(fields)
	}
	return p, nil
}
