package app

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// The JSON API of events (docs/api.md, Events). Pages make the same
// service calls (events_pages.go).

// eventsQuery reads ?q=&language=&limit=&offset= like the catalogue's.
func eventsQuery(c *fiber.Ctx) (events.ListQuery, error) {
	q, err := catalogQuery(c)
	return events.ListQuery{Query: q.Query, Language: q.Language, Limit: q.Limit, Offset: q.Offset}, err
}

// listEvents is GET /api/v1/events: published and closed events, those to
// come first.
func (s *server) listEvents(c *fiber.Ctx) error {
	q, err := eventsQuery(c)
	if err != nil {
		return err
	}
	items, total, err := s.events.List(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := make([]eventJSON, len(items))
	for i := range items {
		out[i] = s.eventJSON(&items[i].Event, items[i].Sessions)
	}
	return c.JSON(list[eventJSON]{Items: out, Total: total})
}

// showEvent is GET /api/v1/events/{id}: an event with its sessions;
// drafts only to their organisers.
func (s *server) showEvent(c *fiber.Ctx) error {
	return s.eventDetail(c, fiber.StatusOK)
}

func (s *server) eventDetail(c *fiber.Ctx, status int) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.events.Detail(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	out := s.eventJSON(d.Event, d.Sessions)
	out.PlacesTaken = &d.Taken
	return c.Status(status).JSON(out)
}

// createEvent is POST /api/v1/events: a new draft organised by the caller.
func (s *server) createEvent(c *fiber.Ctx) error {
	var form eventForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	e, err := s.events.CreateEvent(c.UserContext(), eventActor(c), form.params())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.eventJSON(e, nil))
}

// createSession is POST /api/v1/events/{id}/sessions.
func (s *server) createSession(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form sessionForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	p, err := form.params(time.UTC)
	if err != nil {
		return err
	}
	ses, err := s.events.AddSession(c.UserContext(), eventActor(c), id, p)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sessionJSONOf(ses))
}

// updateSession is PATCH /api/v1/sessions/{id}: a session moved or
// renamed; fields left out keep their value.
func (s *server) updateSession(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ses, acc, err := s.events.SessionEvent(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	if !acc.Organiser {
		return errForbidden
	}
	form := sessionForm{Title: ses.Title, StartsAt: ses.StartsAt.UTC().Format(time.RFC3339), EndsAt: ses.EndsAt.UTC().Format(time.RFC3339),
		Location: ses.Location, OnlineURL: ses.OnlineURL}
	if err := parseBody(c, &form); err != nil {
		return err
	}
	p, err := form.params(time.UTC)
	if err != nil {
		return err
	}
	if ses, err = s.events.UpdateSession(c.UserContext(), eventActor(c), id, p); err != nil {
		return err
	}
	return c.JSON(sessionJSONOf(ses))
}

// publishEvent is POST /api/v1/events/{id}/publish; 422 without a session.
func (s *server) publishEvent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.events.Publish(c.UserContext(), eventActor(c), id); err != nil {
		return err
	}
	return s.eventDetail(c, fiber.StatusOK)
}

// organiserForm names a co-organiser.
type organiserForm struct {
	UserID int64  `json:"user_id" form:"-"`
	Email  string `json:"email" form:"email" validate:"required_without=UserID,omitempty,email,max=254"`
}

// addOrganiser is POST /api/v1/events/{id}/organisers {user_id | email}.
func (s *server) addOrganiser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form organiserForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if err := s.addOrganiserByForm(c, id, form); err != nil {
		return err
	}
	ids, err := s.events.Organisers(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"organisers": ids})
}

func (s *server) addOrganiserByForm(c *fiber.Ctx, eventID int64, form organiserForm) error {
	if form.UserID == 0 {
		u, err := s.accounts.UserByEmail(c.UserContext(), form.Email)
		if err != nil {
			return validationError(map[string]message{"email": {Key: "events.invalid.not_organiser"}})
		}
		form.UserID = u.ID
	}
	return s.events.AddOrganiser(c.UserContext(), eventActor(c), eventID, form.UserID)
}

