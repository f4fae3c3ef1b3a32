package app

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// actor is who the request comes from, as the courses package sees them.
func actor(c *fiber.Ctx) courses.Actor { return courses.ActorFor(currentUser(c)) }

// courseAccess reads a course reference from the URL: an id (used in API
// paths and file URLs) or a slug (the address people share). Slugs are
// never only digits, so the two cannot be confused.
func (s *server) courseAccess(c *fiber.Ctx, param string) (*courses.Access, error) {
	ref, err := courseRef(c, param)
	if err != nil {
		return nil, err
	}
	if ref.ID != 0 {
		return s.courses.Access(c.UserContext(), actor(c), ref.ID)
	}
	return s.courses.AccessBySlug(c.UserContext(), actor(c), ref.Slug)
}

// courseRef reads a course's id or slug from the route parameter param; a
// value that is neither is errNotFound.
func courseRef(c *fiber.Ctx, param string) (courses.CourseRef, error) {
	ref := c.Params(param)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if id <= 0 {
			return courses.CourseRef{}, errNotFound
		}
		return courses.CourseRef{ID: id}, nil
	}
	if !courses.ValidSlug(ref) {
		return courses.CourseRef{}, errNotFound
	}
	return courses.CourseRef{Slug: strings.Clone(ref)}, nil
}

// coursePath is the address of a course page.
func coursePath(co *courses.Course) string { return "/courses/" + co.Slug }

// managePath is the address of a course's authoring page.
func managePath(courseID int64) string { return fmt.Sprintf("/manage/courses/%d", courseID) }

// assetURL is the stable address of a course file, the one instructors put
// in their Markdown: the course and file ids find it, the name only makes
// the link readable (and is what a browser saves the file as).
func assetURL(a *courses.Asset) string {
	return fmt.Sprintf("/courses/%d/files/%d/%s", a.CourseID, a.ID, escapeFileName(a.FileName))
}

// pageImageSrc finds the images of a module's HTML that are files of a
// course (src="/courses/<ref>/files/<id>[/<name>]"), as the sanitiser
// writes them.
var pageImageSrc = regexp.MustCompile(`(<img\s[^>]*?src=")(/courses/[^/"?#]+/files/[0-9]+(?:/[^"?#]*)?)"`)

// pageImages points a module's images of course files at their page
// version (?size=page: at most courses.PageImageWidth wide), so a phone
// does not load a 3000-pixel photo; links to the files, and the files'
// own addresses, still give the originals. body_html is stored as typed
// long ago, so this is done when the page is shown.
func pageImages(body string) string {
	return pageImageSrc.ReplaceAllString(body, `$1$2?size=page"`)
}

// escapeFileName escapes a file name for a URL path, parentheses too, so
// the URL can sit in a Markdown link's (…) unchanged.
func escapeFileName(name string) string {
	return strings.NewReplacer("(", "%28", ")", "%29").Replace(url.PathEscape(name))
}

// coverURL is the address of a course's cover image, or "".
func coverURL(co *courses.Course) string {
	if co.CoverAssetID == nil {
		return ""
	}
	return fmt.Sprintf("/courses/%d/files/%d/cover", co.ID, *co.CoverAssetID)
}

// assetView is a file with what the authoring pages show about it.
type assetView struct {
	courses.Asset
	URL string
	// Markdown is what to paste into a module: an image or a link.
	Markdown string
}

func newAssetView(a courses.Asset) assetView {
	u := assetURL(&a)
	label := strings.NewReplacer("[", "(", "]", ")").Replace(a.FileName)
	md := "[" + label + "](" + u + ")"
	if a.IsImage() {
		md = "!" + md
	}
	return assetView{Asset: a, URL: u, Markdown: md}
}

func assetViews(list []courses.Asset) []assetView {
	out := make([]assetView, len(list))
	for i, a := range list {
		out[i] = newAssetView(a)
	}
	return out
}

