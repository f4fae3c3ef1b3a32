package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/reports"
)

type homePage struct {
	Page
}

func (s *server) home(c *fiber.Ctx) error {
	return s.render(c, "pages/home", homePage{Page: s.page(c, "home.title")})
}

// dashboardPage is the administrators' home: the network at a glance.
type dashboardPage struct {
	Page
	Dashboard *reports.Dashboard
	Latest    []latestView
	Chart     *barChart
}

type latestView struct {
	reports.LatestCertificate
	Issued string
}

func (s *server) adminIndex(c *fiber.Ctx) error {
	d, err := s.reports.Dashboard(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	p := dashboardPage{Page: s.page(c, "admin.title"), Dashboard: d}
	p.Nav = "admin"
	for _, l := range d.Latest {
		p.Latest = append(p.Latest, latestView{LatestCertificate: l, Issued: reportTime(l.IssuedAt)})
	}
	months := newFiguresTable(p.Page, reports.ByMonth, s.namedMonths(p.Page, d.ByMonth), "", nil)
	p.Chart = completionsChart(p.Page, months.Rows)
	return s.render(c, "pages/admin/index", p)
}
