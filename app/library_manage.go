package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// The librarians' pages: the catalogue, the item form, files, publishing.
// The library decides who may (library.Service); these pages only ask.

// libraryForm is the item form as a browser sends it; params turns it
// into the API's body, so both are checked by the same rules.
type libraryForm struct {
	Type             string  `form:"type"`
	Title            string  `form:"title"`
	Abstract         string  `form:"abstract"`
	Language         string  `form:"language"`
	Countries        string  `form:"countries"` // "MZ, BR"
	Region           string  `form:"region"`
	Themes           []int64 `form:"themes"`
	Year             string  `form:"year"`
	Date             string  `form:"date"`
	Authors          string  `form:"authors"` // one per line
	InstitutionID    int64   `form:"institution_id"`
	TargetPopulation string  `form:"target_population"`
	DocumentType     string  `form:"document_type"`
	Licence          string  `form:"licence"`
	URL              string  `form:"url"`
	// One translation of title and abstract.
	TrLanguage string `form:"tr_language"`
	TrTitle    string `form:"tr_title"`
	TrAbstract string `form:"tr_abstract"`
}

func (f libraryForm) params() library.ItemParams {
	p := library.ItemParams{Type: library.Type(f.Type), Title: f.Title, Abstract: f.Abstract, Language: f.Language,
		Countries: strings.FieldsFunc(f.Countries, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }),
		Region:    f.Region, Themes: f.Themes, Date: f.Date, TargetPopulation: f.TargetPopulation,
		DocumentType: f.DocumentType, Licence: f.Licence, URL: f.URL}
	if y := strings.TrimSpace(f.Year); y != "" {
		if n, err := strconv.Atoi(y); err == nil {
			p.Year = n
		} else {
			p.Year = -1 // not a year: refused as one
		}
	}
	for _, line := range strings.Split(f.Authors, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Authors = append(p.Authors, line)
		}
	}
	if f.InstitutionID > 0 {
		id := f.InstitutionID
		p.InstitutionID = &id
	}
	if strings.TrimSpace(f.TrLanguage) != "" || strings.TrimSpace(f.TrTitle) != "" {
		p.Translations = []library.TranslationParams{{Language: f.TrLanguage, Title: f.TrTitle, Abstract: f.TrAbstract}}
	}
	return p
}

// formOfItem is the form filled with an item's fields.
func formOfItem(it *library.Item) libraryForm {
	f := libraryForm{Type: string(it.Type), Title: it.Title, Abstract: it.Abstract, Language: it.Language,
		Countries: strings.Join(it.Countries, ", "), Region: it.Region, Themes: it.Themes, Year: strconv.Itoa(it.Year),
		Authors: strings.Join(it.Authors, "\n"), TargetPopulation: it.TargetPopulation, DocumentType: it.DocumentType,
		Licence: it.Licence, URL: it.URL}
	if it.Date != nil {
		f.Date = it.Date.Format(time.DateOnly)
	}
	if it.InstitutionID != nil {
		f.InstitutionID = *it.InstitutionID
	}
	if len(it.Translations) > 0 {
		t := it.Translations[0]
		f.TrLanguage, f.TrTitle, f.TrAbstract = t.Language, t.Title, t.Abstract
	}
	return f
}

type themeOption struct {
	ID      int64
	Label   string
	Checked bool
}

type itemFormPage struct {
	Page
	Item         *library.Item // nil for a new item
	Form         libraryForm
	Errors       map[string]string
	Types        []library.Type
	Themes       []themeOption
	Institutions []accounts.Institution
	Files        []libraryFileJSON
	// Action is where the form is sent.
	Action string
}

