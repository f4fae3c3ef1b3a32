package app

import "github.com/gofiber/fiber/v2"

// uploadAsset is POST /api/v1/courses/{id}/assets, a multipart/form-data
// body with the file in "file".
func (s *server) uploadAsset(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	a, err := s.upload(c, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.assetJSON(*a))
}

func (s *server) listAssets(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	assets, err := s.courses.Assets(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	out := make([]assetJSON, len(assets))
	for i, a := range assets {
		out[i] = s.assetJSON(a)
	}
	return c.JSON(list[assetJSON]{Items: out, Total: len(out)})
}

func (s *server) deleteAsset(c *fiber.Ctx) error {
	id, aid, err := paramIDs(c, "id", "aid")
	if err != nil {
		return err
	}
	if err := s.courses.DeleteAsset(c.UserContext(), actor(c), id, aid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
