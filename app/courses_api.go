package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// The JSON API of courses and modules (../shared/API.md, Courses). The
// rules are the same calls the pages make.

// showCourse is GET /api/v1/courses/{id}: a course with its instructors
// and module outline. Editors also see archived modules, marked so.
func (s *server) showCourse(c *fiber.Ctx) error {
	acc, err := s.courseAccess(c, "id")
	if err != nil {
		return err
	}
	return s.courseDetail(c, acc, fiber.StatusOK)
}

func (s *server) courseDetail(c *fiber.Ctx, acc *courses.Access, status int) error {
	ctx := c.UserContext()
	var mods []courses.Module
	var err error
	if acc.CanEdit() {
		mods, err = s.courses.EditModules(ctx, acc.Actor, acc.Course.ID)
	} else {
		mods, err = s.courses.Outline(ctx, acc)
	}
	if err != nil {
		return err
	}
	instructors, err := s.courses.Instructors(ctx, acc.Course.ID)
	if err != nil {
		return err
	}
	out := courseDetailJSON{courseJSON: s.courseJSON(acc.Course), Modules: make([]moduleRefJSON, len(mods))}
	out.Instructors = people(instructors)
	for i, m := range mods {
		out.Modules[i] = moduleRefJSON{ID: m.ID, Title: m.Title, Position: m.Position, EstimatedMinutes: m.EstimatedMinutes, Archived: m.ArchivedAt != nil}
	}
	return c.Status(status).JSON(out)
}

// createCourse is POST /api/v1/courses: a new draft.
func (s *server) createCourse(c *fiber.Ctx) error {
	var form courseForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	co, err := s.courses.CreateCourse(c.UserContext(), actor(c), form.params())
	if err != nil {
		return err
	}
	acc, err := s.courses.Access(c.UserContext(), actor(c), co.ID)
	if err != nil {
		return err
	}
	return s.courseDetail(c, acc, fiber.StatusCreated)
}

// updateCourse is PATCH /api/v1/courses/{id}: fields left out keep their
// value, instructor_ids included.
func (s *server) updateCourse(c *fiber.Ctx) error {
	acc, err := s.courseAccess(c, "id")
	if err != nil {
		return err
	}
	if !acc.CanEdit() {
		return errForbidden
	}
	ctx := c.UserContext()
	instructors, err := s.courses.Instructors(ctx, acc.Course.ID)
	if err != nil {
		return err
	}
	form := formOf(acc.Course, instructors)
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if form.InstructorIDs == nil { // "instructor_ids": null
		form.InstructorIDs = formOf(acc.Course, instructors).InstructorIDs
	}
	if _, err := s.courses.UpdateCourse(ctx, actor(c), acc.Course.ID, form.params()); err != nil {
		return err
	}
	if acc, err = s.courses.Access(ctx, actor(c), acc.Course.ID); err != nil {
		return err
	}
	return s.courseDetail(c, acc, fiber.StatusOK)
}

// publishCourse is POST /api/v1/courses/{id}/publish; 422 without a module.
func (s *server) publishCourse(c *fiber.Ctx) error {
	return s.courseTransition(c, s.courses.Publish)
}

// archiveCourse is POST /api/v1/courses/{id}/archive.
func (s *server) archiveCourse(c *fiber.Ctx) error {
	return s.courseTransition(c, s.courses.Archive)
}

func (s *server) courseTransition(c *fiber.Ctx, change func(ctx context.Context, a courses.Actor, id int64) (*courses.Course, error)) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := change(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	acc, err := s.courses.Access(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return s.courseDetail(c, acc, fiber.StatusOK)
}

// createModule is POST /api/v1/courses/{id}/modules; position puts it
// among the others (1 is first), absent puts it last.
func (s *server) createModule(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form moduleForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	m, err := s.courses.CreateModule(c.UserContext(), actor(c), id, form.params())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(moduleJSONFor(m, true))
}

// showModule is GET /api/v1/courses/{id}/modules/{mid}: for enrolled
// learners, the course's instructors and admins; body_html is sanitised.
func (s *server) showModule(c *fiber.Ctx) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	r, err := s.courses.ReadModule(c.UserContext(), actor(c), courses.CourseRef{ID: id}, mid)
	if err != nil {
		return err
	}
	out := moduleJSONFor(r.Module, r.Access.CanEdit())
	if r.Prev != nil {
		out.PrevID = &r.Prev.ID
	}
	if r.Next != nil {
		out.NextID = &r.Next.ID
	}
	return c.JSON(out)
}

// updateModule is PATCH /api/v1/courses/{id}/modules/{mid}: fields left
// out keep their value; a position moves the module there.
func (s *server) updateModule(c *fiber.Ctx) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m, err := s.courses.EditModule(ctx, actor(c), id, mid)
	if err != nil {
		return err
	}
	form := moduleForm{Title: m.Title, BodyMarkdown: m.BodyMarkdown, EstimatedMinutes: m.EstimatedMinutes}
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if m, err = s.courses.UpdateModule(ctx, actor(c), id, mid, form.params()); err != nil {
		return err
	}
	if form.Position != nil && *form.Position != m.Position {
		if m, err = s.courses.MoveModule(ctx, actor(c), id, mid, *form.Position); err != nil {
			return err
		}
	}
	return c.JSON(moduleJSONFor(m, true))
}

// deleteModule is DELETE /api/v1/courses/{id}/modules/{mid}; 409 once
// anyone has enrolled (archive it instead).
func (s *server) deleteModule(c *fiber.Ctx) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	if err := s.courses.DeleteModule(c.UserContext(), actor(c), id, mid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// archiveModule is POST /api/v1/courses/{id}/modules/{mid}/archive.
func (s *server) archiveModule(c *fiber.Ctx) error {
	return s.moduleChange(c, s.courses.ArchiveModule)
}

// restoreModule is POST /api/v1/courses/{id}/modules/{mid}/restore.
func (s *server) restoreModule(c *fiber.Ctx) error {
	return s.moduleChange(c, s.courses.RestoreModule)
}

func (s *server) moduleChange(c *fiber.Ctx, change func(ctx context.Context, a courses.Actor, id, mid int64) (*courses.Module, error)) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	m, err := change(c.UserContext(), actor(c), id, mid)
	if err != nil {
		return err
	}
	return c.JSON(moduleJSONFor(m, true))
}

// listCourses is GET /api/v1/courses: the published catalogue.
func (s *server) listCourses(c *fiber.Ctx) error {
	q, err := catalogQuery(c)
	if err != nil {
		return err
	}
	items, total, err := s.courses.Catalog(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := make([]courseJSON, len(items))
	for i := range items {
		out[i] = s.courseJSON(&items[i])
	}
	return c.JSON(list[courseJSON]{Items: out, Total: total})
}

// announce is the API face of announcePage.
func (s *server) announce(c *fiber.Ctx) error {
	a, err := s.announceFrom(c)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}
