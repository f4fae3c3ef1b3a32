package app

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// The events pages: the listing beside the catalogue, an event's page with
// registration, the participant's own events and calendar feed, and the
// check-in a QR code opens. Organisers' pages are in events_manage_pages.go.

type eventsListPage struct {
	Page
	Query     events.ListQuery
	Items     []eventCard
	Languages []string
	Pager     pager
}

// eventCard is an event in a list, with its sessions as the viewer sees them.
type eventCard struct {
	Event    *events.Event
	Sessions []sessionView
}

// eventsPage lists published events, those to come first, searched like
// the catalogue.
func (s *server) eventsPage(c *fiber.Ctx) error {
	q, _ := eventsQuery(c)
	items, total, err := s.events.List(c.UserContext(), q)
	if err != nil {
		return err
	}
	p := s.page(c, "events.list.title")
	p.Nav = "events"
	cards := make([]eventCard, len(items))
	for i := range items {
		cards[i] = eventCard{Event: &items[i].Event, Sessions: s.sessionViews(c, &items[i].Event, items[i].Sessions)}
	}
	return s.render(c, "pages/events/list", eventsListPage{Page: p, Query: q, Items: cards, Languages: events.Languages,
		Pager: newPager(c, total, q.Limit, q.Offset)})
}

type eventShowPage struct {
	Page
	Event    *events.Event
	Sessions []sessionView
	Access   *events.Access
	Taken    int
	Full     bool
}

// eventPage shows an event with its sessions and the viewer's registration.
func (s *server) eventPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.events.Detail(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	p := s.page(c, "events.list.title")
	p.Title, p.Nav = d.Event.Title, "events"
	return s.render(c, "pages/events/show", eventShowPage{Page: p, Event: d.Event, Sessions: s.sessionViews(c, d.Event, d.Sessions),
		Access: d.Access, Taken: d.Taken, Full: d.Event.Capacity != nil && d.Taken >= *d.Event.Capacity})
}

// registerPage registers the signed-in user (POST /events/{id}/register).
func (s *server) registerPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.events.Register(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, eventPath(id), "events.flash."+string(r.Status))
}

// cancelPage cancels a registration (POST /registrations/{id}/cancel); an
// organiser goes back to the event's management page.
func (s *server) cancelPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.events.Cancel(c.UserContext(), eventActor(c), id); err != nil {
		return err
	}
	next := "/my/events"
	if e, err := strconv.ParseInt(c.FormValue("manage"), 10, 64); err == nil && e > 0 {
		next = manageEventPath(e)
	}
	return s.redirectWithFlash(c, next, "events.flash.cancelled")
}

type myEventsPage struct {
	Page
	Items   []myEventItem
	FeedURL string
}

type myEventItem struct {
	Registration events.Registration
	Event        *events.Event
	Sessions     []sessionView
}

// myEventsPage lists the user's registrations and their calendar feed.
func (s *server) myEventsPage(c *fiber.Ctx) error {
	u := currentUser(c)
	regs, err := s.events.MyRegistrations(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	token, err := s.events.FeedToken(c.UserContext(), u.ID, false)
	if err != nil {
		return err
	}
	p := s.page(c, "events.mine.title")
	p.Nav = "my_events"
	items := make([]myEventItem, len(regs))
	for i, r := range regs {
		items[i] = myEventItem{Registration: r.Registration, Event: r.Event, Sessions: s.sessionViews(c, r.Event, r.Sessions)}
	}
	return s.render(c, "pages/events/mine", myEventsPage{Page: p, Items: items, FeedURL: s.feedURL(token)})
}

// resetFeedPage gives the user a new feed URL; the old one stops working.
func (s *server) resetFeedPage(c *fiber.Ctx) error {
	if _, err := s.events.FeedToken(c.UserContext(), currentUser(c).ID, true); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/my/events", "events.flash.feed_reset")
}

type checkinPage struct {
	Page
	Event   *events.Event
	Session sessionView
	Status  events.AttendanceStatus
	Problem string
}

// checkInPage is where a session's QR code leads
// (GET /sessions/{id}/checkin?code=…). A visitor signs in first and comes
// back here, and the check-in completes: the page records it on GET
// because the code, not the browser's cookie, is the proof (a link from
// elsewhere carries no valid code), and checking in twice is harmless.
func (s *server) checkInPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ses, acc, err := s.events.SessionEvent(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	p := checkinPage{Page: s.page(c, "events.checkin.title"), Event: acc.Event, Session: s.sessionViews(c, acc.Event, []events.Session{*ses})[0]}
	a, err := s.events.CheckIn(c.UserContext(), eventActor(c), id, strings.Clone(c.Query("code")))
	if err != nil {
		he, ok := asHTTPError(err)
		if !ok {
			return err
		}
		c.Status(he.Status)
		p.Problem = p.T(he.Msg.Key, he.Msg.Args...)
		return s.render(c, "pages/events/checkin", p)
	}
	p.Status = a.Status
	return s.render(c, "pages/events/checkin", p)
}

// readReport reads the uploaded participants report of the attendance
// page (field "file").
func readReport(c *fiber.Ctx) (*bytes.Reader, error) {
	data, err := readUpload(c, "file", 1<<20)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(data), nil
}
