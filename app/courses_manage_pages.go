package app

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// The authoring pages, under /manage/courses, for instructors and admins.

// editAccess returns the course of the :id route parameter if the user may
// edit it: a draft they cannot see is 404, a course they can see but not
// edit is 403.
func (s *server) editAccess(c *fiber.Ctx) (*courses.Access, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	acc, err := s.courses.Access(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, err
	}
	if !acc.CanEdit() {
		return nil, errForbidden
	}
	return acc, nil
}

func (s *server) managePage(c *fiber.Ctx, titleKey string) Page {
	p := s.page(c, titleKey)
	p.Nav = "teaching"
	return p
}

type teachingPage struct {
	Page
	Items []courses.Course
	Pager pager
}

// teachingPage lists the courses the user may edit: their own, or every
// course for admins.
func (s *server) teachingPage(c *fiber.Ctx) error {
	limit, offset := pagination(c)
	items, total, err := s.courses.Teaching(c.UserContext(), actor(c), limit, offset)
	if err != nil {
		return err
	}
	return s.render(c, "pages/courses/teaching", teachingPage{Page: s.managePage(c, "courses.teaching.title"),
		Items: items, Pager: newPager(c, total, limit, offset)})
}

type courseFormPage struct {
	Page
	ID              int64
	Course          *courses.Course
	Form            courseForm
	Errors          map[string]string
	CourseLanguages []string
	// Teachers are the users who may be chosen as instructors.
	Teachers []accounts.User
	// Images are the course's image files, to choose a cover from.
	Images []courses.Asset
}

// Validity is the certificate validity field's value: empty for "never
// expires".
func (p courseFormPage) Validity() string {
	if v := p.Form.CertificateValidityMonths; v != nil {
		return strconv.Itoa(*v)
	}
	return ""
}

// Selected reports whether a user is among the form's instructors.
func (p courseFormPage) Selected(id int64) bool { return slices.Contains(p.Form.InstructorIDs, id) }

