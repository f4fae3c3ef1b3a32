package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/locales"
	"github.com/aula-platform/aula/reports"
)

type homePage struct {
	Page
	// Home is a signed-in person's dashboard (nil for visitors).
	Home         *reports.LearnerHome
	Deadlines    []deadlineView
	Certificates []latestView
	Newest       []cardView
	InProgress   []cardView
}

type deadlineView struct {
	reports.Deadline
	When, URL string
}

// cardView is a course card: its course, cover and, for an enrolment, its
// progress and next module.
type cardView struct {
	Course   courses.Course
	Cover    string
	Progress int
	Next     *courses.Module
}

func (s *server) home(c *fiber.Ctx) error {
	p := homePage{Page: s.page(c, "home.title")}
	if u := currentUser(c); u != nil {
		h, err := s.reports.LearnerHome(c.UserContext(), actor(c), locales.Base(p.Lang))
		if err != nil {
			return err
		}
		p.Home = h
		for _, m := range h.InProgress {
			p.InProgress = append(p.InProgress, cardView{Course: m.Course, Cover: cardURL(&m.Course), Progress: m.Enrolment.ProgressPercent, Next: m.Next})
		}
		for _, d := range h.Deadlines {
			p.Deadlines = append(p.Deadlines, deadlineView{Deadline: d, When: p.Time(d.Deadline), URL: attemptPath(d.AttemptID)})
		}
		for _, l := range h.Certificates {
			p.Certificates = append(p.Certificates, latestView{LatestCertificate: l, Issued: p.Time(l.IssuedAt)})
		}
		for _, co := range h.Newest {
			p.Newest = append(p.Newest, cardView{Course: co, Cover: cardURL(&co)})
		}
	}
	return s.render(c, "pages/home", p)
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
		p.Latest = append(p.Latest, latestView{LatestCertificate: l, Issued: p.Time(l.IssuedAt)})
	}
	months := newFiguresTable(p.Page, reports.ByMonth, s.namedMonths(p.Page, d.ByMonth), "", nil)
	p.Chart = completionsChart(p.Page, months.Rows)
	return s.render(c, "pages/admin/index", p)
}
