// Package app is Aula's web layer: the Fiber application with its routes,
// handlers, middleware, authentication, templates and translations. It holds
// no business rules: handlers parse and validate input, call one domain
// service method, then render a page, redirect, or answer JSON.
//
// Files are named by area first, then by side, so that the page handler and
// the API handler of one action sit next to each other: <area>_pages.go
// holds the HTML pages of an area (identity_pages.go), <area>_api.go its
// JSON API (identity_api.go), and a part of an area takes a middle word
// (certificates_admin_pages.go, enrolments_imports_api.go). A file without
// either suffix holds what both sides of the area share: forms, JSON shapes,
// errors (quiz_forms.go, events_json.go). What every area uses lives in files
// named for what it is (params.go, render.go, times.go, errors.go), never in
// a feature file; routes.go lists every route.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"
	"github.com/valyala/fasthttp"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/metrics"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/reports"
	"github.com/aula-platform/aula/wiring"
)

// Config is what the web layer needs to know about the installation.
type Config struct {
	// BaseURL is the public address, e.g. https://aula.example.org. Links in
	// certificates and password links start with it; https makes cookies Secure.
	BaseURL string
	// Secret keys the CSRF tokens. At least 32 bytes.
	Secret []byte
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For header gives the client IP (for rate limits and logs).
	TrustedProxies []string
	// BodyLimit caps request bodies (default 1 MB), except uploads.
	BodyLimit int
	// UploadMaxBytes caps one uploaded course file (default 20 MB); upload
	// routes accept bodies up to this plus BodyLimit for the form around it.
	UploadMaxBytes int64
	// Location is the installation's time zone (AULA_TIMEZONE): pages
	// show times in it to visitors and to users who chose none (UTC when nil).
	Location *time.Location
	// Version is shown in logs and /healthz.
	Version string
	// Draining, once set, makes /readyz answer 503: the process is
	// shutting down and the load balancer should send its requests
	// elsewhere, while those already sent are still served.
	Draining *atomic.Bool
	// MetricsElsewhere: /metrics is served on its own address
	// (AULA_METRICS_ADDR), so the main address answers it 404.
	MetricsElsewhere bool
}

// Deps are what the handlers call: the database (for readiness and rate
// limits) and the domain services, wired together by package wiring.
type Deps struct {
	DB       *bun.DB
	Services *wiring.Services
	Logger   *slog.Logger
	// Now is the clock of rate limits and sessions (time.Now when nil).
	Now func() time.Time
}

// server carries what every handler shares.
type server struct {
	cfg      Config
	db       *bun.DB
	accounts *accounts.Service
	courses  *courses.Service
	certs    *certificates.Service
	quizzes  *assessment.Service
	events   *events.Service
	reports  *reports.Service
	jobs     *jobs.Queue
	notify   *notify.Service
	forums   *community.Service
	exchange *exchange.Service
	library  *library.Service
	blobs    courses.BlobStore
	log      *slog.Logger
	now      func() time.Time
	i18n     *i18n.Bundle
	views    *views
	limiter  *RateLimiter
	secure   bool
	static   *staticFiles
	metrics  *metrics.Metrics
	// metricsHandler serves metrics' page (see serveMetrics).
	metricsHandler fasthttp.RequestHandler

	// publicPages keeps the catalogue and course pages of visitors
	// without cookies (public_cache.go).
	publicPages *publicCache
	// moduleBodies and moduleViews keep parts of module pages, checked
	// against what the page's statement read (kept_html.go).
	moduleBodies *keptHTML[int64]
	moduleViews  *keptHTML[moduleViewKey]
	// csrfMACs pools the HMACs keyed with cfg.Secret (sign).
	csrfMACs sync.Pool
}

// DefaultBodyLimit is the largest request body accepted by default.
const DefaultBodyLimit = 1 << 20

