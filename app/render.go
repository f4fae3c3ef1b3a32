package app

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app/i18n"
)

// views are the page templates, parsed once at start.
type views struct {
	engine *html.Engine
	menus  *menuCache
}

// menuCache keeps the site menu rendered: the same few dozen template
// actions on every page, for a handful of combinations of language, current
// entry and roles. On a module page they were a quarter of the template's
// time, and templates a third of the page's CPU (docs/performance.md).
type menuCache struct {
	tmpl  *template.Template
	menus sync.Map // menuKey → template.HTML
	// languages holds the language form's buttons (partials/language_buttons)
	// by page language: four buttons of five actions each were a third of
	// what a signed-in page's template executed.
	languages sync.Map // language → template.HTML
	// chromes holds what the head and foot print in each language
	// (pageChrome).
	chromes sync.Map // language → *pageChrome
}

// pageChrome is what partials/head and foot print that depends on the
// language alone: translated once per language and kept, and read by the
// templates as fields. text/template calls a method through reflection,
// its arguments boxed, and the head's and foot's dozen .T and .Asset calls
// were about half of what a signed-in page's template executed. Open and
// Links, the head's start around the title (partials/head_open and
// head_links), are kept rendered: each value printed is an escaper or
// three called through reflection, with their allocations, on every page.
type pageChrome struct {
	BellNone, Tokens, SignOut, SignIn, Language, Footer string
	Open, Links                                         template.HTML
}

// headChrome is what partials/head_open and head_links print.
type headChrome struct {
	Lang string
	// CSS and Icon are the URLs of aula.css and favicon.svg.
	CSS, Icon string
}

func (mc *menuCache) chrome(tr i18n.Printer, asset func(string) string) *pageChrome {
	if v, ok := mc.chromes.Load(tr.Lang); ok {
		return v.(*pageChrome)
	}
	c := &pageChrome{BellNone: tr.T("notify.bell.none"), Tokens: tr.T("security.tokens.title"), SignOut: tr.T("nav.signout"),
		SignIn: tr.T("nav.signin"), Language: tr.T("nav.language"), Footer: tr.T("footer.text")}
	h := headChrome{Lang: tr.Lang, CSS: asset("aula.css"), Icon: asset("favicon.svg")}
	var err error
	if c.Open, err = executeHTML(mc.tmpl, "partials/head_open", h); err == nil {
		c.Links, err = executeHTML(mc.tmpl, "partials/head_links", h)
	}
	if err != nil {
		// The templates are parsed at start; a failure here is a bug
		// in them, which every page would show.
		panic(err)
	}
	mc.chromes.Store(tr.Lang, c)
	return c
}

// menuKey is everything partials/menu may depend on.
type menuKey struct {
	Lang, Nav                       string
	SignedIn, Teach, Reports, Admin bool
}

// menuData is what partials/menu is executed with.
type menuData struct {
	menuKey
	tr i18n.Printer
}

// T translates a catalog key into the menu's language.
func (m menuData) T(key string) string { return m.tr.T(key) }

func (mc *menuCache) get(k menuKey, tr i18n.Printer) (template.HTML, error) {
	if v, ok := mc.menus.Load(k); ok {
		return v.(template.HTML), nil
	}
	h, err := executeHTML(mc.tmpl, "partials/menu", menuData{menuKey: k, tr: tr})
	if err != nil {
		return "", err
	}
	mc.menus.Store(k, h)
	return h, nil
}

// partial renders the partial template name with data, for HTML a page
// keeps and prints as it is.
func (v *views) partial(name string, data any) (template.HTML, error) {
	return executeHTML(v.engine.Templates, name, data)
}

// executeHTML renders the template name of t with data into HTML to print
// as it is: the template escaped what it printed.
func executeHTML(t *template.Template, name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("app: %s: %w", name, err)
	}
	return template.HTML(b.String()), nil //nolint:gosec // rendered by html/template
}

// languageData is what partials/language_buttons is executed with.
type languageData struct {
	Lang string
	tr   i18n.Printer
}

