package app

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
)

// Sign-in limits, per minute. An address may try one account 10 times and
// all accounts 60 times (an institution's staff may share one address);
// past that it gets 429. There is no limit per account alone: it would let
// anyone keep the owner out. Instead every attempt on an account that has
// failed often lately waits first (signInDelay), from whatever address.
const (
	signInLimit        = 10
	signInAddressLimit = 60
)

// signInDelay is how long an attempt on an account waits when the account
// has had this many wrong passwords this minute: nothing for the first five,
// then 50 ms doubling up to 2 s. A guesser is slowed to a crawl; the owner
// typing the right password waits two seconds at worst.
func signInDelay(failures int) time.Duration {
	if failures <= 5 {
		return 0
	}
	return min(50*time.Millisecond<<min(failures-6, 10), 2*time.Second)
}

type signInForm struct {
	Email    string `json:"email" form:"email" validate:"required,max=254"`
	Password string `json:"password" form:"password" validate:"required,max=1000"`
	Next     string `json:"-" form:"next"`
}

type signInPage struct {
	Page
	Form  signInForm
	Error string
}

func (s *server) showSignIn(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, "pages/signin", signInPage{Page: s.page(c, "signin.title"), Form: signInForm{Next: c.Query("next")}})
}

// signInAllowed counts an attempt against the client address, alone and
// with the account, and makes it wait as long as the account's recent
// failures say.
func (s *server) signInAllowed(c *fiber.Ctx, email string) error {
	ctx := c.UserContext()
	account := signInAccount(email)
	for _, limit := range []struct {
		key string
		max int
	}{
		{"signin:ip:" + c.IP(), signInAddressLimit},
		{"signin:ip-account:" + c.IP() + ":" + account, signInLimit},
	} {
		ok, retry, err := s.limiter.Allow(ctx, limit.key, limit.max, time.Minute)
		if err != nil {
			return err
		}
		if !ok {
			return rateLimited(retry)
		}
	}
	failures, err := s.limiter.Hits(ctx, "signin:failed:"+account, time.Minute)
	if err != nil {
		return err
	}
	if d := signInDelay(failures); d > 0 {
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// signInFailed records a wrong password for the account, which slows the
// next attempts on it.
func (s *server) signInFailed(c *fiber.Ctx, email string) error {
	_, _, err := s.limiter.Allow(c.UserContext(), "signin:failed:"+signInAccount(email), math.MaxInt32, time.Minute)
	return err
}

func signInAccount(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func (s *server) signIn(c *fiber.Ctx) error {
	var form signInForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	page := signInPage{Page: s.page(c, "signin.title"), Form: signInForm{Email: form.Email, Next: form.Next}}
	fail := func(status int, key string, args ...any) error {
		page.Error = page.T(key, args...)
		c.Status(status)
		return s.render(c, "pages/signin", page)
	}
	if err := validateStruct(form); err != nil {
		return fail(fiber.StatusUnprocessableEntity, "signin.missing")
	}
	if err := s.signInAllowed(c, form.Email); err != nil {
		var he *httpError
		if errors.As(err, &he) && he.Status == fiber.StatusTooManyRequests {
			c.Set(fiber.HeaderRetryAfter, "60")
			return fail(fiber.StatusTooManyRequests, "error.rate_limited")
		}
		return err
	}
	u, err := s.accounts.Authenticate(c.UserContext(), form.Email, form.Password)
	if errors.Is(err, accounts.ErrInvalidCredentials) {
		if err := s.signInFailed(c, form.Email); err != nil {
			return err
		}
		return fail(fiber.StatusUnauthorized, "error.invalid_credentials")
	}
	if err != nil {
		return err
	}
	old, _ := c.Locals(localSession).(string)
	token, err := s.accounts.StartSession(c.UserContext(), u.ID, old, accounts.SessionInfo{UserAgent: c.Get(fiber.HeaderUserAgent), IP: c.IP()})
	if err != nil {
		return err
	}
	c.Cookie(s.cookie(cookieSession, token, int(accounts.SessionLifetime.Seconds())))
	s.clearCookie(c, cookieAnon)
	return c.Redirect(safeNext(form.Next), fiber.StatusSeeOther)
}

func (s *server) signOut(c *fiber.Ctx) error {
	if token, ok := c.Locals(localSession).(string); ok {
		if err := s.accounts.EndSession(c.UserContext(), token); err != nil {
			return err
		}
	}
	s.clearCookie(c, cookieSession)
	return s.redirectWithFlash(c, "/", "flash.signed_out")
}

type languageForm struct {
	Lang string `form:"lang"`
	Next string `form:"next"`
}

// setLanguage switches the interface language: saved on the account when
// signed in, in a cookie otherwise.
func (s *server) setLanguage(c *fiber.Ctx) error {
	var form languageForm
	if err := c.BodyParser(&form); err != nil || !i18n.Supported(form.Lang) {
		return errMalformed
	}
	if u := currentUser(c); u != nil {
		if err := s.accounts.SetLocale(c.UserContext(), u.ID, form.Lang); err != nil {
			return err
		}
	}
	c.Cookie(s.cookie(cookieLang, form.Lang, 365*24*3600))
	return c.Redirect(safeNext(form.Next), fiber.StatusSeeOther)
}

type passwordForm struct {
	Password string `form:"password" validate:"required,min=10,max=200"`
	Confirm  string `form:"confirm" validate:"required,eqfield=Password"`
}

type passwordPage struct {
	Page
	Token  string
	Valid  bool
	Errors map[string]string
}

// showPasswordForm lets the owner of a one-time link choose a password.
func (s *server) showPasswordForm(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	valid, err := s.accounts.PasswordLinkValid(c.UserContext(), token)
	if err != nil {
		return err
	}
	if !valid {
		c.Status(fiber.StatusGone)
	}
	return s.render(c, "pages/password", passwordPage{Page: s.page(c, "password.title"), Token: token, Valid: valid})
}

func (s *server) setPassword(c *fiber.Ctx) error {
	token := strings.Clone(c.Params("token"))
	var form passwordForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	err := validateStruct(form)
	if err == nil {
		_, err = s.accounts.SetPasswordWithLink(c.UserContext(), token, form.Password)
	}
	if err == nil {
		return s.redirectWithFlash(c, "/signin", "flash.password_set")
	}
	if !fieldError(err) {
		return err
	}
	// A bad or weak password: the form again, saying why.
	page := passwordPage{Page: s.page(c, "password.title"), Token: token, Valid: true}
	page.Errors = s.translateFields(c, err)
	if form.Confirm != form.Password {
		page.Errors["confirm"] = page.T("validation.confirm")
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, "pages/password", page)
}

// translateFields returns the per-field messages of a validation or
// conflict error in the user's language (empty for other errors).
func (s *server) translateFields(c *fiber.Ctx, err error) map[string]string {
	out := map[string]string{}
	he, ok := asHTTPError(err)
	if !ok {
		return out
	}
	tr := s.i18n.Printer(lang(c))
	for f, m := range he.Fields {
		out[f] = tr.T(m.Key, m.Args...)
	}
	return out
}
