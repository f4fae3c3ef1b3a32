package app

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/events"
)

// checkinURL is what a session's QR code opens: the check-in page, which
// sends a visitor to sign in first and then completes the check-in.
func (s *server) checkinURL(sessionID int64, code string) string {
	return s.cfg.BaseURL + "/sessions/" + strconv.FormatInt(sessionID, 10) + "/checkin?code=" + url.QueryEscape(code)
}

// feedURL is the address of a personal calendar feed.
func (s *server) feedURL(token string) string {
	return s.cfg.BaseURL + "/calendar/" + token + ".ics"
}

// sendCalendar answers an iCalendar file.
func (s *server) sendCalendar(c *fiber.Ctx, name string, items []events.CalendarItem) error {
	host := strings.TrimPrefix(strings.TrimPrefix(s.cfg.BaseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(events.ICS(name, host, items, s.events.Now()))
}

// calendarFeed is GET /calendar/{token}.ics: everything the feed's owner
// registered for. Calendar programs cannot sign in: the token in the URL
// is the key (read-only; the owner replaces it on /my/events).
func (s *server) calendarFeed(c *fiber.Ctx) error {
	regs, err := s.events.Feed(c.UserContext(), strings.Clone(c.Params("token")))
	if err != nil {
		return err
	}
	items := make([]events.CalendarItem, len(regs))
	for i, r := range regs {
		items[i] = events.CalendarItem{Event: r.Event, Sessions: r.Sessions, URL: s.cfg.BaseURL + eventPath(r.EventID)}
	}
	return s.sendCalendar(c, "Aula", items)
}
