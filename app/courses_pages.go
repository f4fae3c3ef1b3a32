package app

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// coursePage is a course as learners see it; its editors see the same,
// with a note that they are previewing.
type coursePage struct {
	Page
	Course      *courses.Course
	CoverURL    string
	Instructors []accounts.User
	Modules     []courses.Module
	// Editor: the viewer may edit the course (a link to the authoring page
	// and the preview note are shown).
	Editor bool
	// CanRead: module titles link to the modules.
	CanRead bool
	// Enrolment is the viewer's active or completed enrolment, or nil: the
	// page shows progress and "continue", or the enrol button.
	Enrolment *courses.Enrolment
	// TotalMinutes adds up the modules' estimates.
	TotalMinutes int
	// Done holds the modules the viewer completed; Continue is the first
	// one left ("continue where you left off").
	Done     map[int64]bool
	Continue *courses.Module
	// Quizzes of the course, with the viewer's standing.
	Quizzes quizSection
	// Announcements of the course (courses_announcements_pages.go).
	Announcements announcementSection
	// Reading: the library items the course cites (courses_reading_pages.go).
	Reading readingSection
}

func (s *server) showCoursePage(c *fiber.Ctx) error {
	ref, err := courseRef(c, "ref")
	if err != nil {
		return err
	}
	v, err := s.courses.ViewCourse(c.UserContext(), actor(c), ref)
	if err != nil {
		return err
	}
	acc, mods := v.Access, v.Modules
	// The same for every visitor; a learner's or editor's page is theirs.
	var p Page
	if acc.Actor.SignedIn() {
		p = s.page(c, "courses.course.title")
	} else {
		p = s.publicPage(c, "courses.course.title")
	}
	p.Title = acc.Course.Title
	p.Nav = "catalog"
	page := coursePage{Page: p, Course: acc.Course, CoverURL: coverURL(acc.Course), Instructors: v.Instructors, Modules: mods,
		Editor: acc.CanEdit(), CanRead: acc.CanRead(), Enrolment: acc.Enrolment, Done: v.Done}
	if page.Quizzes, err = s.courseQuizzes(c, acc); err != nil {
		return err
	}
	page.Announcements = s.courseAnnouncements(p, acc, v.Announcements)
	if page.Reading, err = s.courseReading(c.UserContext(), p, acc.Course.ID); err != nil {
		return err
	}
	for i, m := range mods {
		page.TotalMinutes += m.EstimatedMinutes
		if acc.Enrolment != nil && page.Continue == nil && !page.Done[m.ID] {
			page.Continue = &mods[i]
		}
	}
	return s.renderPublic(c, "pages/courses/show", p, page)
}

// modulePage is one module as learners read it.
type modulePage struct {
	Page
	Course     *courses.Course
	Module     *courses.Module
	Body       template.HTML
	Prev, Next *courses.Module
	Position   int
	Count      int
	Editor     bool
	// Enrolment is the reader's enrolment, nil for an editor previewing.
	Enrolment *courses.Enrolment
	// CanComplete: the reader is an enrolled learner who may mark the
	// module complete; the page shows the mark-as-complete button.
	CanComplete bool
	// Done: the reader completed this module already.
	Done bool
	// Quizzes attached to this module.
	Quizzes quizSection
}

func (s *server) showModulePage(c *fiber.Ctx) error {
	ref, err := courseRef(c, "ref")
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	kept, _ := s.moduleBodies.get(mid)
	r, err := s.courses.ReadModuleBody(c.UserContext(), actor(c), ref, mid, kept.version)
	if err != nil {
		return err
	}
	body := kept.html
	if !r.SameBody {
		// body_html was sanitised by courses.RenderMarkdown when the module
		// was saved; it is the only way it is ever written. Only src
		// attributes of course files change, within the quotes.
		body = template.HTML(pageImages(r.Module.BodyHTML)) //nolint:gosec // sanitised on save
		s.moduleBodies.put(mid, r.BodyVersion, body)
	}
	quizzes, err := s.moduleQuizzes(c, r)
	if err != nil {
		return err
	}
	p := s.page(c, "courses.module.title")
	p.Title = r.Module.Title + " · " + r.Access.Course.Title
	p.Nav = "catalog"
	return s.render(c, "pages/courses/module", modulePage{
		Done: r.Done, Quizzes: quizzes,
		Page: p, Course: r.Access.Course, Module: r.Module, Body: body,
		Prev: r.Prev, Next: r.Next, Position: r.Position, Count: r.Count,
		Editor: r.Access.CanEdit(), Enrolment: r.Access.Enrolment,
		CanComplete: r.Access.Enrolment != nil && r.Module.ArchivedAt == nil,
	})
}
