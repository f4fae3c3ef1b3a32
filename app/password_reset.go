package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// "Forgot your password?": the sign-in page links to a form that mails a
// one-time link (notify.Service.ResetPassword) to the address typed, if an
// account has it. The answer is the same either way, so the form does not
// tell who has an account; it is rate-limited per client address (a
// script trying addresses) and per typed address (someone filling a
// victim's mailbox): past the second limit the answer is still "sent",
// and the links mailed before keep working.

// Limits of password reset requests, per hour.
const (
	resetAddressLimit = 20 // per client IP
	resetAccountLimit = 3  // per typed email
)

type forgotForm struct {
	Email string `form:"email" validate:"required,email,max=254"`
}

type forgotPage struct {
	Page
	Email  string
	Errors map[string]string
}

func (s *server) showForgotPassword(c *fiber.Ctx) error {
	return s.render(c, "pages/password_forgot", forgotPage{Page: s.page(c, "notify.forgot.title")})
}

func (s *server) forgotPassword(c *fiber.Ctx) error {
	var form forgotForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	form.Email = strings.TrimSpace(form.Email)
	if err := validateStruct(form); err != nil {
		page := forgotPage{Page: s.page(c, "notify.forgot.title"), Email: form.Email, Errors: s.translateFields(c, err)}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "pages/password_forgot", page)
	}
	ctx := c.UserContext()
	ok, retry, err := s.limiter.Allow(ctx, "reset:ip:"+c.IP(), resetAddressLimit, time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(retry.Seconds())+1))
		return rateLimited(retry)
	}
	ok, _, err = s.limiter.Allow(ctx, "reset:account:"+strings.ToLower(form.Email), resetAccountLimit, time.Hour)
	if err != nil {
		return err
	}
	if ok {
		if err := s.notify.ResetPassword(ctx, form.Email); err != nil {
			return err
		}
	}
	return s.redirectWithFlash(c, "/signin", "notify.forgot.sent")
}

// inviteUserPage sends a user a new invitation to choose a password.
func (s *server) inviteUserPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.accounts.Invite(c.UserContext(), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/users/"+strconv.FormatInt(id, 10)+"/edit", "notify.invite.sent")
}
