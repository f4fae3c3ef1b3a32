package app

import "github.com/gofiber/fiber/v2"

// listImports is GET /api/v1/courses/{id}/enrolments/imports.
func (s *server) listImports(c *fiber.Ctx) error {
	imports, _, _, err := s.importsOf(c)
	if err != nil {
		return err
	}
	items := make([]importJSON, len(imports.Items))
	for i, imp := range imports.Items {
		items[i] = s.importJSON(imp)
	}
	return c.JSON(list[importJSON]{Items: items, Total: imports.Total})
}

// showImport is GET /api/v1/courses/{id}/enrolments/imports/{n}.
func (s *server) showImport(c *fiber.Ctx) error {
	report, err := s.importOf(c)
	if err != nil {
		return err
	}
	out := s.importJSON(report.Import)
	out.NewAccounts = s.importAccounts(report.Accounts)
	return c.JSON(out)
}
