package app

import "github.com/gofiber/fiber/v2"

// eventForumPage sends the member to an event's forum (/events/{id}/forum),
// made on first use; who may not read it gets 404, as for any forum.
func (s *server) eventForumPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.forums.EventForum(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Redirect(forumPath(v.Forum.ID), fiber.StatusSeeOther)
}
