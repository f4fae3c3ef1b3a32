package app

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
)

type institutionsPage struct {
	Page
	Items []accounts.Institution
	Pager pager
}

// pager describes the previous/next links of a paginated page.
type pager struct {
	Total, Limit, Offset int
	Prev, Next           string
	// More: more than Total match (a bounded count, boundedPager).
	More bool
}

func newPager(c *fiber.Ctx, total, limit, offset int) pager {
	p := pager{Total: total, Limit: limit, Offset: offset}
	if offset > 0 {
		p.Prev = pageLink(c, max(0, offset-limit), "")
	}
	if offset+limit < total {
		p.Next = pageLink(c, offset+limit, "")
	}
	return p
}

// boundedPager is newPager for a count bounded at capN, where capN+1
// says "more than capN" (accounts.CountCap, certificates.CountCap): past
// the count, the next link stays while pages come full (rows, the rows of
// this page).
func boundedPager(c *fiber.Ctx, total, capN, rows, limit, offset int) pager {
	if total <= capN {
		return newPager(c, total, limit, offset)
	}
	p := newPager(c, capN, limit, offset)
	p.More, p.Next = true, ""
	if rows == limit {
		p.Next = pageLink(c, offset+limit, "")
	}
	return p
}

// pageLink is the current URL at offset, with after= set to the cursor
// (or removed for "").
func pageLink(c *fiber.Ctx, offset int, after string) string {
	q := c.Context().QueryArgs()
	args := fiber.AcquireArgs()
	defer fiber.ReleaseArgs(args)
	q.CopyTo(args)
	args.Set("offset", strconv.Itoa(offset))
	args.Del("after")
	if after != "" {
		args.Set("after", after)
	}
	return c.Path() + "?" + args.String()
}

// keyset makes the next link carry next, the cursor of this page's last
// row ("" on the last page), so the next page starts from the index at any
// depth; offset stays in the links only to number the rows. The previous
// link pages by offset (there is no cursor backwards), which costs more
// the deeper it goes.
func (p *pager) keyset(c *fiber.Ctx, next string) {
	p.Next = ""
	if next != "" {
		p.Next = pageLink(c, p.Offset+p.Limit, next)
	}
}

func (s *server) adminPage(c *fiber.Ctx, titleKey string) Page {
	p := s.page(c, titleKey)
	p.Nav = "admin"
	return p
}

func (s *server) listInstitutionsPage(c *fiber.Ctx) error {
	limit, offset := pagination(c)
	items, total, err := s.accounts.Institutions(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return s.render(c, "pages/admin/institutions", institutionsPage{
		Page: s.adminPage(c, "admin.institutions"), Items: items, Pager: newPager(c, total, limit, offset)})
}

type institutionFormPage struct {
	Page
	ID     int64
	Form   institutionForm
	Errors map[string]string
}

func (s *server) newInstitutionPage(c *fiber.Ctx) error {
	return s.render(c, "pages/admin/institution_form", institutionFormPage{Page: s.adminPage(c, "admin.institution_new")})
}

func (s *server) editInstitutionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inst, err := s.accounts.Institution(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.render(c, "pages/admin/institution_form", institutionFormPage{
		Page: s.adminPage(c, "admin.institution_edit"), ID: id,
		Form: institutionForm{Name: inst.Name, Acronym: inst.Acronym, Country: inst.Country}})
}

func (s *server) createInstitutionPage(c *fiber.Ctx) error {
	return s.saveInstitutionPage(c, 0)
}

func (s *server) updateInstitutionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.saveInstitutionPage(c, id)
}

// saveInstitutionPage creates (id 0) or updates an institution from the
// form; on a bad field it shows the form again with the input kept.
func (s *server) saveInstitutionPage(c *fiber.Ctx, id int64) error {
	var form institutionForm
	err := parseBody(c, &form)
	if err == nil {
		if id == 0 {
			_, err = s.accounts.CreateInstitution(c.UserContext(), form.params())
		} else {
			_, err = s.accounts.UpdateInstitution(c.UserContext(), id, form.params())
		}
	}
	if err == nil {
		return s.redirectWithFlash(c, "/admin/institutions", "flash.saved")
	}
	if !fieldError(err) {
		return err
	}
	titleKey := "admin.institution_new"
	if id != 0 {
		titleKey = "admin.institution_edit"
	}
	c.Status(statusOf(err))
	return s.render(c, "pages/admin/institution_form", institutionFormPage{
		Page: s.adminPage(c, titleKey), ID: id, Form: form, Errors: s.translateFields(c, err)})
}

type usersPage struct {
	Page
	Items   []accounts.User
	Rows    template.HTML // Items' rows (userRowsHTML)
	Filter  accounts.UserFilter
	AllInst template.HTML // the institution filter's options (institutionOptions)
	Roles   template.HTML // the role filter's options (roleOptions)
	Pager   pager
}

