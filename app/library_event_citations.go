package app

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/library"
)

// The organisers' page of an event lists the library items the event
// cites and has a form to cite one more by its id or the URL of its page
// (the page form of PUT /api/v1/events/{id}/library/{item_id}), and one
// to stop citing each.

// citedItem is an item an event cites, as its organisers' page lists it.
type citedItem struct {
	ID        int64
	Title     string
	URL       string
	Published bool
}

// eventCitations are the items the event cites, for its organisers' page.
func (s *server) eventCitations(c *fiber.Ctx, eventID int64) ([]citedItem, error) {
	ctx := c.UserContext()
	ids, err := s.events.CitedItems(ctx, eventID)
	if err != nil {
		return nil, err
	}
	items, err := s.library.ItemsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]citedItem, len(items))
	for i, it := range items {
		out[i] = citedItem{ID: it.ID, Title: it.Title, URL: itemPath(it.ID), Published: it.Status == library.StatusPublished}
	}
	return out, nil
}

// citeForm is the body of the form that cites an item: its id or the
// address of its page (https://…/library/items/42).
type citeForm struct {
	Item string `form:"item"`
}

// citedItemID reads an item id from what an organiser typed or pasted;
// 0 when it names none.
func citedItemID(s string) int64 {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Path != s {
		s = u.Path // a whole address: its path
	}
	s = strings.TrimSuffix(s, "/")
	if rest, ok := strings.CutPrefix(strings.TrimPrefix(s, "/"), "library/items/"); ok {
		s = rest
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// citeItemPage is POST /manage/events/{id}/library: the event cites the
// item the form names. The events service decides who may (organisers
// and admins, until the event is closed) and what (published items).
func (s *server) citeItemPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form citeForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	itemID := citedItemID(form.Item)
	if itemID == 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderManageEvent(c, id, sessionForm{}, map[string]string{
			"item_id": s.i18n.Printer(lang(c)).T("library_speed.cite.not_an_item")})
	}
	if err := s.events.LinkItem(c.UserContext(), eventActor(c), id, itemID); err != nil {
		if !fieldError(err) {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderManageEvent(c, id, sessionForm{}, s.translateFields(c, err))
	}
	return s.redirectWithFlash(c, manageEventPath(id), "library_speed.cite.added")
}

// uncitePage is POST /manage/events/{id}/library/{item_id}/remove.
func (s *server) uncitePage(c *fiber.Ctx) error {
	id, itemID, err := paramIDs(c, "id", "item_id")
	if err != nil {
		return err
	}
	if err := s.events.UnlinkItem(c.UserContext(), eventActor(c), id, itemID); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageEventPath(id), "library_speed.cite.removed")
}
