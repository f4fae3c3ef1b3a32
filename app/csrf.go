package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
)

// CSRF protection without server state: a form's token is an HMAC of the
// browser's session token (or, before sign-in, of a random anonymous cookie)
// under the installation secret. A cross-site page can neither read the
// cookie nor compute the HMAC, and every app process checks tokens alike.
// Signing in rotates the session, so tokens from before sign-in stop working.

const csrfField = "csrf"

// csrfToken returns the token forms must carry, setting the anonymous
// cookie it is bound to when the browser has no session yet.
func (s *server) csrfToken(c *fiber.Ctx) string {
	binding := s.csrfBinding(c)
	if binding == "" {
		anon, err := accounts.NewSecret()
		if err != nil {
			return ""
		}
		c.Cookie(s.cookie(cookieAnon, anon, 0))
		c.Request().Header.SetCookie(cookieAnon, anon) // visible to later reads in this request
		binding = "anon:" + anon
	}
	return s.sign(binding)
}

func (s *server) csrfBinding(c *fiber.Ctx) string {
	if token, ok := c.Locals(localSession).(string); ok && token != "" {
		return "session:" + token
	}
	if anon := c.Cookies(cookieAnon); anon != "" {
		return "anon:" + anon
	}
	return ""
}

// sign is the token of binding. Every signed-in page prints one, and a
// new HMAC is two SHA-256 states with the key's pads made again, so the
// keyed HMACs are pooled (csrfMACs) and Reset, which keeps the key.
func (s *server) sign(binding string) string {
	mac, _ := s.csrfMACs.Get().(hash.Hash)
	if mac == nil {
		mac = hmac.New(sha256.New, s.cfg.Secret)
	}
	mac.Reset()
	_, _ = io.WriteString(mac, "csrf\x00")
	_, _ = io.WriteString(mac, binding)
	var sum [sha256.Size]byte
	token := base64.RawURLEncoding.EncodeToString(mac.Sum(sum[:0]))
	s.csrfMACs.Put(mac)
	return token
}

// checkCSRF refuses unsafe requests to pages without a valid token (403).
// It is in the pages' chain only: the API accepts bearer tokens alone,
// which a browser never sends on its own.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get("X-CSRF-Token")
	}
	binding := s.csrfBinding(c)
	if binding == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.sign(binding))) != 1 {
		return errCSRF
	}
	return c.Next()
}

// cookie returns a cookie with Aula's defaults: HttpOnly, SameSite=Lax,
// Secure on https. maxAge 0 makes a browser-session cookie.
func (s *server) cookie(name, value string, maxAge int) *fiber.Cookie {
	return &fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HTTPOnly: true,
		Secure:   s.secure,
		SameSite: fiber.CookieSameSiteLaxMode,
	}
}

// clearCookie deletes a cookie Aula set. Fiber's ClearCookie sends no
// Path, so the browser would delete only a cookie of the current
// directory and keep ours, set for "/": a flash message would then follow
// the user from page to page.
func (s *server) clearCookie(c *fiber.Ctx, name string) {
	ck := s.cookie(name, "", -1)
	ck.Expires = time.Unix(0, 0)
	c.Cookie(ck)
}
