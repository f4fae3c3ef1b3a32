package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// The JSON API of the knowledge library (docs/api.md, Library). Pages
// call the same service methods.

type themeJSON struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Label string `json:"label"`
}

type translationJSON struct {
	Language string `json:"language"`
	Title    string `json:"title"`
	Abstract string `json:"abstract"`
}

type libraryFileJSON struct {
	ID          int64     `json:"id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	URL         string    `json:"url"`
	CreatedAt   time.Time `json:"created_at"`
	// TextExtracted: the text inside the PDF is searchable.
	TextExtracted bool `json:"text_extracted"`
}

type libraryItemJSON struct {
	ID               int64             `json:"id"`
	Type             library.Type      `json:"type"`
	Status           library.Status    `json:"status"`
	Title            string            `json:"title"`
	Abstract         string            `json:"abstract"`
	Language         string            `json:"language"`
	Languages        []string          `json:"languages"`
	Translations     []translationJSON `json:"translations"`
	Countries        []string          `json:"countries"`
	Region           string            `json:"region"`
	Themes           []int64           `json:"themes"`
	ThemeLabels      []themeJSON       `json:"theme_labels"`
	Year             int               `json:"year"`
	Date             *string           `json:"date"`
	Authors          []string          `json:"authors"`
	InstitutionID    *int64            `json:"institution_id"`
	TargetPopulation string            `json:"target_population"`
	DocumentType     string            `json:"document_type"`
	Licence          string            `json:"licence"`
	URL              string            `json:"url"`
	// PageURL is the item's stable address.
	PageURL     string            `json:"page_url"`
	Citation    string            `json:"citation,omitempty"`
	PublishedAt *time.Time        `json:"published_at"`
	WithdrawnAt *time.Time        `json:"withdrawn_at"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Files       []libraryFileJSON `json:"files,omitempty"`
}

// libraryJSON shapes items for one request: themes labelled in its language.
type libraryJSON struct {
	s      *server
	themes themeLabels
}

func (s *server) libraryJSON(c *fiber.Ctx) (libraryJSON, error) {
	themes, err := s.library.Themes(c.UserContext())
	if err != nil {
		return libraryJSON{}, err
	}
	return libraryJSON{s: s, themes: newThemeLabels(themes, lang(c))}, nil
}

func (l libraryJSON) item(it *library.Item) libraryItemJSON {
	out := libraryItemJSON{ID: it.ID, Type: it.Type, Status: it.Status, Title: it.Title, Abstract: it.Abstract,
		Language: it.Language, Languages: it.Languages, Translations: []translationJSON{}, Countries: it.Countries,
		Region: it.Region, Themes: it.Themes, ThemeLabels: []themeJSON{}, Year: it.Year, Authors: it.Authors,
		InstitutionID: it.InstitutionID, TargetPopulation: it.TargetPopulation, DocumentType: it.DocumentType,
		Licence: it.Licence, URL: it.URL, PageURL: l.s.cfg.BaseURL + itemPath(it.ID),
		PublishedAt: utcTime(it.PublishedAt), WithdrawnAt: utcTime(it.WithdrawnAt),
		CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC()}
	if it.Date != nil {
		d := it.Date.Format(time.DateOnly)
		out.Date = &d
	}
	for _, t := range it.Translations {
		out.Translations = append(out.Translations, translationJSON{Language: t.Language, Title: t.Title, Abstract: t.Abstract})
	}
	for _, id := range it.Themes {
		t := l.themes.byID[id]
		out.ThemeLabels = append(out.ThemeLabels, themeJSON{ID: id, Slug: t.Slug, Label: l.themes.label(id)})
	}
	return out
}

// detail is an item with its files and citation line.
func (l libraryJSON) detail(ctx context.Context, it *library.Item) libraryItemJSON {
	out := l.item(it)
	out.Files = []libraryFileJSON{}
	for _, f := range it.Files {
		out.Files = append(out.Files, l.file(it.ID, f))
	}
	out.Citation = citation(it, l.s.institutionName(ctx, it.InstitutionID), out.PageURL)
	return out
}

func (l libraryJSON) file(itemID int64, f library.File) libraryFileJSON {
	return libraryFileJSON{ID: f.ID, FileName: f.FileName, ContentType: f.ContentType, SizeBytes: f.SizeBytes,
		URL: l.s.cfg.BaseURL + fileURL(itemID, f), CreatedAt: f.CreatedAt.UTC(), TextExtracted: f.ExtractedAt != nil}
}

// fileURL is where a library file is downloaded, its name in the path.
func fileURL(itemID int64, f library.File) string {
	return fmt.Sprintf("%s/files/%d/%s", itemPath(itemID), f.ID, escapeFileName(f.FileName))
}

