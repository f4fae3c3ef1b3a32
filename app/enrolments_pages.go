package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

type enrolPage struct {
	Page
	Course *courses.Course
}

// showEnrol asks the learner to confirm before enrolling: one click on the
// course page, one to confirm, and nothing happens on a stray GET.
func (s *server) showEnrol(c *fiber.Ctx) error {
	access, err := s.courseAccess(c, "id")
	if err != nil {
		return err
	}
	if access.Enrolment != nil {
		return c.Redirect(coursePath(access.Course), fiber.StatusSeeOther)
	}
	if access.Course.Status != courses.StatusPublished {
		return courses.ErrNotPublished
	}
	return s.render(c, "pages/enrolment/enrol", enrolPage{Page: s.page(c, "enrol.title"), Course: access.Course})
}

func (s *server) enrolPage(c *fiber.Ctx) error {
	access, err := s.courseAccess(c, "id")
	if err != nil {
		return err
	}
	_, err = s.courses.EnrolSelf(c.UserContext(), actor(c), access.Course.ID)
	if errors.Is(err, courses.ErrAlreadyEnrolled) {
		return c.Redirect(coursePath(access.Course), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, coursePath(access.Course), "flash.enrolled")
}

type withdrawPage struct {
	Page
	Enrolment *courses.Enrolment
	Course    *courses.Course
}

func (s *server) showWithdraw(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.courses.LearnerEnrolment(c.UserContext(), currentUser(c).ID, id)
	if err != nil {
		return err
	}
	access, err := s.courses.Access(c.UserContext(), courses.ActorFor(currentUser(c)), e.CourseID)
	if err != nil {
		return err
	}
	return s.render(c, "pages/enrolment/withdraw", withdrawPage{Page: s.page(c, "withdraw.title"), Enrolment: e, Course: access.Course})
}

func (s *server) withdrawPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.courses.Withdraw(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/my/courses", "flash.withdrawn")
}

// completeModulePage marks a module complete from the button at its end and
// moves the learner on: to the next module, or to the course when done.
func (s *server) completeModulePage(c *fiber.Ctx) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	e, err := s.courses.CompleteModule(ctx, currentUser(c).ID, id, mid)
	if err != nil {
		return err
	}
	access, err := s.courses.Access(ctx, courses.ActorFor(currentUser(c)), e.CourseID)
	if err != nil {
		return err
	}
	if e.Status == courses.EnrolmentCompleted {
		return s.redirectWithFlash(c, coursePath(access.Course), "flash.course_completed")
	}
	if next := c.FormValue("next"); next != "" {
		return s.redirectWithFlash(c, safeNext(next), "flash.module_completed")
	}
	return s.redirectWithFlash(c, coursePath(access.Course), "flash.module_completed")
}

type myCoursesPage struct {
	Page
	Active    []courses.LearnerCourse
	Completed []courses.LearnerCourse
}

// readMyCourses is my courses' statement (readsSession): the session's
// user with their courses, one round trip (courses.MyCoursesForSession).
func (s *server) readMyCourses(c *fiber.Ctx, token string) (*accounts.User, func() error, error) {
	u, mine, err := s.courses.MyCoursesForSession(c.UserContext(), token)
	return u, func() error { return s.renderMyCourses(c, mine) }, err
}

// myCoursesPage is my courses for the user the session lookup found, the
// courses a statement of their own.
func (s *server) myCoursesPage(c *fiber.Ctx) error {
	mine, err := s.courses.MyCourses(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.renderMyCourses(c, mine)
}

func (s *server) renderMyCourses(c *fiber.Ctx, mine []courses.LearnerCourse) error {
	p := myCoursesPage{Page: s.page(c, "my_courses.title")}
	p.Nav = "my"
	for _, m := range mine {
		if m.Enrolment.Status == courses.EnrolmentCompleted {
			p.Completed = append(p.Completed, m)
		} else {
			p.Active = append(p.Active, m)
		}
	}
	return s.render(c, "pages/enrolment/my_courses", p)
}
