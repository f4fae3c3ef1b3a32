package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// The module pages of the authoring side: form, move up/down, archive,
// restore and delete. Moving is a POST form with a button, no JavaScript.

type moduleFormPage struct {
	Page
	Course *courses.Course
	ID     int64
	Form   moduleForm
	Errors map[string]string
	// Assets are the course's files, with the URLs to use in the Markdown.
	Assets []assetView
}

func (s *server) renderModuleForm(c *fiber.Ctx, acc *courses.Access, id int64, form moduleForm, errs map[string]string) error {
	assets, err := s.courses.Assets(c.UserContext(), actor(c), acc.Course.ID)
	if err != nil {
		return err
	}
	page := moduleFormPage{Page: s.managePage(c, "courses.module_form.new_title"), Course: acc.Course, ID: id,
		Form: form, Errors: errs, Assets: assetViews(assets)}
	if id != 0 {
		page.Title = page.T("courses.module_form.edit_title", form.Title)
	}
	return s.render(c, "pages/courses/module_form", page)
}

func (s *server) newModulePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	return s.renderModuleForm(c, acc, 0, moduleForm{EstimatedMinutes: 30}, nil)
}

func (s *server) createModulePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	var form moduleForm
	err = parseBody(c, &form)
	if err == nil {
		if _, err = s.courses.CreateModule(c.UserContext(), actor(c), acc.Course.ID, form.params()); err == nil {
			return s.redirectWithFlash(c, managePath(acc.Course.ID)+"#modules", "courses.flash.module_created")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderModuleForm(c, acc, 0, form, s.translateFields(c, err))
}

func (s *server) editModulePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	m, err := s.courses.EditModule(c.UserContext(), actor(c), acc.Course.ID, mid)
	if err != nil {
		return err
	}
	return s.renderModuleForm(c, acc, mid, moduleForm{Title: m.Title, BodyMarkdown: m.BodyMarkdown, EstimatedMinutes: m.EstimatedMinutes}, nil)
}

func (s *server) updateModulePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	var form moduleForm
	err = parseBody(c, &form)
	if err == nil {
		if _, err = s.courses.UpdateModule(c.UserContext(), actor(c), acc.Course.ID, mid, form.params()); err == nil {
			return s.redirectWithFlash(c, managePath(acc.Course.ID)+"#modules", "flash.saved")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderModuleForm(c, acc, mid, form, s.translateFields(c, err))
}

type moveForm struct {
	Direction string `form:"direction" validate:"required,oneof=up down"`
}

// moveModulePage moves a module one place up or down.
func (s *server) moveModulePage(c *fiber.Ctx) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	var form moveForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	delta := 1
	if form.Direction == "up" {
		delta = -1
	}
	if _, err := s.courses.ShiftModule(c.UserContext(), actor(c), acc.Course.ID, mid, delta); err != nil {
		return err
	}
	// No flash: the list shows the new order, and focus returns to it.
	return c.Redirect(managePath(acc.Course.ID)+"#modules", fiber.StatusSeeOther)
}

// moduleAction runs an action on the :mid module of the :id course and
// comes back to the dashboard.
func (s *server) moduleAction(c *fiber.Ctx, flashKey string, do func(acc *courses.Access, mid int64) error) error {
	acc, err := s.editAccess(c)
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	return s.afterAction(c, acc, do(acc, mid), flashKey)
}

func (s *server) archiveModulePage(c *fiber.Ctx) error {
	return s.moduleAction(c, "courses.flash.module_archived", func(acc *courses.Access, mid int64) error {
		_, err := s.courses.ArchiveModule(c.UserContext(), actor(c), acc.Course.ID, mid)
		return err
	})
}

func (s *server) restoreModulePage(c *fiber.Ctx) error {
	return s.moduleAction(c, "courses.flash.module_restored", func(acc *courses.Access, mid int64) error {
		_, err := s.courses.RestoreModule(c.UserContext(), actor(c), acc.Course.ID, mid)
		return err
	})
}

func (s *server) deleteModulePage(c *fiber.Ctx) error {
	return s.moduleAction(c, "courses.flash.module_deleted", func(acc *courses.Access, mid int64) error {
		return s.courses.DeleteModule(c.UserContext(), actor(c), acc.Course.ID, mid)
	})
}
