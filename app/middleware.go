package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/locales"
	"github.com/aula-platform/aula/postgres"
)

// Keys of the values middleware leaves in c.Locals.
const (
	localRequestID = "request_id"
	localUser      = "user"
	localLang      = "lang"
	localSession   = "session_token"
	localAPIToken  = "api_token"
	localAPI       = "api"
	// localQuiet marks a request whose log line is DEBUG when it succeeds:
	// health probes come every few seconds and would bury everything else.
	localQuiet = "quiet_log"
)

// Cookie names.
const (
	cookieSession = "aula_session"
	cookieAnon    = "aula_anon"
	cookieLang    = "aula_lang"
	cookieFlash   = "aula_flash"
)

// recoverPanics turns a panic into a logged 500 instead of a dropped
// connection, and never shows the stack to the user.
func (s *server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.ErrorContext(c.UserContext(), "panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

type requestIDKey struct{}

// logRequests gives every request an id (kept from X-Request-Id when a proxy
// set a sane one) and logs one line per request with status, duration and
// the number of SQL statements it ran.
func (s *server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get("X-Request-Id")
	if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r < '!' || r > '~' }) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	} else {
		id = strings.Clone(id)
	}
	c.Locals(localRequestID, id)
	c.Set("X-Request-Id", id)
	ctx, statements := postgres.CountStatements(context.WithValue(c.UserContext(), requestIDKey{}, id))
	c.SetUserContext(ctx)

	err := c.Next()
	if err != nil {
		// Let the error handler write the response now, so the log line
		// carries the status the user got.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	s.metrics.Request(c.Method(), routeLabel(c), status, time.Since(start))
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	if quiet, _ := c.Locals(localQuiet).(bool); quiet {
		// A probe saying "not ready" is the process telling the balancer
		// something (the database is away, it is draining), not a fault.
		level = slog.LevelDebug
		if status >= 500 {
			level = slog.LevelWarn
		}
	}
	attrs := []slog.Attr{
		slog.String("request_id", id),
		slog.String("method", c.Method()),
		slog.String("path", c.Path()),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("ip", c.IP()),
		slog.Int64("statements", statements.Count()),
	}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, slog.Int64("user_id", u.ID))
	}
	s.log.LogAttrs(c.UserContext(), level, "request", attrs...)
	return nil
}

