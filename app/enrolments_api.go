package app

import (
	"bytes"
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// This file is the learner's side of enrolment: enrol, withdraw, complete
// modules, "My courses" — as pages and as API calls over the same service.

// enrolSelf enrols the signed-in learner in a course (API).
func (s *server) enrolSelf(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.courses.EnrolSelf(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *server) myEnrolments(c *fiber.Ctx) error {
	mine, err := s.courses.MyCourses(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	items := make([]courses.Enrolment, len(mine))
	for i, m := range mine {
		items[i] = m.Enrolment
	}
	return c.JSON(list[courses.Enrolment]{Items: items, Total: len(items)})
}

// completeModule marks a module of the learner's enrolment complete (API).
func (s *server) completeModule(c *fiber.Ctx) error {
	id, mid, err := paramIDs(c, "id", "mid")
	if err != nil {
		return err
	}
	e, err := s.courses.CompleteModule(c.UserContext(), currentUser(c).ID, id, mid)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

// withdraw ends the learner's own active enrolment (API).
func (s *server) withdraw(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.courses.Withdraw(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- Instructors' and administrators' side ----

func (s *server) listEnrolments(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	filter, err := rosterFilter(c)
	if err != nil {
		return err
	}
	roster, err := s.courses.Roster(c.UserContext(), actor(c), id, filter)
	if err != nil {
		return err
	}
	out := rosterJSON{Items: nonNil(roster.Items), Total: roster.Total}
	if roster.Next != nil {
		out.Next = roster.Next.String()
	}
	return c.JSON(out)
}

// rosterJSON is the answer of GET /api/v1/courses/{id}/enrolments.
type rosterJSON struct {
	Items []courses.RosterEntry `json:"items"`
	Total int                   `json:"total"`
	// Next is the after= of the next page, "" on the last.
	Next string `json:"next"`
}

// rosterFilter reads ?institution_id=&limit=&offset=&after=. after is the
// cursor of the page before (next in the JSON, the next link on the page);
// with it, offset only numbers the rows. offset alone still pages, for
// clients written before the cursor.
func rosterFilter(c *fiber.Ctx) (courses.RosterFilter, error) {
	f := courses.RosterFilter{InstitutionID: int64(c.QueryInt("institution_id"))}
	f.Limit, f.Offset = pagination(c)
	if v := c.Query("after"); v != "" {
		after, err := courses.ParseRosterCursor(v)
		if err != nil {
			return f, validationError(map[string]message{"after": {Key: "validation.invalid"}})
		}
		f.After = after
	}
	return f, nil
}

// bulkCSVLimit caps a bulk enrolment file: 10,000 learners fit in about 1 MB.
const bulkCSVLimit = 8 << 20

// bulkEnrol enrols the learners of a CSV body (API). ?dry_run=1 only says
// what would happen.
func (s *server) bulkEnrol(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	res, err := s.courses.BulkEnrol(c.UserContext(), actor(c), id,
		courses.BulkImport{File: bytes.NewReader(c.Body()), DryRun: c.QueryBool("dry_run")})
	if err != nil {
		return err
	}
	return c.JSON(s.bulkResponse(res))
}

// bulkResult is the API answer: the contract's counts plus the password
// links of the accounts created, for the admin to hand over.
type bulkResult struct {
	*courses.BulkResult
	NewAccounts []newAccount `json:"new_accounts"`
}

type newAccount struct {
	Email       string `json:"email"`
	Name        string `json:"name"`
	PasswordURL string `json:"password_url,omitempty"`
}

func (s *server) bulkResponse(res *courses.BulkResult) bulkResult {
	out := bulkResult{BulkResult: res, NewAccounts: make([]newAccount, len(res.NewAccounts))}
	for i, a := range res.NewAccounts {
		out.NewAccounts[i] = newAccount{Email: a.Email, Name: a.Name}
		if a.PasswordToken != "" {
			out.NewAccounts[i].PasswordURL = s.passwordURL(a.PasswordToken)
		}
	}
	return out
}

type enrolUserForm struct {
	UserID int64  `json:"user_id" form:"user_id"`
	Email  string `json:"email" form:"email" validate:"required_without=UserID,omitempty,email"`
}

// enrolOther lets an admin enrol a user by hand, by id or email (API).
func (s *server) enrolOther(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form enrolUserForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	userID, err := s.resolveUser(c, form)
	if err != nil {
		return err
	}
	e, err := s.courses.EnrolUser(c.UserContext(), actor(c), id, userID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *server) resolveUser(c *fiber.Ctx, form enrolUserForm) (int64, error) {
	if form.UserID != 0 {
		u, err := s.accounts.User(c.UserContext(), form.UserID)
		if err != nil {
			return 0, err
		}
		return u.ID, nil
	}
	u, err := s.accounts.UserByEmail(c.UserContext(), form.Email)
	if errors.Is(err, accounts.ErrNotFound) {
		return 0, validationError(map[string]message{"email": {Key: "enrol.unknown_email"}})
	}
	if err != nil {
		return 0, err
	}
	return u.ID, nil
}

type cohortForm struct {
	InstitutionID int64 `json:"institution_id" form:"institution_id" validate:"required,gt=0"`
}

// enrolCohort enrols every learner of an institution (API).
func (s *server) enrolCohort(c *fiber.Ctx) error {
	_, n, err := s.enrolCohortFrom(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"enrolled": n})
}

// enrolCohortFrom enrols the institution named in the request body in the
// route's course, for the page and the API alike, and returns the course id.
func (s *server) enrolCohortFrom(c *fiber.Ctx) (int64, int, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	var form cohortForm
	if err := parseBody(c, &form); err != nil {
		return 0, 0, err
	}
	n, err := s.courses.EnrolInstitution(c.UserContext(), actor(c), id, form.InstitutionID)
	return id, n, err
}

// readUpload returns the bytes of an uploaded form file.
func readUpload(c *fiber.Ctx, field string, limit int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, validationError(map[string]message{field: {Key: "validation.required"}})
	}
	if fh.Size > limit {
		return nil, statusError(fiber.StatusRequestEntityTooLarge)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