// T translates a catalog key into the page's language.
func (l languageData) T(key string) string { return l.tr.T(key) }

// Languages lists the languages of the switcher.
func (l languageData) Languages() []string { return i18n.Languages }

func (mc *menuCache) languageButtons(tr i18n.Printer) (template.HTML, error) {
	if v, ok := mc.languages.Load(tr.Lang); ok {
		return v.(template.HTML), nil
	}
	h, err := executeHTML(mc.tmpl, "partials/language_buttons", languageData{Lang: tr.Lang, tr: tr})
	if err != nil {
		return "", err
	}
	mc.languages.Store(tr.Lang, h)
	return h, nil
}

// pageNames lists every page a handler renders; New fails when one is
// missing, so a typo is caught at start, not by the first visitor.
var pageNames = []string{
	"pages/home",
	"pages/error",
	"pages/signin",
	"pages/password",
	"pages/account/tokens",
	"pages/account/settings",
	"pages/admin/index",
	"pages/admin/institutions",
	"pages/admin/institution_form",
	"pages/admin/users",
	"pages/admin/user_form",
	// courses
	"pages/courses/catalog",
	"pages/courses/show",
	"pages/courses/module",
	"pages/courses/teaching",
	"pages/courses/course_form",
	"pages/courses/manage",
	"pages/courses/module_form",
	// enrolment
	"pages/enrolment/enrol",
	"pages/enrolment/withdraw",
	"pages/enrolment/my_courses",
	"pages/enrolment/roster",
	"pages/enrolment/imports",
	// assessment
	"pages/quizzes/form",
	"pages/quizzes/question_form",
	"pages/quizzes/show",
	"pages/quizzes/attempt",
	"pages/quizzes/result",
	"pages/quizzes/results",
	// certificates
	"pages/certificates/mine",
	"pages/certificates/verify",
	"pages/certificates/verify_form",
	"pages/admin/certificates",
	"pages/admin/certificates_show",
	"pages/admin/certificates_issue",
	"pages/admin/certificates_settings",
	"pages/admin/certificates_zip",
	// events
	"pages/events/list",
	"pages/events/show",
	"pages/events/mine",
	"pages/events/checkin",
	"pages/events/organised",
	"pages/events/form",
	"pages/events/manage",
	"pages/events/attendance",
	"pages/events/checkin_screen",
	// reports
	"pages/reports/gradebook",
	"pages/reports/institution",
	"pages/reports/network",
	// mail, notifications and jobs
	"pages/admin/jobs",
	"pages/password_forgot",
	"pages/notifications",
	"pages/account/notifications",
	"pages/unsubscribe",
	"pages/admin/mail",
	"pages/admin/mail_show",
	// community
	"pages/community/forums",
	"pages/community/forum",
	"pages/community/topic",
	"pages/community/post_edit",
	"pages/community/moderation",
	// exchange of experiences
	"pages/exchange/list",
	"pages/exchange/show",
	"pages/exchange/matrix",
	"pages/exchange/agenda",
	"pages/exchange/ranking",
	"pages/exchange/actions",
	"pages/exchange/action",
	"pages/exchange/offer",
	// library
	"pages/library/index",
	"pages/library/item",
	"pages/library/country",
	"pages/library/manage",
	"pages/library/item_form",
	"pages/library/submissions",
	"pages/library/submission",
	"pages/admin/librarians",
}

func loadViews(fsys fs.FS) (*views, error) {
	engine := html.NewFileSystem(http.FS(fsys), ".html")
	engine.AddFuncMap(template.FuncMap{
		"add":   func(a, b int) int { return a + b },
		"deref": func(p *int64) int64 { return *p },
		// events: a capacity, a count of certificates, minutes attended
		"derefInt": func(p *int) int { return *p },
		// exchange: a cell of the matrix, by offer and institution
		"pair": func(a, b int64) [2]int64 { return [2]int64{a, b} },
	})
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("app: parse templates: %w", err)
	}
	for _, name := range pageNames {
		if engine.Templates.Lookup(name) == nil {
			return nil, fmt.Errorf("app: template %s is missing", name)
		}
	}
	return &views{engine: engine, menus: &menuCache{tmpl: engine.Templates}}, nil
}