// institutionName is the name of an institution, "" for none or one gone.
func (s *server) institutionName(ctx context.Context, id *int64) string {
	if id == nil {
		return ""
	}
	inst, err := s.accounts.Institution(ctx, *id)
	if err != nil {
		return ""
	}
	return inst.Name
}

// listThemes is GET /api/v1/library/themes.
func (s *server) listThemes(c *fiber.Ctx) error {
	themes, err := s.library.Themes(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]themeJSON, len(themes))
	for i, t := range themes {
		out[i] = themeJSON{ID: t.ID, Slug: t.Slug, Label: t.Label(lang(c))}
	}
	return c.JSON(out)
}

// createLibraryItem is POST /api/v1/library/items: a draft.
func (s *server) createLibraryItem(c *fiber.Ctx) error {
	var p library.ItemParams
	if err := parseBody(c, &p); err != nil {
		return err
	}
	it, err := s.library.CreateItem(c.UserContext(), currentUser(c), p)
	if err != nil {
		return err
	}
	return s.answerItem(c, it, fiber.StatusCreated)
}

// updateLibraryItem is PATCH /api/v1/library/items/{id}: fields left out
// keep their value.
func (s *server) updateLibraryItem(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	it, err := s.library.Item(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	p := paramsOf(it)
	if err := parseBody(c, &p); err != nil {
		return err
	}
	if it, err = s.library.UpdateItem(ctx, currentUser(c), id, p); err != nil {
		return err
	}
	return s.answerItem(c, it, fiber.StatusOK)
}

// paramsOf are an item's fields as they would be sent to make it.
func paramsOf(it *library.Item) library.ItemParams {
	p := library.ItemParams{Type: it.Type, Title: it.Title, Abstract: it.Abstract, Language: it.Language,
		Countries: it.Countries, Region: it.Region, Themes: it.Themes, Year: it.Year, Authors: it.Authors,
		InstitutionID: it.InstitutionID, TargetPopulation: it.TargetPopulation, DocumentType: it.DocumentType,
		Licence: it.Licence, URL: it.URL}
	if it.Date != nil {
		p.Date = it.Date.Format(time.DateOnly)
	}
	for _, t := range it.Translations {
		p.Translations = append(p.Translations, library.TranslationParams{Language: t.Language, Title: t.Title, Abstract: t.Abstract})
	}
	return p
}

func (s *server) answerItem(c *fiber.Ctx, it *library.Item, status int) error {
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(l.detail(c.UserContext(), it))
}

// publishLibraryItem is POST /api/v1/library/items/{id}/publish.
func (s *server) publishLibraryItem(c *fiber.Ctx) error {
	return s.itemTransition(c, s.library.Publish)
}

// withdrawLibraryItem is POST /api/v1/library/items/{id}/withdraw.
func (s *server) withdrawLibraryItem(c *fiber.Ctx) error {
	return s.itemTransition(c, s.library.Withdraw)
}

func (s *server) itemTransition(c *fiber.Ctx, change func(context.Context, *accounts.User, int64) (*library.Item, error)) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	it, err := change(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return s.answerItem(c, it, fiber.StatusOK)
}

// showLibraryItem is GET /api/v1/library/items/{id}: published items for
// anyone, every item for librarians.
func (s *server) showLibraryItem(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.library.Item(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return s.answerItem(c, it, fiber.StatusOK)
}

// uploadLibraryFile is POST /api/v1/library/items/{id}/files, multipart
// with the file in "file".
func (s *server) uploadLibraryFile(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := s.attachLibraryFile(c, id)
	if err != nil {
		return err
	}
	l := libraryJSON{s: s}
	return c.Status(fiber.StatusCreated).JSON(l.file(id, *f))
}

// attachLibraryFile hands the request's file to the library, which opens
// the multipart body only once it knows the user may attach.
func (s *server) attachLibraryFile(c *fiber.Ctx, itemID int64) (*library.File, error) {
	var opened io.Closer
	defer closeOpened(&opened)
	return s.library.AttachFile(c.UserContext(), currentUser(c), itemID, func() (*library.Upload, error) {
		name, body, err := formFile(c, &opened)
		if err != nil {
			return nil, err
		}
		return &library.Upload{Name: name, Body: body}, nil
	})
}

// deleteLibraryFile is DELETE /api/v1/library/items/{id}/files/{fid}.
func (s *server) deleteLibraryFile(c *fiber.Ctx) error {
	return onTwoIDs(c, "fid", currentUser(c), s.library.DeleteFile)
}

// linkLibraryCourse is PUT /api/v1/library/items/{id}/courses/{course_id}:
// the course cites the item.
func (s *server) linkLibraryCourse(c *fiber.Ctx) error {
	return onTwoIDs(c, "course_id", currentUser(c), s.library.LinkCourse)
}

// unlinkLibraryCourse is DELETE /api/v1/library/items/{id}/courses/{course_id}.
func (s *server) unlinkLibraryCourse(c *fiber.Ctx) error {
	return onTwoIDs(c, "course_id", currentUser(c), s.library.UnlinkCourse)
}

// onTwoIDs calls change as actor with the route's "id" and its other id
// (second), and answers 204: the shape of every "link", "unlink" and
// "delete a file" API of the library, events and the exchange.
func onTwoIDs[A any](c *fiber.Ctx, second string, actor A, change func(context.Context, A, int64, int64) error) error {
	id, other, err := paramIDs(c, "id", second)
	if err != nil {
		return err
	}
	if err := change(c.UserContext(), actor, id, other); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type facetValueJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type facetsJSON struct {
	Country  []facetValueJSON `json:"country"`
	Theme    []facetValueJSON `json:"theme"`
	Language []facetValueJSON `json:"language"`
	Type     []facetValueJSON `json:"type"`
	Year     []facetValueJSON `json:"year"`
}

type searchJSON struct {
	Items []libraryItemJSON `json:"items"`
	Total int               `json:"total"`
	// More: more than total items match (the count stops at
	// library.CountCap), and the facets count total of them.
	More   bool       `json:"more,omitempty"`
	Facets facetsJSON `json:"facets"`
	// Next is the cursor of the next page (?after=), "" on the last.
	Next string `json:"next"`
}

// libraryQuery reads a search from the URL: ?q=&country=&theme=&language=
// &type=&year_from=&year_to=&sort=&after=&limit=; country, theme and
// language repeat (all must match), or take values separated by commas.
func libraryQuery(c *fiber.Ctx) (library.Query, error) {
	args := c.Context().QueryArgs()
	multi := func(name string) []string {
		var out []string
		for _, v := range args.PeekMulti(name) {
			for _, part := range strings.Split(string(v), ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	q := library.Query{Text: strings.Clone(c.Query("q")), Countries: upper(multi("country")), Themes: multi("theme"),
		Languages: lower(multi("language")), Type: library.Type(strings.Clone(c.Query("type"))),
		Sort: library.Sort(strings.Clone(c.Query("sort"))), After: strings.Clone(c.Query("after")),
		PortugueseFirst: strings.HasPrefix(lang(c), "pt")}
	fields := map[string]message{}
	for name, dst := range map[string]*int{"year_from": &q.YearFrom, "year_to": &q.YearTo, "limit": &q.Limit} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				fields[name] = message{Key: "validation.invalid"}
			}
			*dst = n
		}
	}
	if q.Type != "" && !q.Type.Valid() {
		fields["type"] = message{Key: "library.error.type"}
	}
	if q.Sort != "" && q.Sort != library.SortRelevance && q.Sort != library.SortDate {
		fields["sort"] = message{Key: "validation.oneof", Args: []any{"relevance, date"}}
	}
	if len(fields) > 0 {
		return q, validationError(fields)
	}
	return q, nil
}

func upper(in []string) []string {
	for i := range in {
		in[i] = strings.ToUpper(in[i])
	}
	return in
}

func lower(in []string) []string {
	for i := range in {
		in[i] = strings.ToLower(in[i])
	}
	return in
}

// searchLibrary is GET /api/v1/library/items.
func (s *server) searchLibrary(c *fiber.Ctx) error {
	q, err := libraryQuery(c)
	if err != nil {
		return err
	}
	res, err := s.library.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	out := searchJSON{Items: make([]libraryItemJSON, len(res.Items)), Total: res.Total, More: res.More, Next: res.Next,
		Facets: l.facets(res.Facets, lang(c))}
	for i := range res.Items {
		out.Items[i] = l.item(&res.Items[i])
	}
	return c.JSON(out)
}

func (l libraryJSON) facets(f library.Facets, locale string) facetsJSON {
	label := func(values []library.FacetValue, name func(string) string) []facetValueJSON {
		out := make([]facetValueJSON, len(values))
		for i, v := range values {
			out[i] = facetValueJSON{Value: v.Value, Label: name(v.Value), Count: v.Count}
		}
		return out
	}
	tr := l.s.i18n.Printer(locale)
	return facetsJSON{
		Country:  label(f.Country, func(v string) string { return countryName(v, locale) }),
		Theme:    label(f.Theme, l.themes.slugLabel),
		Language: label(f.Language, func(v string) string { return languageName(v, locale) }),
		Type:     label(f.Type, func(v string) string { return tr.T("library.type." + v) }),
		Year:     label(f.Year, func(v string) string { return v }),
	}
}