// mustBeLibrarian refuses pages that only show a librarian's form.
func (s *server) mustBeLibrarian(c *fiber.Ctx) error {
	ok, err := s.library.IsLibrarian(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	if !ok {
		return errForbidden
	}
	return nil
}

func (s *server) renderItemForm(c *fiber.Ctx, it *library.Item, form libraryForm, errs map[string]string, action, titleKey string) error {
	ctx := c.UserContext()
	p := s.page(c, titleKey)
	p.Nav = "library"
	page := itemFormPage{Page: p, Item: it, Form: form, Errors: errs, Types: library.Types, Action: action}
	themes, err := s.library.Themes(ctx)
	if err != nil {
		return err
	}
	for _, t := range themes {
		page.Themes = append(page.Themes, themeOption{ID: t.ID, Label: t.Label(p.Lang), Checked: containsID(form.Themes, t.ID)})
	}
	if page.Institutions, _, err = s.accounts.Institutions(ctx, 1000, 0); err != nil {
		return err
	}
	if it != nil {
		l := libraryJSON{s: s}
		for _, f := range it.Files {
			page.Files = append(page.Files, l.file(it.ID, f))
		}
	}
	return s.render(c, "pages/library/item_form", page)
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

type manageLibraryPage struct {
	Page
	Status   library.Status
	Statuses []library.Status
	Items    []itemCard
	NextURL  string
}

// manageLibraryPage is /library/manage: the catalogue, latest change first.
func (s *server) manageLibraryPage(c *fiber.Ctx) error {
	status := library.Status(strings.Clone(c.Query("status")))
	var after *library.Item
	if a := c.Query("after"); a != "" {
		micros, id, ok := strings.Cut(a, "-")
		n, err1 := strconv.ParseInt(micros, 10, 64)
		m, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return errMalformed
		}
		after = &library.Item{ID: m, UpdatedAt: time.UnixMicro(n)}
	}
	const perPage = 50
	items, err := s.library.Catalogue(c.UserContext(), currentUser(c), status, after, perPage)
	if err != nil {
		return err
	}
	p := s.page(c, "library.manage.title")
	p.Nav = "library"
	page := manageLibraryPage{Page: p, Status: status, Items: s.itemCards(p, items),
		Statuses: []library.Status{library.StatusDraft, library.StatusPublished, library.StatusWithdrawn}}
	if len(items) == perPage {
		last := items[len(items)-1]
		page.NextURL = "/library/manage?status=" + string(status) + "&after=" +
			strconv.FormatInt(last.UpdatedAt.UnixMicro(), 10) + "-" + strconv.FormatInt(last.ID, 10)
	}
	return s.render(c, "pages/library/manage", page)
}

func (s *server) newLibraryItemPage(c *fiber.Ctx) error {
	if err := s.mustBeLibrarian(c); err != nil {
		return err
	}
	return s.renderItemForm(c, nil, libraryForm{Type: string(library.TypePublication), Language: "pt"}, nil,
		"/library/manage/items", "library.manage.new")
}

func (s *server) createLibraryItemPage(c *fiber.Ctx) error {
	var form libraryForm
	err := parseBody(c, &form)
	if err == nil {
		var it *library.Item
		if it, err = s.library.CreateItem(c.UserContext(), currentUser(c), form.params()); err == nil {
			return s.redirectWithFlash(c, manageItemPath(it.ID), "library.flash.created")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderItemForm(c, nil, form, s.translateFields(c, err), "/library/manage/items", "library.manage.new")
}

func manageItemPath(id int64) string { return "/library/manage/items/" + strconv.FormatInt(id, 10) }

func (s *server) editLibraryItemPage(c *fiber.Ctx) error {
	it, err := s.librarianItem(c)
	if err != nil {
		return err
	}
	return s.renderItemForm(c, it, formOfItem(it), nil, manageItemPath(it.ID), "library.manage.edit")
}

// librarianItem is the item of the route for a librarian's page.
func (s *server) librarianItem(c *fiber.Ctx) (*library.Item, error) {
	if err := s.mustBeLibrarian(c); err != nil {
		return nil, err
	}
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.library.Item(c.UserContext(), currentUser(c), id)
}

func (s *server) updateLibraryItemPage(c *fiber.Ctx) error {
	it, err := s.librarianItem(c)
	if err != nil {
		return err
	}
	var form libraryForm
	if err = parseBody(c, &form); err == nil {
		if _, err = s.library.UpdateItem(c.UserContext(), currentUser(c), it.ID, form.params()); err == nil {
			return s.redirectWithFlash(c, manageItemPath(it.ID), "library.flash.saved")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderItemForm(c, it, form, s.translateFields(c, err), manageItemPath(it.ID), "library.manage.edit")
}

func (s *server) publishLibraryItemPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.library.Publish(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageItemPath(id), "library.flash.published")
}

func (s *server) withdrawLibraryItemPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.library.Withdraw(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageItemPath(id), "library.flash.withdrawn")
}

func (s *server) uploadLibraryFilePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.attachLibraryFile(c, id); err != nil {
		if !uploadRefused(err) {
			return err
		}
		it, ierr := s.librarianItem(c)
		if ierr != nil {
			return ierr
		}
		c.Status(statusOf(err))
		return s.renderItemForm(c, it, formOfItem(it), s.translateFields(c, err), manageItemPath(it.ID), "library.manage.edit")
	}
	return s.redirectWithFlash(c, manageItemPath(id)+"#files", "library.flash.uploaded")
}

func (s *server) deleteLibraryFilePage(c *fiber.Ctx) error {
	id, fid, err := paramIDs(c, "id", "fid")
	if err != nil {
		return err
	}
	if err := s.library.DeleteFile(c.UserContext(), currentUser(c), id, fid); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageItemPath(id)+"#files", "library.flash.file_deleted")
}

type librariansPage struct {
	Page
	Librarians []accounts.User
	Email      string
	Errors     map[string]string
}

// librariansPage is /admin/librarians: who catalogues the library.
func (s *server) librariansPage(c *fiber.Ctx) error {
	return s.renderLibrarians(c, "", nil)
}

func (s *server) renderLibrarians(c *fiber.Ctx, email string, errs map[string]string) error {
	list, err := s.library.Librarians(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	p := s.page(c, "library.librarians.title")
	p.Nav = "admin"
	return s.render(c, "pages/admin/librarians", librariansPage{Page: p, Librarians: list, Email: email, Errors: errs})
}

func (s *server) addLibrarianPage(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	if _, err := s.library.NameLibrarianByEmail(c.UserContext(), currentUser(c), email); err != nil {
		if !fieldError(err) {
			return err
		}
		c.Status(statusOf(err))
		return s.renderLibrarians(c, email, s.translateFields(c, err))
	}
	return s.redirectWithFlash(c, "/admin/librarians", "library.flash.librarian_added")
}

func (s *server) removeLibrarianPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.library.RemoveLibrarian(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/librarians", "library.flash.librarian_removed")
}

type librarianJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// listLibrarians is GET /api/v1/library/librarians (admins).
func (s *server) listLibrarians(c *fiber.Ctx) error {
	list, err := s.library.Librarians(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	out := make([]librarianJSON, len(list))
	for i, u := range list {
		out[i] = librarianJSON{ID: u.ID, Name: u.Name, Email: u.Email}
	}
	return c.JSON(listOf(out))
}

// nameLibrarian is PUT /api/v1/library/librarians/{id} (admins).
func (s *server) nameLibrarian(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.library.NameLibrarian(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(librarianJSON{ID: u.ID, Name: u.Name, Email: u.Email})
}

// removeLibrarian is DELETE /api/v1/library/librarians/{id} (admins).
func (s *server) removeLibrarian(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.library.RemoveLibrarian(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
