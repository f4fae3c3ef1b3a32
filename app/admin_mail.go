package app

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/notify"
)

// The outbox: every message Aula wrote, newest first, with its status.
// Without an SMTP relay (AULA_SMTP_URL unset) it is where mail goes, so
// `make run` shows each password link and notice here.

type adminMailPage struct {
	Page
	Relay    bool
	Statuses []notify.Status
	Status   notify.Status
	To       string
	Messages []adminMessage
	Next     string
}

type adminMessage struct {
	notify.Message
	Created, Sent string
}

type adminMessagePage struct {
	Page
	Message adminMessage
}

func (s *server) adminMailPage(c *fiber.Ctx) error {
	f := notify.MessageFilter{Status: notify.Status(c.Query("status")), To: c.Query("to")}
	if f.Status != "" && !slices.Contains(notify.Statuses, f.Status) {
		return errNotFound
	}
	if b := c.Query("before"); b != "" {
		before, err := strconv.ParseInt(b, 10, 64)
		if err != nil || before <= 0 {
			return errNotFound
		}
		f.Before = before
	}
	list, next, err := s.notify.Outbox(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := adminMailPage{Page: s.adminPage(c, "notify.outbox.title"), Relay: s.notify.Relay(), Statuses: notify.Statuses,
		Status: f.Status, To: f.To}
	for _, m := range list {
		p.Messages = append(p.Messages, s.adminMessage(m))
	}
	if next > 0 {
		p.Next = "/admin/mail?status=" + string(f.Status) + "&to=" + url.QueryEscape(f.To) + "&before=" + strconv.FormatInt(next, 10)
	}
	return s.render(c, "pages/admin/mail", p)
}

func (s *server) adminMessage(m notify.Message) adminMessage {
	out := adminMessage{Message: m, Created: s.clockTime(m.CreatedAt)}
	if m.SentAt != nil {
		out.Sent = s.clockTime(*m.SentAt)
	}
	return out
}

// outboxMessage reads the message of the path.
func (s *server) outboxMessage(c *fiber.Ctx) (*notify.Message, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.notify.Message(c.UserContext(), id)
}

func (s *server) adminMessagePage(c *fiber.Ctx) error {
	m, err := s.outboxMessage(c)
	if err != nil {
		return err
	}
	return s.render(c, "pages/admin/mail_show", adminMessagePage{Page: s.adminPage(c, "notify.outbox.message_title"), Message: s.adminMessage(*m)})
}

// adminMessageHTML shows a message's HTML alternative as the recipient's
// mail program would, sandboxed: no script, no form, nothing fetched
// from elsewhere; only the message's own inline styles apply.
func (s *server) adminMessageHTML(c *fiber.Ctx) error {
	m, err := s.outboxMessage(c)
	if err != nil {
		return err
	}
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(m.HTMLBody)
}
