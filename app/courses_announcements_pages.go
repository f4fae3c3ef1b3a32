package app

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// Announcements: an instructor writes to everyone enrolled in a course
// (courses.Service.Announce, which notify turns into notices); the course
// page lists the newest, and gives its editors the form.

// announcementSection is the course page's list of announcements.
type announcementSection struct {
	Page
	Course *courses.Course
	Items  []announcementItem
	// Editor: the viewer may announce.
	Editor bool
}

type announcementItem struct {
	ID    int64
	Title string
	When  string
	Body  template.HTML
}

// courseAnnouncements builds the section for a course the viewer sees.
func (s *server) courseAnnouncements(p Page, acc *courses.Access, list []courses.Announcement) announcementSection {
	sec := announcementSection{Page: p, Course: acc.Course, Editor: acc.CanEdit()}
	for _, a := range list {
		sec.Items = append(sec.Items, announcementItem{ID: a.ID, Title: a.Title, When: s.clockTime(a.CreatedAt),
			// Sanitised by courses.RenderMarkdown when it was written.
			Body: template.HTML(a.BodyHTML)})
	}
	return sec
}

type announcementForm struct {
	Title string `form:"title" json:"title" validate:"required,max=200"`
	Body  string `form:"body" json:"body_markdown" validate:"max=20000"`
}

// announceFrom publishes the announcement of a form or JSON body to the
// course of the path; pages and API share it.
func (s *server) announceFrom(c *fiber.Ctx) (*courses.Announcement, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	var form announcementForm
	if err := parseBody(c, &form); err != nil {
		return nil, err
	}
	if err := validateStruct(form); err != nil {
		return nil, err
	}
	return s.courses.Announce(c.UserContext(), actor(c), id, courses.AnnouncementParams{Title: form.Title, BodyMarkdown: form.Body})
}

// announcePage publishes an announcement from the course page's form.
func (s *server) announcePage(c *fiber.Ctx) error {
	a, err := s.announceFrom(c)
	if err != nil {
		return err
	}
	// The course page (an id is a course reference) shows it first.
	return s.redirectWithFlash(c, "/courses/"+strconv.FormatInt(a.CourseID, 10)+"#announcement-"+strconv.FormatInt(a.ID, 10), "notify.announcement.sent")
}