// humanSize writes a file size for people.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// courseForm is a course as the form and the API send it.
type courseForm struct {
	Title         string  `json:"title" form:"title" validate:"required,max=200"`
	Slug          string  `json:"slug" form:"slug" validate:"omitempty,max=80"`
	Summary       string  `json:"summary" form:"summary" validate:"max=5000"`
	Language      string  `json:"language" form:"language" validate:"required,course_language"`
	WorkloadHours int     `json:"workload_hours" form:"workload_hours" validate:"gte=1,lte=1000"`
	CoverAssetID  *int64  `json:"cover_asset_id" form:"cover_asset_id" validate:"omitempty,gte=0"`
	InstructorIDs []int64 `json:"instructor_ids" form:"instructor_ids" validate:"omitempty,max=50,dive,gt=0"`
	// CertificateValidityMonths: 1–120; null, 0 or an empty field: never expires.
	CertificateValidityMonths *int `json:"certificate_validity_months" form:"certificate_validity_months" validate:"omitempty,gte=0,lte=120"`
}

func (f *courseForm) normalize() {
	f.Title = strings.TrimSpace(f.Title)
	f.Slug = strings.ToLower(strings.TrimSpace(f.Slug))
	f.Summary = strings.TrimSpace(f.Summary)
	f.Language = strings.ToLower(strings.TrimSpace(f.Language))
	if f.CoverAssetID != nil && *f.CoverAssetID == 0 {
		f.CoverAssetID = nil
	}
	if f.CertificateValidityMonths != nil && *f.CertificateValidityMonths == 0 {
		f.CertificateValidityMonths = nil
	}
}

func (f courseForm) params() courses.CourseParams {
	return courses.CourseParams{Title: f.Title, Slug: f.Slug, Summary: f.Summary, Language: f.Language,
		WorkloadHours: f.WorkloadHours, CoverAssetID: f.CoverAssetID, InstructorIDs: f.InstructorIDs,
		CertificateValidityMonths: f.CertificateValidityMonths}
}

// formOf fills a form from a course and its instructors.
func formOf(co *courses.Course, instructors []accounts.User) courseForm {
	f := courseForm{Title: co.Title, Slug: co.Slug, Summary: co.Summary, Language: co.Language,
		WorkloadHours: co.WorkloadHours, CoverAssetID: co.CoverAssetID, InstructorIDs: []int64{},
		CertificateValidityMonths: co.CertificateValidityMonths}
	for _, u := range instructors {
		f.InstructorIDs = append(f.InstructorIDs, u.ID)
	}
	return f
}

// moduleForm is a module as the form and the API send it.
type moduleForm struct {
	Title            string `json:"title" form:"title" validate:"required,max=200"`
	BodyMarkdown     string `json:"body_markdown" form:"body_markdown" validate:"max=200000"`
	EstimatedMinutes int    `json:"estimated_minutes" form:"estimated_minutes" validate:"gte=0,lte=6000"`
	// Position: where a new module goes, or where an updated one moves
	// (API only; pages move modules with up/down buttons).
	Position *int `json:"position" form:"-" validate:"omitempty,gte=1"`
}

func (f *moduleForm) normalize() { f.Title = strings.TrimSpace(f.Title) }

func (f moduleForm) params() courses.ModuleParams {
	p := courses.ModuleParams{Title: f.Title, BodyMarkdown: f.BodyMarkdown, EstimatedMinutes: f.EstimatedMinutes}
	if f.Position != nil {
		p.Position = *f.Position
	}
	return p
}

// person is a user as others see them: no email, no role.
type person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func people(users []accounts.User) []person {
	out := make([]person, len(users))
	for i, u := range users {
		out[i] = person{ID: u.ID, Name: u.Name}
	}
	return out
}