// teachers returns the enabled instructors and admins, for choosing a
// course's instructors. Networks have tens of them, not thousands.
func (s *server) teachers(c *fiber.Ctx) ([]accounts.User, error) {
	var out []accounts.User
	for _, role := range []accounts.Role{accounts.RoleInstructor, accounts.RoleAdmin} {
		users, _, err := s.accounts.Users(c.UserContext(), accounts.UserFilter{Role: role, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if !u.Disabled {
				out = append(out, u)
			}
		}
	}
	slices.SortFunc(out, func(a, b accounts.User) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}

// renderCourseForm shows the course form: acc is nil for a new course.
func (s *server) renderCourseForm(c *fiber.Ctx, acc *courses.Access, form courseForm, errs map[string]string) error {
	teachers, err := s.teachers(c)
	if err != nil {
		return err
	}
	page := courseFormPage{Page: s.managePage(c, "courses.form.new_title"), Form: form, Errors: errs,
		CourseLanguages: courses.Languages, Teachers: teachers}
	if acc != nil {
		page.Title = page.T("courses.form.edit_title", acc.Course.Title)
		page.ID, page.Course = acc.Course.ID, acc.Course
		assets, err := s.courses.Assets(c.UserContext(), actor(c), acc.Course.ID)
		if err != nil {
			return err
		}
		for _, a := range assets {
			if a.IsImage() {
				page.Images = append(page.Images, a)
			}
		}
	}
	return s.render(c, "pages/courses/course_form", page)
}

func (s *server) newCoursePage(c *fiber.Ctx) error {
	form := courseForm{Language: lang(c)}
	if u := currentUser(c); u != nil && u.Role == accounts.RoleInstructor {
		form.InstructorIDs = []int64{u.ID}
	}
	return s.renderCourseForm(c, nil, form, nil)
}

func (s *server) createCoursePage(c *fiber.Ctx) error {
	var form courseForm
	err := parseBody(c, &form)
	if err == nil {
		var co *courses.Course
		if co, err = s.courses.CreateCourse(c.UserContext(), actor(c), form.params()); err == nil {
			return s.redirectWithFlash(c, managePath(co.ID), "courses.flash.created")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderCourseForm(c, nil, form, s.translateFields(c, err))
}

func (s *server) editCoursePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	instructors, err := s.courses.Instructors(c.UserContext(), acc.Course.ID)
	if err != nil {
		return err
	}
	return s.renderCourseForm(c, acc, formOf(acc.Course, instructors), nil)
}

func (s *server) updateCoursePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	var form courseForm
	err = parseBody(c, &form)
	if err == nil {
		// The form always shows the instructors: none chosen means none,
		// which the service refuses, not "keep them".
		if form.InstructorIDs == nil {
			form.InstructorIDs = []int64{}
		}
		if _, err = s.courses.UpdateCourse(c.UserContext(), actor(c), acc.Course.ID, form.params()); err == nil {
			return s.redirectWithFlash(c, managePath(acc.Course.ID), "flash.saved")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderCourseForm(c, acc, form, s.translateFields(c, err))
}

// manageCoursePage is a course's authoring dashboard: status, modules in
// order with their buttons, files and the upload form.
type manageCoursePage struct {
	Page
	Course      *courses.Course
	CoverURL    string
	Instructors []accounts.User
	Modules     []courses.Module
	Assets      []assetView
	// Uploaded is the file just uploaded, whose URL is shown for Markdown.
	Uploaded *assetView
	// HasEnrolments: modules can only be archived, not deleted.
	HasEnrolments bool
	// Error explains why the last action was refused.
	Error string
	// FileError explains why an upload was refused.
	FileError   string
	MaxUploadMB int64
	// Quizzes of the course, with edit and results links.
	Quizzes quizSection
}

// renderManage shows the dashboard; actionErr (may be nil) is the reason
// the action just tried was refused, shown above everything.
func (s *server) renderManage(c *fiber.Ctx, acc *courses.Access, actionErr error, fileErr error) error {
	ctx := c.UserContext()
	co := acc.Course
	mods, err := s.courses.EditModules(ctx, actor(c), co.ID)
	if err != nil {
		return err
	}
	assets, err := s.courses.Assets(ctx, actor(c), co.ID)
	if err != nil {
		return err
	}
	instructors, err := s.courses.Instructors(ctx, co.ID)
	if err != nil {
		return err
	}
	enrolled, err := s.courses.HasEnrolments(ctx, co.ID)
	if err != nil {
		return err
	}
	page := manageCoursePage{Page: s.managePage(c, "courses.manage.title"), Course: co, CoverURL: coverURL(co),
		Instructors: instructors, Modules: mods, Assets: assetViews(assets), HasEnrolments: enrolled,
		MaxUploadMB: s.courses.UploadMaxBytes() >> 20}
	page.Title = co.Title
	if page.Quizzes, err = s.courseQuizzes(c, acc); err != nil {
		return err
	}
	if uploaded, err := strconv.ParseInt(c.Query("uploaded"), 10, 64); err == nil {
		for i := range page.Assets {
			if page.Assets[i].ID == uploaded {
				page.Uploaded = &page.Assets[i]
			}
		}
	}
	tr := s.i18n.Printer(lang(c))
	if actionErr != nil {
		he, _ := asHTTPError(actionErr)
		page.Error = tr.T(he.Msg.Key, he.Msg.Args...)
		c.Status(he.Status)
	}
	if fileErr != nil {
		he, _ := asHTTPError(fileErr)
		page.FileError = tr.T(he.Msg.Key, he.Msg.Args...)
		if f, ok := he.Fields["file"]; ok {
			page.FileError = tr.T(f.Key, f.Args...)
		}
		c.Status(he.Status)
	}
	return s.render(c, "pages/courses/manage", page)
}

func (s *server) manageCoursePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	return s.renderManage(c, acc, nil, nil)
}

// refusedAction reports whether err is a rule the author can act on (a
// publish without modules, a delete with enrolments), shown on the
// dashboard rather than an error page.
func refusedAction(err error) bool {
	for _, target := range []error{courses.ErrNoModules, courses.ErrLastModule, courses.ErrHasEnrolments, courses.ErrInvalidTransition} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// afterAction redirects to the dashboard with flashKey when err is nil,
// shows the dashboard with the reason when the action was refused, and
// passes other errors on.
func (s *server) afterAction(c *fiber.Ctx, acc *courses.Access, err error, flashKey string) error {
	if err == nil {
		return s.redirectWithFlash(c, managePath(acc.Course.ID), flashKey)
	}
	if !refusedAction(err) {
		return err
	}
	// The action may have changed nothing, but read the course again so
	// the page shows where it stands.
	fresh, ferr := s.courses.Access(c.UserContext(), actor(c), acc.Course.ID)
	if ferr != nil {
		return ferr
	}
	return s.renderManage(c, fresh, err, nil)
}

func (s *server) publishCoursePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	_, err = s.courses.Publish(c.UserContext(), actor(c), acc.Course.ID)
	return s.afterAction(c, acc, err, "courses.flash.published")
}

func (s *server) archiveCoursePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	_, err = s.courses.Archive(c.UserContext(), actor(c), acc.Course.ID)
	return s.afterAction(c, acc, err, "courses.flash.archived")
}
