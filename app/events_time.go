package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// viewerZone is the time zone a page shows "your time" in: the viewer's
// own setting, else the installation's (AULA_TIMEZONE).
func (s *server) viewerZone(c *fiber.Ctx) *time.Location { return s.viewerLocation(currentUser(c)) }

// sessionView is a session as pages show it: its times in the event's
// zone and, when that differs, in the viewer's too.
type sessionView struct {
	events.Session
	// Local is "Wed 2027-03-10 10:00–12:00" in the event's zone.
	Local string
	// Zone names the event's zone as a place ("Mexico City").
	Zone string
	// Yours is the same in the viewer's zone, "" when it reads the same.
	Yours string
	// StartsInput and EndsInput fill datetime-local fields, in the event's zone.
	StartsInput, EndsInput string
}

// sessionViews shows sessions of e to the viewer of c.
func (s *server) sessionViews(c *fiber.Ctx, e *events.Event, sessions []events.Session) []sessionView {
	loc, mine := e.Location(), s.viewerZone(c)
	out := make([]sessionView, len(sessions))
	for i, ses := range sessions {
		v := sessionView{Session: ses, Local: timeRange(ses.StartsAt.In(loc), ses.EndsAt.In(loc)), Zone: zonePlace(e.TimeZone),
			StartsInput: ses.StartsAt.In(loc).Format("2006-01-02T15:04"), EndsInput: ses.EndsAt.In(loc).Format("2006-01-02T15:04")}
		if yours := timeRange(ses.StartsAt.In(mine), ses.EndsAt.In(mine)); yours != v.Local {
			v.Yours = yours
		}
		out[i] = v
	}
	return out
}

// timeRange writes "2027-03-10 10:00–12:00", or both dates when the
// range passes midnight.
func timeRange(from, to time.Time) string {
	if from.Format(time.DateOnly) == to.Format(time.DateOnly) {
		return from.Format("2006-01-02 15:04") + "–" + to.Format("15:04")
	}
	return from.Format("2006-01-02 15:04") + " – " + to.Format("2006-01-02 15:04")
}

// zonePlace names an IANA zone by its city: "America/Mexico_City" →
// "Mexico City".
func zonePlace(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}