// allInstitutions returns every institution for select boxes; networks have
// tens of members, not thousands.
func (s *server) allInstitutions(c *fiber.Ctx) ([]accounts.Institution, error) {
	return s.accounts.AllInstitutions(c.UserContext())
}

func (s *server) listUsersPage(c *fiber.Ctx) error {
	limit, offset := pagination(c)
	filter := accounts.UserFilter{
		InstitutionID: int64(c.QueryInt("institution_id")),
		Role:          accounts.Role(c.Query("role")),
		Query:         c.Query("q"),
		Limit:         limit,
		Offset:        offset,
	}
	if !filter.Role.Valid() {
		filter.Role = ""
	}
	items, total, all, err := s.accounts.UsersPage(c.UserContext(), filter)
	if err != nil {
		return err
	}
	acronym := func(id int64) string {
		for i := range all {
			if all[i].ID == id {
				return all[i].Acronym
			}
		}
		return ""
	}
	p := usersPage{Page: s.adminPage(c, "admin.users"), Items: items, Filter: filter,
		AllInst: institutionOptions(all, filter.InstitutionID), Pager: boundedPager(c, total, accounts.CountCap, len(items), limit, offset)}
	p.Rows = userRowsHTML(p.Page, items, acronym)
	p.Roles = roleOptions(p.Page, accounts.Roles, filter.Role)
	return s.render(c, "pages/admin/users", p)
}

type userFormPage struct {
	Page
	ID int64
	// PasswordLink is a one-time link just made for the user.
	PasswordLink string
	Form         createUserForm
	Errors       map[string]string
	Institutions []accounts.Institution
	Roles        []accounts.Role
	Zones        zoneSelect
}

func (s *server) userFormPage(c *fiber.Ctx, titleKey string, id int64, form createUserForm, errs map[string]string) error {
	all, err := s.allInstitutions(c)
	if err != nil {
		return err
	}
	p := userFormPage{Page: s.adminPage(c, titleKey), ID: id, Form: form, Errors: errs, Institutions: all, Roles: accounts.Roles}
	p.Zones = s.zoneSelect(p.Page, form.TimeZone)
	return s.render(c, "pages/admin/user_form", p)
}

func (s *server) newUserPage(c *fiber.Ctx) error {
	return s.userFormPage(c, "admin.user_new", 0, createUserForm{Role: string(accounts.RoleLearner), Locale: lang(c)}, nil)
}

func (s *server) editUserPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.accounts.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.userFormPage(c, "admin.user_edit", id, userForm(u), nil)
}

// passwordLinkPage makes a one-time link for the user to choose a password
// and shows it on their page: Aula sends no mail, the admin passes it on.
func (s *server) passwordLinkPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, link, err := s.passwordLink(c, id)
	if err != nil {
		return err
	}
	all, err := s.allInstitutions(c)
	if err != nil {
		return err
	}
	p := userFormPage{Page: s.adminPage(c, "admin.user_edit"), ID: id,
		PasswordLink: link, Form: userForm(u), Institutions: all, Roles: accounts.Roles}
	p.Zones = s.zoneSelect(p.Page, u.TimeZone)
	return s.render(c, "pages/admin/user_form", p)
}

func (s *server) passwordLink(c *fiber.Ctx, userID int64) (*accounts.User, string, error) {
	u, err := s.accounts.User(c.UserContext(), userID)
	if err != nil {
		return nil, "", err
	}
	tokens, err := s.accounts.CreatePasswordLinks(c.UserContext(), s.db, []int64{u.ID})
	if err != nil {
		return nil, "", err
	}
	return u, s.cfg.BaseURL + "/password/" + tokens[u.ID], nil
}

func (s *server) createUserPage(c *fiber.Ctx) error { return s.saveUserPage(c, 0) }

func (s *server) updateUserPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.saveUserPage(c, id)
}

func (s *server) saveUserPage(c *fiber.Ctx, id int64) error {
	var form createUserForm
	err := parseBody(c, &form)
	if err == nil {
		if id == 0 {
			_, err = s.accounts.CreateUser(c.UserContext(), form.createParams())
		} else {
			_, err = s.accounts.UpdateUser(c.UserContext(), id, form.updateParams(currentUser(c)))
		}
	}
	if err == nil {
		return s.redirectWithFlash(c, "/admin/users", "flash.saved")
	}
	if !fieldError(err) {
		return err
	}
	titleKey := "admin.user_new"
	if id != 0 {
		titleKey = "admin.user_edit"
	}
	form.Password = ""
	c.Status(statusOf(err))
	return s.userFormPage(c, titleKey, id, form, s.translateFields(c, err))
}