// uploadRoutes are the routes whose bodies carry a file; they take up to
// Config.UploadMaxBytes more than the others, from the roles that may
// call them (the routes' own checks say so again; this only decides
// whether the server reads a large body at all).
var uploadRoutes = []struct {
	method, pattern string
	api             bool
	roles           []accounts.Role
}{
	{fiber.MethodPost, `^/manage/courses/[0-9]+/files/?$`, false, []accounts.Role{accounts.RoleInstructor, accounts.RoleAdmin}},
	{fiber.MethodPost, `^/api/v1/courses/[0-9]+/assets/?$`, true, []accounts.Role{accounts.RoleInstructor, accounts.RoleAdmin}},
	// Bulk enrolment files: 10,000 learners are about 1 MB.
	{fiber.MethodPost, `^/manage/courses/[0-9]+/enrolments/bulk/?$`, false, []accounts.Role{accounts.RoleAdmin, accounts.RoleCoordinator}},
	{fiber.MethodPost, `^/api/v1/courses/[0-9]+/enrolments/bulk/?$`, true, []accounts.Role{accounts.RoleAdmin, accounts.RoleCoordinator}},
	// Library files: librarians hold a permission, not a role, so every
	// role may send the body; the library refuses non-librarians before
	// reading it (library.Service.AttachFile).
	{fiber.MethodPost, `^/library/manage/items/[0-9]+/files/?$`, false, accounts.Roles},
	{fiber.MethodPost, `^/api/v1/library/items/[0-9]+/files/?$`, true, accounts.Roles},
	// Files of exchange offers: a delegate may hold any role; the exchange
	// refuses those who do not delegate for the offering institution
	// before reading the body (exchange.Service.AttachFile).
	{fiber.MethodPost, `^/offers/[0-9]+/files/?$`, false, accounts.Roles},
	{fiber.MethodPost, `^/api/v1/offers/[0-9]+/files/?$`, true, accounts.Roles},
	// The issuer's logo and signature images (2 MB each).
	{fiber.MethodPost, `^/admin/certificates/settings/?$`, false, []accounts.Role{accounts.RoleAdmin}},
	// Attachments to forum posts (images, PDFs), from any member.
	{fiber.MethodPost, `^/posts/[0-9]+/attachments/?$`, false, accounts.Roles},
	{fiber.MethodPost, `^/api/v1/posts/[0-9]+/attachments/?$`, true, accounts.Roles},
}

var uploadPatterns = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(uploadRoutes))
	for i, r := range uploadRoutes {
		out[i] = regexp.MustCompile(r.pattern)
	}
	return out
}()

// uploadRoute returns the index in uploadRoutes of the route a request
// goes to, or -1.
func uploadRoute(method, uri string) int {
	path, _, _ := strings.Cut(uri, "?")
	for i, r := range uploadRoutes {
		if method == r.method && uploadPatterns[i].MatchString(path) {
			return i
		}
	}
	return -1
}

// mayUpload reports whether u may send the large body of upload route i.
func mayUpload(u *accounts.User, i int) bool {
	return u != nil && slices.Contains(uploadRoutes[i].roles, u.Role)
}

// uploadReadTimeout is how long an upload may take to arrive: 20 MB over
// a slow link (1 Mbit/s) takes nearly three minutes.
const uploadReadTimeout = 15 * time.Minute

