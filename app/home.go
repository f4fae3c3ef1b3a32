package app

import "github.com/gofiber/fiber/v2"

type homePage struct {
	Page
}

func (s *server) home(c *fiber.Ctx) error {
	return s.render(c, "pages/home", homePage{Page: s.page(c, "home.title")})
}

func (s *server) adminIndex(c *fiber.Ctx) error {
	p := s.page(c, "admin.title")
	p.Nav = "admin"
	return s.render(c, "pages/admin/index", homePage{Page: p})
}