// Page is what every page template gets: pages embed it in their own struct.
type Page struct {
	Title    string
	User     *accounts.User
	CSRF     string
	Flash    string
	Lang     string
	Path     string
	Nav      string // which menu entry is current
	Unread   int    // the signed-in user's unread notifications (the bell)
	Version  string
	tr       i18n.Printer
	assetURL func(string) string
	loc      *time.Location // the viewer's time zone (times.go)
	// Head adds meta tags, links and JSON-LD to the page's head (library_pages.go).
	Head  *pageHead
	menus *menuCache
	// Chrome is the head's and foot's text in the page's language.
	Chrome *pageChrome
}

// T translates a catalog key into the page's language.
func (p Page) T(key string, args ...any) string { return p.tr.T(key, args...) }

// N translates a plural message for the count n (any integer type, as
// templates hold them), followed by args: {{$.N "courses.hours" .Hours}}.
func (p Page) N(key string, n any, args ...any) string {
	return p.tr.T(key, append([]any{n}, args...)...)
}

// Asset returns the cache-busting URL of a static file.
func (p Page) Asset(name string) string { return p.assetURL(name) }

// Menu returns the site menu for the page's language, its current entry
// and the user's roles (partials/menu), rendered once per combination.
func (p Page) Menu() (template.HTML, error) {
	k := menuKey{Lang: p.Lang, Nav: p.Nav, SignedIn: p.User != nil}
	if p.User != nil {
		k.Teach, k.Admin = p.User.CanTeach(), p.User.IsAdmin()
		k.Reports = k.Admin || p.User.IsCoordinator()
	}
	return p.menus.get(k, p.tr)
}

// LanguageButtons returns the buttons of the language form, the same on
// every page of a language (partials/language_buttons), rendered once.
func (p Page) LanguageButtons() (template.HTML, error) { return p.menus.languageButtons(p.tr) }

// Languages lists the languages of the switcher with their own names.
func (p Page) Languages() []string { return i18n.Languages }

// page builds the shared part of a page; titleKey is a catalog key.
func (s *server) page(c *fiber.Ctx, titleKey string) Page {
	return s.newPage(c, titleKey, s.csrfToken(c))
}

// newPage builds the shared part of a page with the forms' CSRF token
// (none on public pages: publicPage).
func (s *server) newPage(c *fiber.Ctx, titleKey, csrf string) Page {
	tr := s.i18n.Printer(lang(c))
	p := Page{
		Title:    tr.T(titleKey),
		User:     currentUser(c),
		CSRF:     csrf,
		Lang:     tr.Lang,
		Path:     strings.Clone(c.OriginalURL()),
		Version:  s.cfg.Version,
		tr:       tr,
		assetURL: s.static.url,
		menus:    s.views.menus,
		loc:      s.viewerLocation(currentUser(c)),
		Chrome:   s.views.menus.chrome(tr, s.static.url),
	}
	if p.User != nil {
		p.Unread = p.User.Unread // read with the session (accounts.CountWithSession)
	}
	if key := c.Cookies(cookieFlash); key != "" {
		if s.i18n.Has(key) {
			p.Flash = tr.T(key)
		}
		s.clearCookie(c, cookieFlash)
	}
	return p
}

// render writes a page as HTML.
func (s *server) render(c *fiber.Ctx, name string, data any) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Render(name, data)
}

// redirectWithFlash sends the browser to path (303, so a reload does not
// repeat the POST) with a one-time message shown on the next page.
func (s *server) redirectWithFlash(c *fiber.Ctx, path, flashKey string) error {
	if flashKey != "" {
		c.Cookie(s.cookie(cookieFlash, flashKey, 60))
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}