// uploadLimit gives the upload routes, once a request's headers are in
// and before any of its body is read, the time to read a large body, but
// only when the headers name a user who may upload there (a session
// cookie for pages, a bearer token for the API): anonymous clients keep
// the short read timeout, and limitBody refuses their large bodies
// without reading them.
func (s *server) uploadLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	i := uploadRoute(string(h.Method()), string(h.RequestURI()))
	if i < 0 {
		return fasthttp.RequestConfig{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var u *accounts.User
	if uploadRoutes[i].api {
		if token, ok := strings.CutPrefix(string(h.Peek(fiber.HeaderAuthorization)), "Bearer "); ok && token != "" {
			u, _ = s.accounts.TokenUser(ctx, strings.TrimSpace(token))
		}
	} else if token := string(h.Cookie(cookieSession)); token != "" {
		u, _ = s.accounts.SessionUser(ctx, token)
	}
	if !mayUpload(u, i) {
		return fasthttp.RequestConfig{}
	}
	return fasthttp.RequestConfig{ReadTimeout: uploadReadTimeout}
}

// limitBody holds every request to its body limit. The server streams
// request bodies, so nothing beyond the first 8 KB is read before this
// runs, after authentication: an upload route allows Config.UploadMaxBytes
// more to a user who may upload there, and its body stays a stream that
// the multipart reader spills to a temporary file past 8 KB, so a 20 MB
// upload takes 20 MB of disk, not of memory. Every other body is read
// into memory here, as before, up to Config.BodyLimit.
func (s *server) limitBody(c *fiber.Ctx) error {
	req := c.Request()
	if !req.IsBodyStream() {
		return c.Next() // small enough to have been read with the headers
	}
	limit := s.cfg.BodyLimit
	i := uploadRoute(c.Method(), string(req.RequestURI()))
	upload := i >= 0 && mayUpload(currentUser(c), i)
	if upload {
		limit += int(s.cfg.UploadMaxBytes)
	}
	n := req.Header.ContentLength()
	if n > limit {
		c.Response().SetConnectionClose() // the rest of the body is never read
		return fiber.ErrRequestEntityTooLarge
	}
	if upload && n >= 0 {
		// Read by the handler; whatever it leaves unread (a refusal)
		// would be taken for the next request on this connection.
		c.Response().SetConnectionClose()
		return c.Next()
	}
	// A chunked body has no length to check first: read at most one byte
	// past the limit.
	body, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(limit)+1))
	if err != nil {
		c.Response().SetConnectionClose()
		return fiber.ErrBadRequest
	}
	if len(body) > limit {
		c.Response().SetConnectionClose()
		return fiber.ErrRequestEntityTooLarge
	}
	req.SetBodyRaw(body)
	return c.Next()
}

// New returns the Fiber application serving Aula. main and the tests build
// it the same way.
func New(cfg Config, deps Deps) (*fiber.App, error) {
	if len(cfg.Secret) < 32 {
		return nil, errors.New("app: secret must be at least 32 bytes")
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("app: base URL %q is not an absolute URL", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.UploadMaxBytes <= 0 {
		cfg.UploadMaxBytes = courses.DefaultUploadMaxBytes
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Draining == nil {
		cfg.Draining = new(atomic.Bool)
	}
	if deps.DB == nil || deps.Services == nil {
		return nil, errors.New("app: New needs the database and the wired services")
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		return nil, err
	}
	vs, err := loadViews(assets.Templates)
	if err != nil {
		return nil, err
	}
	static, err := loadStatic(assets.Static)
	if err != nil {
		return nil, err
	}
	s := &server{
		cfg:      cfg,
		db:       deps.DB,
		accounts: deps.Services.Accounts,
		courses:  deps.Services.Courses,
		certs:    deps.Services.Certificates,
		quizzes:  deps.Services.Assessment,
		events:   deps.Services.Events,
		reports:  deps.Services.Reports,
		jobs:     deps.Services.Jobs,
		notify:   deps.Services.Notify,
		forums:   deps.Services.Community,
		exchange: deps.Services.Exchange,
		library:  deps.Services.Library,
		blobs:    deps.Services.Blobs,
		log:      deps.Logger,
		now:      deps.Now,
		i18n:     bundle,
		views:    vs,
		limiter:  NewRateLimiter(deps.DB, deps.Now),
		secure:   base.Scheme == "https",
		static:   static,
		metrics:  deps.Services.Metrics,
	}
	s.metricsHandler = newMetricsHandler(s.metrics.Handler())
	s.publicPages = newPublicCache()
	s.moduleBodies = newKeptHTML[int64](keptHTMLMax)
	s.moduleViews = newKeptHTML[moduleViewKey](keptHTMLMax)

	fcfg := fiber.Config{
		AppName:      "aula",
		Views:        vs.engine,
		ErrorHandler: s.handleError,
		BodyLimit:    cfg.BodyLimit, // enforced by limitBody
		// "/API/v1/me" must not reach the API's routes with the pages'
		// session: a route matches only as written.
		CaseSensitive: true,
		// Bodies are streamed so that uploads are never held in memory
		// (see limitBody), and not parsed before the handler runs.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 120 * time.Second,
		IdleTimeout:                  120 * time.Second,
		DisableStartupMessage:        true,
	}
	if len(cfg.TrustedProxies) > 0 {
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
		fcfg.EnableTrustedProxyCheck = true
		fcfg.TrustedProxies = cfg.TrustedProxies
	}
	app := fiber.New(fcfg)
	app.Server().HeaderReceived = s.uploadLimit
	s.routes(app)
	return app, nil
}
