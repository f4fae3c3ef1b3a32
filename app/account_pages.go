package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
)

// A signed-in user's own settings: the page /account and the API's
// PATCH /api/v1/me set the same two, through accounts.SetPreferences.

// accountPath is the settings page, linked from the user's name in the header.
const accountPath = "/account"

// preferencesForm is the body of POST /account and PATCH /api/v1/me. The
// handlers fill it with the user's current values first, so a field the
// API body leaves out keeps its value.
type preferencesForm struct {
	Locale   string `json:"locale" form:"locale" validate:"required,locale"`
	TimeZone string `json:"time_zone" form:"time_zone" validate:"max=64"`
}

func (f *preferencesForm) normalize() { f.TimeZone = strings.TrimSpace(f.TimeZone) }

func (f preferencesForm) params() accounts.Preferences {
	return accounts.Preferences{Locale: f.Locale, TimeZone: f.TimeZone}
}

func preferencesOf(u *accounts.User) preferencesForm {
	return preferencesForm{Locale: u.Locale, TimeZone: u.TimeZone}
}

type accountPage struct {
	Page
	Form   preferencesForm
	Errors map[string]string
	Zones  zoneSelect
	// Example is the time now as the pages show it to this user.
	Example string
}

// showAccountPage is GET /account.
func (s *server) showAccountPage(c *fiber.Ctx) error {
	return s.renderAccountPage(c, preferencesOf(currentUser(c)), nil)
}

// saveAccountPage is POST /account: a bad zone shows the form again, 422,
// with what the user chose kept.
func (s *server) saveAccountPage(c *fiber.Ctx) error {
	form := preferencesOf(currentUser(c))
	err := parseBody(c, &form)
	if err == nil {
		_, err = s.accounts.SetPreferences(c.UserContext(), currentUser(c).ID, form.params())
	}
	if err == nil {
		// The language also outlives the session, as the switcher's does.
		c.Cookie(s.cookie(cookieLang, locales.Canonical(form.Locale), 365*24*3600))
		return s.redirectWithFlash(c, accountPath, "flash.saved")
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderAccountPage(c, form, s.translateFields(c, err))
}

func (s *server) renderAccountPage(c *fiber.Ctx, form preferencesForm, errs map[string]string) error {
	p := accountPage{Page: s.page(c, "times.account.title"), Form: form, Errors: errs}
	p.Nav = "account"
	p.Zones = s.zoneSelect(p.Page, form.TimeZone, currentUser(c).TimeZone)
	p.Example = p.Time(s.now())
	return s.render(c, "pages/account/settings", p)
}
