package app

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
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
	Course *courses.Course
	Module *courses.Module
	// Article (breadcrumb and module) and Navigation (links to the
	// neighbours) are partials/module_article and module_nav, kept.
	Article, Navigation template.HTML
	Next                *courses.Module
	Editor              bool
	// Preview: an editor who is not enrolled reads the module as
	// learners will; the page says so, with a link to edit it.
	Preview bool
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

// readModulePage is the module page's statement (readsSession): it
// reads the session's user with the module (courses.ReadModuleBodyForSession),
// where every other page looks the session up first. With no reader (a
// malformed address, or the statement found nobody signed in, or no such
// course, where it reads no row) the page is showModulePageSignedIn.
func (s *server) readModulePage(c *fiber.Ctx, token string) (*accounts.User, func() error, error) {
	ref, err := courseRef(c, "ref")
	mid, midErr := paramID(c, "mid")
	if err != nil || midErr != nil {
		return nil, nil, nil // the usual way says what is wrong
	}
	known, _ := s.moduleBodies.get(mid)
	u, r, err := s.courses.ReadModuleBodyForSession(c.UserContext(), token, ref, mid, known.version)
	return u, func() error { return s.renderModulePage(c, r, known) }, err
}

// showModulePageSignedIn is the module page for the user the session
// lookup found, its reading a statement of its own.
func (s *server) showModulePageSignedIn(c *fiber.Ctx) error {
	ref, err := courseRef(c, "ref")
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	known, _ := s.moduleBodies.get(mid)
	r, err := s.courses.ReadModuleBody(c.UserContext(), actor(c), ref, mid, known.version)
	if err != nil {
		return err
	}
	return s.renderModulePage(c, r, known)
}

// renderModulePage renders what the module page's statement read, with
// the body kept as known when it is still the module's.
func (s *server) renderModulePage(c *fiber.Ctx, r *courses.Reading, known kept) error {
	quizzes, err := s.moduleQuizzes(c, r)
	if err != nil {
		return err
	}
	p := s.page(c, "courses.module.title")
	p.Title = r.Module.Title + " · " + r.Access.Course.Title
	p.Nav = "catalog"
	parts, err := s.moduleView(p, r, known)
	if err != nil {
		return err
	}
	return s.render(c, "pages/courses/module", modulePage{
		Done: r.Done, Quizzes: quizzes,
		Page: p, Course: r.Access.Course, Module: r.Module, Article: parts[0], Navigation: parts[1], Next: r.Next,
		Editor: r.Access.CanEdit(), Enrolment: r.Access.Enrolment, Preview: r.Access.CanEdit() && r.Access.Enrolment == nil,
		CanComplete: r.Access.Enrolment != nil && r.Module.ArchivedAt == nil,
	})
}

// moduleView is what partials/module_article and module_nav print: the
// same for every reader of a module version in a language.
type moduleView struct {
	Lang string
	// CSS is the URL of courses.css, the same for the process.
	CSS        string
	Course     *courses.Course
	Module     *courses.Module
	Body       template.HTML
	Prev, Next *courses.Module
	Position   int
	Count      int
	tr         i18n.Printer
}

// T translates a catalog key into the page's language.
func (v moduleView) T(key string, args ...any) string { return v.tr.T(key, args...) }

// moduleViewKey is everything moduleView's partials print, as the
// page's statement read it: the module by its version.
type moduleViewKey struct {
	Lang                         string
	ModuleID                     int64
	Version                      string
	CourseSlug, CourseTitle, Lng string
	Position, Count              int
	PrevID, NextID               int64
	PrevTitle, NextTitle         string
}

// moduleView returns the module's article and navigation for p's
// language, rendered once per moduleViewKey and kept; the body comes
// from known when the statement found the module still at its version.
func (s *server) moduleView(p Page, r *courses.Reading, known kept) ([]template.HTML, error) {
	co := r.Access.Course
	key := moduleViewKey{Lang: p.Lang, ModuleID: r.Module.ID, Version: r.BodyVersion,
		CourseSlug: co.Slug, CourseTitle: co.Title, Lng: co.Language, Position: r.Position, Count: r.Count}
	if r.Prev != nil {
		key.PrevID, key.PrevTitle = r.Prev.ID, r.Prev.Title
	}
	if r.Next != nil {
		key.NextID, key.NextTitle = r.Next.ID, r.Next.Title
	}
	if v, ok := s.moduleViews.get(key); ok {
		return v.parts, nil
	}
	var body template.HTML
	if r.SameBody {
		body = known.parts[0]
	} else {
		// body_html was sanitised by courses.RenderMarkdown when the module
		// was saved; it is the only way it is ever written. Only src
		// attributes of course files change, within the quotes.
		body = template.HTML(pageImages(r.Module.BodyHTML)) //nolint:gosec // sanitised on save
		s.moduleBodies.put(r.Module.ID, r.BodyVersion, body)
	}
	v := moduleView{Lang: p.Lang, CSS: s.static.url("courses.css"), Course: co, Module: r.Module, Body: body, Prev: r.Prev, Next: r.Next,
		Position: r.Position, Count: r.Count, tr: p.tr}
	article, err := s.views.partial("partials/module_article", v)
	if err != nil {
		return nil, err
	}
	nav, err := s.views.partial("partials/module_nav", v)
	if err != nil {
		return nil, err
	}
	s.moduleViews.put(key, r.BodyVersion, article, nav)
	return []template.HTML{article, nav}, nil
}