// securityHeaders sets the headers every answer carries. The CSP allows no
// inline script, so injected markup cannot run even if sanitising failed.
func (s *server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("X-Frame-Options", "DENY")
	if s.secure {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// isAPI reports whether the request was routed into the API group: its
// chain marks it (apiChain), so errors, body parsing and sign-in checks
// answer as the API does. The router decides, never a look at the path:
// "/API/v1/me" is no API route (routing is case-sensitive) and gets the
// pages' 404.
func isAPI(c *fiber.Ctx) bool {
	api, _ := c.Locals(localAPI).(bool)
	return api
}

// apiChain is the middleware of every API route: the request is marked as
// the API's, and only a bearer token authenticates it. A session cookie is
// never read here, so a cross-site page cannot reach the API through the
// browser's cookies, and the API needs no CSRF token.
func (s *server) apiChain() []fiber.Handler {
	return []fiber.Handler{s.markAPI, s.authenticateToken, s.limitBody}
}

// apiChainTokenInHandler is apiChain for the routes whose handler reads
// the token in its own statement (readsToken): the token step defers to
// the handler (tokenInHandler).
func (s *server) apiChainTokenInHandler() []fiber.Handler {
	return []fiber.Handler{s.markAPI, s.tokenInHandler, s.limitBody}
}

// pageChain is the middleware of every page route: the session cookie
// authenticates, and unsafe requests need the form's CSRF token.
func (s *server) pageChain() []fiber.Handler {
	return []fiber.Handler{s.authenticateSession, s.limitBody, s.checkCSRF}
}

// pageChainSessionInPage is pageChain for the pages whose handler reads
// the session in its own statement (readsSession): the session step
// defers to the handler (sessionInPage).
func (s *server) pageChainSessionInPage() []fiber.Handler {
	return []fiber.Handler{s.sessionInPage, s.limitBody, s.checkCSRF}
}

func (s *server) markAPI(c *fiber.Ctx) error {
	c.Locals(localAPI, true)
	return c.Next()
}

// authenticateToken finds the API caller from the Authorization header. A
// request without one goes on anonymous (public routes); a token that is
// unknown, revoked or expired is refused at once.
func (s *server) authenticateToken(c *fiber.Ctx) error {
	if err := s.lookUpToken(c); err != nil {
		return err
	}
	return c.Next()
}

// bearerToken is the request's API token, and whether it came with one:
// a header of blanks is a token, one that finds nobody.
func bearerToken(c *fiber.Ctx) (string, bool) {
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || token == "" {
		return "", false
	}
	return strings.Clone(strings.TrimSpace(token)), true
}

// lookUpToken is authenticateToken's work: the bearer token's user (an
// unknown, revoked or expired token is errUnauthorized) and the language
// of the request's messages.
func (s *server) lookUpToken(c *fiber.Ctx) error {
	if token, ok := bearerToken(c); ok {
		u, err := s.accounts.TokenUser(c.UserContext(), token)
		if err != nil && !errors.Is(err, accounts.ErrNotFound) {
			c.Locals(localLang, apiLanguage(c)) // the error speaks the caller's language
			return err
		}
		if u == nil {
			return errUnauthorized
		}
		c.Locals(localUser, u)
		c.Locals(localAPIToken, token)
	}
	c.Locals(localLang, apiLanguage(c))
	return nil
}

// tokenInHandler is authenticateToken for an API route whose handler
// finds the token's user in its own statement (readsToken). It only sets
// the language Accept-Language asks for, which an error before the
// statement speaks.
func (s *server) tokenInHandler(c *fiber.Ctx) error {
	c.Locals(localLang, apiLanguage(c))
	return c.Next()
}

// tokenRead runs an API handler's statement with the bearer token, the
// token's user found in it (the rule is accounts', checked in PostgreSQL
// as every request's lookup is): it returns whom the statement found,
// and respond, which answers with what it did once that user is the
// request's. A nil user means the statement could not say (nobody acts
// with token, or the data is missing so it read no row); err then is a
// failure there is no falling back on.
type tokenRead func(c *fiber.Ctx, token string) (u *accounts.User, respond func() error, err error)

// readsToken is the handler of a signed-in API route that reads the
// bearer token in its own statement (read), behind tokenInHandler.
// Whenever that statement finds nobody, or there is no token, the route
// takes the usual way, token first (tokenThen), so what an anonymous
// caller, a revoked or expired token, a disabled user or a caller of
// missing data gets is what every API route gives them.
func (s *server) readsToken(read tokenRead, usual fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token, ok := bearerToken(c)
		if !ok {
			return s.tokenThen(c, usual)
		}
		u, respond, err := read(c, token)
		if u == nil {
			if err != nil {
				return err
			}
			return s.tokenThen(c, usual)
		}
		// u is whom authenticateToken would have found: the request's
		// user, and the messages' language theirs unless asked otherwise.
		c.Locals(localUser, u)
		c.Locals(localAPIToken, token)
		c.Locals(localLang, apiLanguage(c))
		if err != nil {
			return err
		}
		return respond()
	}
}

// tokenThen is, for an API route behind tokenInHandler, the usual way in:
// the token looked up on its own, anonymous callers refused
// (requireUser), then h.
func (s *server) tokenThen(c *fiber.Ctx, h fiber.Handler) error {
	if err := s.lookUpToken(c); err != nil {
		return err
	}
	if currentUser(c) == nil {
		return s.requireUser(c) // never runs the next handler without a user
	}
	return h(c)
}

// apiLanguage is the language of API messages: Accept-Language first, as
// the contract says (the caller is a program choosing for its user), else
// the user's setting, else English.
func apiLanguage(c *fiber.Ctx) string {
	l := i18n.Match(c.Get(fiber.HeaderAcceptLanguage))
	if u := currentUser(c); l == "" && u != nil && i18n.Supported(u.Locale) {
		l = u.Locale
	}
	if l == "" {
		l = i18n.Fallback
	}
	return l
}

// authenticateSession finds the signed-in user of a page request from the
// session cookie, and the language of the page: the user's setting, else
// the language cookie, else Accept-Language, else English.
func (s *server) authenticateSession(c *fiber.Ctx) error {
	if err := s.lookUpSession(c); err != nil {
		return err
	}
	return c.Next()
}

// lookUpSession is authenticateSession's work: the session cookie's user
// (the cookie cleared when no one is signed in with it) and the page's
// language.
func (s *server) lookUpSession(c *fiber.Ctx) error {
	if token := c.Cookies(cookieSession); token != "" {
		token = strings.Clone(token)
		u, err := s.accounts.SessionUser(c.UserContext(), token)
		switch {
		case errors.Is(err, accounts.ErrNotFound):
			s.clearCookie(c, cookieSession)
		case err != nil:
			c.Locals(localLang, strings.Clone(pageLanguage(c))) // the error page speaks the user's language
			return err
		default:
			c.Locals(localUser, u)
			c.Locals(localSession, token)
		}
	}
	c.Locals(localLang, strings.Clone(pageLanguage(c)))
	return nil
}

// sessionInPage is authenticateSession for a page whose handler finds the
// session's user in its own statement (readsSession: one round trip
// instead of two). It only sets the language the cookie and the browser
// ask for, which an error before the statement speaks; the handler then
// makes the user its statement found the request's, or looks the
// session up as every page does when it found none.
func (s *server) sessionInPage(c *fiber.Ctx) error {
	c.Locals(localLang, strings.Clone(pageLanguage(c)))
	return c.Next()
}

// sessionRead runs a page's statement with the browser session token,
// the session's user found in it (the rule is accounts', checked in
// PostgreSQL as every page's lookup is): it returns whom the statement
// found signed in, and render, which shows the page with what it read
// once that user is the request's. A nil user means the statement could
// not say (nobody is signed in with token, or the page's data is missing
// so it read no row); err then is a failure there is no falling back on.
type sessionRead func(c *fiber.Ctx, token string) (u *accounts.User, render func() error, err error)

// readsSession is the handler of a signed-in page that reads the session
// in its own statement (read), behind sessionInPage. Whenever that
// statement finds nobody, or there is no cookie, the page takes the usual
// way, session first (signedInThen, then usual), so what a visitor, a
// signed-out or disabled session, or a reader of a missing course gets is
// what every page gives them.
func (s *server) readsSession(read sessionRead, usual fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.Cookies(cookieSession)
		if token == "" {
			return s.signedInThen(c, usual)
		}
		token = strings.Clone(token)
		u, render, err := read(c, token)
		if u == nil {
			if err != nil {
				return err
			}
			return s.signedInThen(c, usual)
		}
		// u is whom authenticateSession would have found: the
		// request's user, and the page's language theirs.
		c.Locals(localUser, u)
		c.Locals(localSession, token)
		c.Locals(localLang, strings.Clone(pageLanguage(c)))
		if err != nil {
			return err
		}
		return render()
	}
}

