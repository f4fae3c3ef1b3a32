package app

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/notify"
)

// In-app notifications (the bell in the header, the list, mark read),
// each user's mail preferences per topic, and the one-click unsubscribe
// links of notices and digests.

type notificationsPage struct {
	Page
	Items []notificationItem
	Next  string
}

type notificationItem struct {
	ID     int64
	Title  string
	When   string
	Unread bool
}

func (s *server) notificationsPage(c *fiber.Ctx) error {
	before, err := strconv.ParseInt(c.Query("before", "0"), 10, 64)
	if err != nil || before < 0 {
		return errNotFound
	}
	list, next, err := s.notify.Notifications(c.UserContext(), currentUser(c).ID, before)
	if err != nil {
		return err
	}
	p := notificationsPage{Page: s.page(c, "notify.inbox.title")}
	p.Nav = "notifications"
	for _, n := range list {
		p.Items = append(p.Items, notificationItem{ID: n.ID, Title: p.T(n.TitleKey(), n.ArgsAny()...),
			When: s.clockTime(n.CreatedAt), Unread: n.ReadAt == nil})
	}
	if next > 0 {
		p.Next = "/notifications?before=" + strconv.FormatInt(next, 10)
	}
	return s.render(c, "pages/notifications", p)
}

// openNotification marks a notification read and goes where it points.
func (s *server) openNotification(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.notify.Open(c.UserContext(), currentUser(c).ID, id)
	if err != nil {
		return err
	}
	return c.Redirect(safeNext(n.Link), fiber.StatusSeeOther)
}

func (s *server) markAllReadPage(c *fiber.Ctx) error {
	if err := s.notify.MarkAllRead(c.UserContext(), currentUser(c).ID); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/notifications", "notify.inbox.all_read")
}

type preferencesPage struct {
	Page
	Topics     []notify.Topic
	Deliveries []notify.Delivery
	Current    map[notify.Topic]notify.Delivery
}

func (s *server) preferencesPage(c *fiber.Ctx) error {
	prefs, err := s.notify.Preferences(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.render(c, "pages/account/notifications", preferencesPage{Page: s.page(c, "notify.prefs.title"),
		Topics: notify.Topics, Deliveries: notify.Deliveries, Current: prefs})
}

func (s *server) savePreferencesPage(c *fiber.Ctx) error {
	prefs := map[notify.Topic]notify.Delivery{}
	for _, t := range notify.Topics {
		if v := c.FormValue(string(t)); v != "" {
			prefs[t] = notify.Delivery(strings.Clone(v))
		}
	}
	if err := s.notify.SetPreferences(c.UserContext(), currentUser(c).ID, prefs); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/account/notifications", "flash.saved")
}

type unsubscribePage struct {
	Page
	Token, Topic string
	TopicName    string
	Valid, Done  bool
}

// showUnsubscribe is where an unsubscribe link opened in a browser lands:
// a button, not the change itself (mail scanners open links too).
func (s *server) showUnsubscribe(c *fiber.Ctx) error {
	p := unsubscribePage{Page: s.page(c, "notify.unsubscribe.title"), Token: strings.Clone(c.Params("token")),
		Topic: c.Query("topic"), Done: c.Query("done") != ""}
	p.TopicName = p.T("notify.topic." + p.Topic)
	if p.Topic == notify.DigestTopics {
		p.TopicName = p.T("notify.unsubscribe.digest")
	} else if !isTopic(p.Topic) {
		return errNotFound
	}
	valid, err := s.notify.TokenValid(c.UserContext(), p.Token)
	if err != nil {
		return err
	}
	if p.Valid = valid; !valid {
		c.Status(fiber.StatusNotFound)
	}
	return s.render(c, "pages/unsubscribe", p)
}

// unsubscribe turns the link's topic off. It is registered outside the
// pages' chain: mail programs POST "List-Unsubscribe=One-Click" to the
// link (RFC 8058) with no session and no CSRF token; the token in the
// path is the authority, and it can only turn mail off.
func (s *server) unsubscribe(c *fiber.Ctx) error {
	token, topic := strings.Clone(c.Params("token")), c.Query("topic")
	if err := s.notify.Unsubscribe(c.UserContext(), token, topic); err != nil {
		if he, ok := asHTTPError(err); ok {
			return c.Status(he.Status).SendString(he.Code)
		}
		return err
	}
	if c.FormValue("List-Unsubscribe") == "One-Click" {
		return c.SendString("unsubscribed")
	}
	return c.Redirect("/unsubscribe/"+token+"?topic="+topic+"&done=1", fiber.StatusSeeOther)
}

func isTopic(s string) bool { return slices.Contains(notify.Topics, notify.Topic(s)) }