// courseJSON is the API's course: the contract's fields and a few more.
type courseJSON struct {
	ID            int64          `json:"id"`
	Slug          string         `json:"slug"`
	Title         string         `json:"title"`
	Summary       string         `json:"summary"`
	Language      string         `json:"language"`
	WorkloadHours int            `json:"workload_hours"`
	Status        courses.Status `json:"status"`
	PublishedAt   *time.Time     `json:"published_at"`
	CoverAssetID  *int64         `json:"cover_asset_id"`
	CoverURL      *string        `json:"cover_url"`
	// CertificateValidityMonths: null when certificates never expire.
	CertificateValidityMonths *int      `json:"certificate_validity_months"`
	URL                       string    `json:"url"`
	CreatedAt                 time.Time `json:"created_at"`
	UpdatedAt                 time.Time `json:"updated_at"`
	Instructors               []person  `json:"instructors,omitempty"`
}

func (s *server) courseJSON(co *courses.Course) courseJSON {
	out := courseJSON{ID: co.ID, Slug: co.Slug, Title: co.Title, Summary: co.Summary, Language: co.Language,
		WorkloadHours: co.WorkloadHours, Status: co.Status, PublishedAt: utcTime(co.PublishedAt), CoverAssetID: co.CoverAssetID,
		CertificateValidityMonths: co.CertificateValidityMonths,
		URL:                       s.cfg.BaseURL + coursePath(co), CreatedAt: co.CreatedAt.UTC(), UpdatedAt: co.UpdatedAt.UTC()}
	if u := coverURL(co); u != "" {
		u = s.cfg.BaseURL + u
		out.CoverURL = &u
	}
	return out
}

// courseDetailJSON is one course with its instructors and module outline.
type courseDetailJSON struct {
	courseJSON
	Modules []moduleRefJSON `json:"modules"`
}

// moduleRefJSON is a module in a course's outline.
type moduleRefJSON struct {
	ID               int64  `json:"id"`
	Title            string `json:"title"`
	Position         int    `json:"position"`
	EstimatedMinutes int    `json:"estimated_minutes"`
	// Archived is shown to editors only; learners never see archived modules.
	Archived bool `json:"archived,omitempty"`
}

// moduleJSON is one module with its content.
type moduleJSON struct {
	ID               int64      `json:"id"`
	CourseID         int64      `json:"course_id"`
	Title            string     `json:"title"`
	Position         int        `json:"position"`
	EstimatedMinutes int        `json:"estimated_minutes"`
	BodyHTML         string     `json:"body_html"`
	BodyMarkdown     *string    `json:"body_markdown,omitempty"` // editors only
	ArchivedAt       *time.Time `json:"archived_at,omitempty"`
	PrevID           *int64     `json:"prev_id,omitempty"`
	NextID           *int64     `json:"next_id,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// moduleJSONFor renders a module; editor says whether its Markdown goes along.
func moduleJSONFor(m *courses.Module, editor bool) moduleJSON {
	out := moduleJSON{ID: m.ID, CourseID: m.CourseID, Title: m.Title, Position: m.Position, EstimatedMinutes: m.EstimatedMinutes,
		BodyHTML: m.BodyHTML, ArchivedAt: utcTime(m.ArchivedAt), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
	if editor {
		md := m.BodyMarkdown
		out.BodyMarkdown = &md
	}
	return out
}

// assetJSON is a course file in the API.
type assetJSON struct {
	ID          int64     `json:"id"`
	CourseID    int64     `json:"course_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	URL         string    `json:"url"`
	Markdown    string    `json:"markdown"`
	CreatedAt   time.Time `json:"created_at"`
}

func (s *server) assetJSON(a courses.Asset) assetJSON {
	v := newAssetView(a)
	return assetJSON{ID: a.ID, CourseID: a.CourseID, FileName: a.FileName, ContentType: a.ContentType, SizeBytes: a.SizeBytes,
		SHA256: a.SHA256, URL: s.cfg.BaseURL + v.URL, Markdown: v.Markdown, CreatedAt: a.CreatedAt.UTC()}
}

// Size is the file's size for people.
func (v assetView) Size() string { return humanSize(v.SizeBytes) }
