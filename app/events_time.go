package app

import (
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
		v := sessionView{Session: ses, Local: events.TimeRange(ses.StartsAt.In(loc), ses.EndsAt.In(loc)), Zone: events.ZonePlace(e.TimeZone),
			StartsInput: ses.StartsAt.In(loc).Format("2006-01-02T15:04"), EndsInput: ses.EndsAt.In(loc).Format("2006-01-02T15:04")}
		if yours := events.TimeRange(ses.StartsAt.In(mine), ses.EndsAt.In(mine)); yours != v.Local {
			v.Yours = yours
		}
		out[i] = v
	}
	return out
}
