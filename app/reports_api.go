package app

import "github.com/gofiber/fiber/v2"

// gradebook answers a page of a course's gradebook (API).
func (s *server) gradebook(c *fiber.Ctx) error {
	q, err := gradebookQuery(c)
	if err != nil {
		return err
	}
	gb, err := s.reports.Gradebook(c.UserContext(), actor(c), q)
	if err != nil {
		return err
	}
	return c.JSON(gradebookJSON{Course: reportCourse{ID: gb.Course.ID, Slug: gb.Course.Slug, Title: gb.Course.Title},
		Quizzes: nonNil(gb.Quizzes), Items: nonNil(gb.Rows), Next: gb.Next})
}

// institutionReportJSON answers an institution's report (API).
func (s *server) institutionReportJSON(c *fiber.Ctx) error {
	r, err := s.institutionReport(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"institution": r.Institution, "year": r.Year, "by_course": nonNil(r.ByCourse), "by_month": r.ByMonth, "total": r.Total})
}

// networkReportJSON answers the network's report (API).
func (s *server) networkReportJSON(c *fiber.Ctx) error {
	r, err := s.networkReport(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"year": r.Year, "by_country": nonNil(r.ByCountry), "by_institution": nonNil(r.ByInstitution),
		"by_language": nonNil(r.ByLanguage), "total": r.Total})
}