// registerSelf is POST /api/v1/events/{id}/registrations: the caller
// registers; 409 twice.
func (s *server) registerSelf(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.events.Register(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(registrationJSONOf(r))
}

// listRegistrations is GET /api/v1/events/{id}/registrations, for
// organisers.
func (s *server) listRegistrations(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	regs, err := s.events.Registrations(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	out := make([]registrationJSON, len(regs))
	for i := range regs {
		out[i] = registrationJSONOf(&regs[i])
	}
	return c.JSON(list[registrationJSON]{Items: out, Total: len(out)})
}

// cancelRegistration is DELETE /api/v1/registrations/{id}: 204; the first
// waitlisted person gets the place.
func (s *server) cancelRegistration(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.events.Cancel(c.UserContext(), eventActor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// approveRegistration is POST /api/v1/registrations/{id}/approve.
func (s *server) approveRegistration(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.events.Approve(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(registrationJSONOf(r))
}

// attendanceForm is the body of PUT /api/v1/sessions/{id}/attendance.
type attendanceForm struct {
	Records []struct {
		UserID  int64  `json:"user_id" validate:"required,gt=0"`
		Status  string `json:"status" validate:"required,oneof=present late excused absent"`
		Minutes *int   `json:"minutes" validate:"omitempty,min=0,max=1440"`
	} `json:"records" validate:"required,max=5000,dive"`
}

// markAttendance is PUT /api/v1/sessions/{id}/attendance.
func (s *server) markAttendance(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form attendanceForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	records := make([]events.Record, len(form.Records))
	for i, r := range form.Records {
		records[i] = events.Record{UserID: r.UserID, Status: events.AttendanceStatus(r.Status), Minutes: r.Minutes}
	}
	if err := s.events.MarkAttendance(c.UserContext(), eventActor(c), id, records); err != nil {
		return err
	}
	return s.sessionAttendance(c, id)
}

// attendanceJSON is one attendance record as the API answers it.
type attendanceJSON struct {
	UserID  int64                   `json:"user_id"`
	Name    string                  `json:"name"`
	Status  events.AttendanceStatus `json:"status"`
	Minutes *int                    `json:"minutes"`
	Source  events.Source           `json:"source"`
}

// sessionAttendance answers a session's attendance sheet: every
// registered participant, those not marked with an empty status.
func (s *server) sessionAttendance(c *fiber.Ctx, id int64) error {
	sh, err := s.events.Sheet(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	out := make([]attendanceJSON, len(sh.Participants))
	for i, u := range sh.Participants {
		a := sh.Records[u.ID]
		out[i] = attendanceJSON{UserID: u.ID, Name: u.Name, Status: a.Status, Minutes: a.Minutes, Source: a.Source}
	}
	return c.JSON(fiber.Map{"session_id": id, "records": out})
}

// importAttendance is POST /api/v1/sessions/{id}/attendance/import with a
// participants report as the body (text/csv).
func (s *server) importAttendance(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	res, err := s.events.ImportAttendance(c.UserContext(), eventActor(c), id, bytes.NewReader(c.Body()))
	if err != nil {
		return err
	}
	ignored := res.Ignored
	if ignored == nil {
		ignored = []string{}
	}
	return c.JSON(fiber.Map{"marked": res.Marked, "ignored": ignored})
}

// checkinCode is GET /api/v1/sessions/{id}/checkin-code, for organisers:
// the code the screen shows now and the URL its QR code opens.
func (s *server) checkinCode(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, code, err := s.events.Code(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"code": code.Code, "url": s.checkinURL(id, code.Code), "expires_at": code.ExpiresAt.UTC(),
		"rotates_at": code.RotatesAt.UTC()})
}

// checkinForm is the body of a check-in.
type checkinForm struct {
	Code string `json:"code" form:"code" validate:"required,max=40"`
}

// checkIn is POST /api/v1/sessions/{id}/checkin {code}.
func (s *server) checkIn(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form checkinForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	a, err := s.events.CheckIn(c.UserContext(), eventActor(c), id, form.Code)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": a.Status})
}

// closeEvent is POST /api/v1/events/{id}/close: the certificates of
// participation are issued; again → 409.
func (s *server) closeEvent(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.events.Close(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"certificates_issued": n})
}

// eventICS is GET /api/v1/events/{id}.ics: the event's sessions for a
// calendar, in the event's time zone.
func (s *server) eventICS(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.events.Detail(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return s.sendCalendar(c, d.Event.Title, []events.CalendarItem{{Event: d.Event, Sessions: d.Sessions, URL: s.cfg.BaseURL + eventPath(id)}})
}

// myEvents is GET /api/v1/me/events: the caller's registrations with
// their events.
func (s *server) myEvents(c *fiber.Ctx) error {
	regs, err := s.events.MyRegistrations(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	type item struct {
		registrationJSON
		Event eventJSON `json:"event"`
	}
	out := make([]item, len(regs))
	for i := range regs {
		out[i] = item{registrationJSON: registrationJSONOf(&regs[i].Registration), Event: s.eventJSON(regs[i].Event, regs[i].Sessions)}
	}
	return c.JSON(list[item]{Items: out, Total: len(out)})
}

// myCalendar is GET /api/v1/me/calendar: the URL of the caller's personal
// calendar feed.
func (s *server) myCalendar(c *fiber.Ctx) error {
	token, err := s.events.FeedToken(c.UserContext(), currentUser(c).ID, false)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"url": s.feedURL(token)})
}

// citeLibraryItem is PUT /api/v1/events/{id}/library/{item_id}: the event
// cites a published library item, whose page lists the event back.
func (s *server) citeLibraryItem(c *fiber.Ctx) error {
	return onTwoIDs(c, "item_id", eventActor(c), s.events.LinkItem)
}

// stopCitingLibraryItem is DELETE /api/v1/events/{id}/library/{item_id}.
func (s *server) stopCitingLibraryItem(c *fiber.Ctx) error {
	return onTwoIDs(c, "item_id", eventActor(c), s.events.UnlinkItem)
}