// signedInThen is, for a page behind sessionInPage, the usual way in: the
// session looked up on its own, visitors sent to sign in (requireUser),
// then h.
func (s *server) signedInThen(c *fiber.Ctx, h fiber.Handler) error {
	if err := s.lookUpSession(c); err != nil {
		return err
	}
	if currentUser(c) == nil {
		return s.requireUser(c) // never runs the next handler without a user
	}
	return h(c)
}

// pageLanguage is the language of a page: the user's setting, else the
// language cookie, else Accept-Language, else English.
func pageLanguage(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil && i18n.Supported(u.Locale) {
		return u.Locale
	}
	accepted := i18n.Match(c.Get(fiber.HeaderAcceptLanguage))
	switch l := c.Cookies(cookieLang); {
	case i18n.Supported(l):
		return l
	case l == locales.Legacy && locales.Base(accepted) == "pt":
		return accepted // a "pt" chosen before there were two: the browser says which
	case l == locales.Legacy:
		return locales.Canonical(l)
	}
	if accepted != "" {
		return accepted
	}
	return i18n.Fallback
}

func currentUser(c *fiber.Ctx) *accounts.User {
	u, _ := c.Locals(localUser).(*accounts.User)
	return u
}

func lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return i18n.Fallback
}

// requireUser lets only signed-in users through: pages redirect to the
// sign-in form (coming back afterwards), the API answers 401.
func (s *server) requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if isAPI(c) {
		return errUnauthorized
	}
	if c.Method() != fiber.MethodGet {
		return errUnauthorized
	}
	return c.Redirect("/signin?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// requireRole lets through signed-in users with one of roles; others get 403.
func (s *server) requireRole(roles ...accounts.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return s.requireUser(c)
		}
		for _, r := range roles {
			if u.Role == r {
				return c.Next()
			}
		}
		return errForbidden
	}
}
