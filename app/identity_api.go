package app

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
)

// list is the shape of every list answer.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// More: more than Total match; lists with a bounded count (users,
	// certificates) say so past their cap.
	More bool `json:"more,omitempty"`
}

// boundedList is the list of a page whose count is bounded at capN
// (capN+1: more than capN): total capN and more past it.
func boundedList[T any](items []T, total, capN int) list[T] {
	return list[T]{Items: items, Total: min(total, capN), More: total > capN}
}

type tokenResponse struct {
	Token string `json:"token"`
	// ID and ExpiresAt say which token of the list it is and until when it works.
	ID        int64          `json:"id"`
	ExpiresAt time.Time      `json:"expires_at"`
	User      *accounts.User `json:"user"`
}

// tokenRequest is a sign-in for the API, which may name the token and ask
// for a shorter life than the installation's default.
type tokenRequest struct {
	Email         string `json:"email" validate:"required,max=254"`
	Password      string `json:"password" validate:"required,max=1000"`
	Name          string `json:"name" validate:"max=100"`
	ExpiresInDays int    `json:"expires_in_days" validate:"gte=0,lte=3650"`
}

func (s *server) me(c *fiber.Ctx) error {
	return c.JSON(currentUser(c))
}

type institutionForm struct {
	Name    string `json:"name" form:"name" validate:"required,max=200"`
	Acronym string `json:"acronym" form:"acronym" validate:"required,max=30"`
	Country string `json:"country" form:"country" validate:"required,iso3166_1_alpha2"`
}

func (f *institutionForm) normalize() {
	f.Name = strings.TrimSpace(f.Name)
	f.Acronym = strings.TrimSpace(f.Acronym)
	f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
}

func (f *createUserForm) normalize() {
	f.Email = strings.TrimSpace(f.Email)
	f.Name = strings.TrimSpace(f.Name)
	f.TimeZone = strings.TrimSpace(f.TimeZone)
}

func (f institutionForm) params() accounts.InstitutionParams {
	return accounts.InstitutionParams{Name: f.Name, Acronym: f.Acronym, Country: f.Country}
}

func (s *server) listInstitutions(c *fiber.Ctx) error {
	limit, offset := pagination(c)
	items, total, err := s.accounts.Institutions(c.UserContext(), limit, offset)
	if err != nil {
		return err
	}
	return c.JSON(list[accounts.Institution]{Items: nonNil(items), Total: total})
}

func (s *server) showInstitution(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inst, err := s.accounts.Institution(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(inst)
}

func (s *server) createInstitution(c *fiber.Ctx) error {
	var form institutionForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	inst, err := s.accounts.CreateInstitution(c.UserContext(), form.params())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(inst)
}

// updateInstitution applies a partial update: absent fields keep their value.
func (s *server) updateInstitution(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	inst, err := s.accounts.Institution(c.UserContext(), id)
	if err != nil {
		return err
	}
	form := institutionForm{Name: inst.Name, Acronym: inst.Acronym, Country: inst.Country}
	if err := parseBody(c, &form); err != nil {
		return err
	}
	inst, err = s.accounts.UpdateInstitution(c.UserContext(), id, form.params())
	if err != nil {
		return err
	}
	return c.JSON(inst)
}

type createUserForm struct {
	Email         string `json:"email" form:"email" validate:"required,email,max=254"`
	Name          string `json:"name" form:"name" validate:"required,max=200"`
	Password      string `json:"password" form:"password" validate:"omitempty,min=10,max=200"`
	Role          string `json:"role" form:"role" validate:"required,oneof=learner instructor coordinator admin"`
	InstitutionID *int64 `json:"institution_id" form:"institution_id" validate:"omitempty,gt=0"`
	Locale        string `json:"locale" form:"locale" validate:"omitempty,locale"`
	TimeZone      string `json:"time_zone" form:"time_zone" validate:"max=64"`
	Disabled      bool   `json:"disabled" form:"disabled"`
}

func (s *server) listUsers(c *fiber.Ctx) error {
	limit, offset := pagination(c)
	items, total, err := s.accounts.Users(c.UserContext(), accounts.UserFilter{
		InstitutionID: int64(c.QueryInt("institution_id")),
		Role:          accounts.Role(c.Query("role")),
		Query:         c.Query("q"),
		Limit:         limit,
		Offset:        offset,
	})
	if err != nil {
		return err
	}
	return c.JSON(boundedList(nonNil(items), total, accounts.CountCap))
}

func (s *server) showUser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.accounts.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *server) createUser(c *fiber.Ctx) error {
	var form createUserForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	u, err := s.accounts.CreateUser(c.UserContext(), form.createParams())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (f createUserForm) createParams() accounts.CreateUserParams {
	return accounts.CreateUserParams{Email: f.Email, Name: f.Name, Password: f.Password,
		Role: accounts.Role(f.Role), InstitutionID: f.InstitutionID, Locale: f.Locale, TimeZone: f.TimeZone}
}

// updateParams are the form's changes, made by the admin by.
func (f createUserForm) updateParams(by *accounts.User) accounts.UpdateUserParams {
	return accounts.UpdateUserParams{Email: f.Email, Name: f.Name, Password: f.Password,
		Role: accounts.Role(f.Role), InstitutionID: f.InstitutionID, Locale: f.Locale, TimeZone: f.TimeZone, Disabled: f.Disabled, By: by.ID}
}

func userForm(u *accounts.User) createUserForm {
	return createUserForm{Email: u.Email, Name: u.Name, Role: string(u.Role), InstitutionID: u.InstitutionID, Locale: u.Locale, TimeZone: u.TimeZone, Disabled: u.Disabled}
}

// updateUser applies a partial update: absent fields keep their value.
func (s *server) updateUser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.accounts.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	form := userForm(u)
	if err := parseBody(c, &form); err != nil {
		return err
	}
	u, err = s.accounts.UpdateUser(c.UserContext(), id, form.updateParams(currentUser(c)))
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

// createPasswordLink is the API face of passwordLinkPage.
func (s *server) createPasswordLink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	_, link, err := s.passwordLink(c, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"password_url": link, "expires_in_days": int(accounts.PasswordLinkLifetime.Hours() / 24)})
}

// updateMe is PATCH /api/v1/me {locale?, time_zone?}; it answers the user
// as GET /api/v1/me does.
func (s *server) updateMe(c *fiber.Ctx) error {
	form := preferencesOf(currentUser(c))
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if _, err := s.accounts.SetPreferences(c.UserContext(), currentUser(c).ID, form.params()); err != nil {
		return err
	}
	u, err := s.accounts.User(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

// inviteUser is the API face of inviteUserPage.
func (s *server) inviteUser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.accounts.Invite(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"user_id": u.ID, "email": u.Email,
		"expires_in_days": int(accounts.PasswordLinkLifetime.Hours() / 24)})
}
