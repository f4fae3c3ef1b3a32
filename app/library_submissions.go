package app

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// Members' submissions and their review, as pages and API.

type submissionJSON struct {
	ID            int64                    `json:"id"`
	Status        library.SubmissionStatus `json:"status"`
	Title         string                   `json:"title"`
	Fields        library.ItemParams       `json:"fields"`
	SubmittedBy   *int64                   `json:"submitted_by"`
	InstitutionID *int64                   `json:"institution_id"`
	Note          string                   `json:"note"`
	ReviewedAt    *time.Time               `json:"reviewed_at"`
	ItemID        *int64                   `json:"item_id"`
	CreatedAt     time.Time                `json:"created_at"`
	UpdatedAt     time.Time                `json:"updated_at"`
}

func submissionOut(sub *library.Submission) submissionJSON {
	return submissionJSON{ID: sub.ID, Status: sub.Status, Title: sub.Title, Fields: sub.Fields, SubmittedBy: sub.SubmittedBy,
		InstitutionID: sub.InstitutionID, Note: sub.Note, ReviewedAt: utcTime(sub.ReviewedAt), ItemID: sub.ItemID,
		CreatedAt: sub.CreatedAt.UTC(), UpdatedAt: sub.UpdatedAt.UTC()}
}

// createSubmission is POST /api/v1/library/submissions: 201 {id, status: "pending", …}.
func (s *server) createSubmission(c *fiber.Ctx) error {
	var p library.ItemParams
	if err := parseBody(c, &p); err != nil {
		return err
	}
	sub, err := s.library.Submit(c.UserContext(), currentUser(c), p)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(submissionOut(sub))
}

// listSubmissions is GET /api/v1/library/submissions: a librarian's queue
// (?status=, pending by default), or a member's own.
func (s *server) listSubmissions(c *fiber.Ctx) error {
	list, _, err := s.library.Submissions(c.UserContext(), currentUser(c), library.SubmissionStatus(c.Query("status")))
	if err != nil {
		return err
	}
	out := make([]submissionJSON, len(list))
	for i := range list {
		out[i] = submissionOut(&list[i])
	}
	return c.JSON(listOf(out))
}

// showSubmission is GET /api/v1/library/submissions/{id}.
func (s *server) showSubmission(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sub, err := s.library.Submission(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(submissionOut(sub))
}

// resubmit is PATCH /api/v1/library/submissions/{id}: the member sends
// the fields again (after changes were asked for); fields left out keep
// their value.
func (s *server) resubmit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sub, err := s.library.Submission(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	p := sub.Fields
	if err := parseBody(c, &p); err != nil {
		return err
	}
	if sub, err = s.library.Resubmit(ctx, currentUser(c), id, p); err != nil {
		return err
	}
	return c.JSON(submissionOut(sub))
}

type decisionBody struct {
	Note string `json:"note" form:"note"`
}

type decide func(ctx context.Context, actor *accounts.User, id int64, note string) (*library.Submission, error)

// acceptSubmission is POST /api/v1/library/submissions/{id}/accept.
func (s *server) acceptSubmission(c *fiber.Ctx) error { return s.decideAPI(c, s.library.Accept) }

// declineSubmission is POST /api/v1/library/submissions/{id}/decline.
func (s *server) declineSubmission(c *fiber.Ctx) error { return s.decideAPI(c, s.library.Decline) }

// requestChanges is POST /api/v1/library/submissions/{id}/request-changes.
func (s *server) requestChanges(c *fiber.Ctx) error { return s.decideAPI(c, s.library.RequestChanges) }

func (s *server) decideAPI(c *fiber.Ctx, d decide) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var body decisionBody
	if len(c.Body()) > 0 {
		if err := parseBody(c, &body); err != nil {
			return err
		}
	}
	sub, err := d(c.UserContext(), currentUser(c), id, body.Note)
	if err != nil {
		return err
	}
	return c.JSON(submissionOut(sub))
}

// submitPage is the form a member proposes an experience with.
func (s *server) submitPage(c *fiber.Ctx) error {
	return s.renderItemForm(c, nil, libraryForm{Type: string(library.TypeExperience), Language: "pt"}, nil,
		"/library/submissions", "library.submit.title")
}

func (s *server) createSubmissionPage(c *fiber.Ctx) error {
	var form libraryForm
	err := parseBody(c, &form)
	if err == nil {
		var sub *library.Submission
		if sub, err = s.library.Submit(c.UserContext(), currentUser(c), form.params()); err == nil {
			return s.redirectWithFlash(c, submissionPath(sub.ID), "library.flash.submitted")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderItemForm(c, nil, form, s.translateFields(c, err), "/library/submissions", "library.submit.title")
}

func submissionPath(id int64) string { return "/library/submissions/" + strconv.FormatInt(id, 10) }

type submissionRow struct {
	ID     int64
	URL    string
	Title  string
	Status library.SubmissionStatus
	When   time.Time
}

type submissionsPage struct {
	Page
	Rows      []submissionRow
	Librarian bool
	Status    library.SubmissionStatus
	Statuses  []library.SubmissionStatus
}

// submissionsPage is /library/submissions: the review queue for
// librarians, a member's own submissions otherwise.
func (s *server) submissionsPage(c *fiber.Ctx) error {
	status := library.SubmissionStatus(c.Query("status"))
	list, librarian, err := s.library.Submissions(c.UserContext(), currentUser(c), status)
	if err != nil {
		return err
	}
	if status == "" {
		status = library.SubmissionPending
	}
	p := s.page(c, "library.submissions.title")
	p.Nav = "library"
	page := submissionsPage{Page: p, Librarian: librarian, Status: status, Statuses: []library.SubmissionStatus{
		library.SubmissionPending, library.SubmissionChangesRequested, library.SubmissionAccepted, library.SubmissionDeclined}}
	for _, sub := range list {
		page.Rows = append(page.Rows, submissionRow{ID: sub.ID, URL: submissionPath(sub.ID), Title: sub.Title, Status: sub.Status, When: sub.UpdatedAt})
	}
	return s.render(c, "pages/library/submissions", page)
}

type submissionPage struct {
	Page
	Sub       *library.Submission
	Fields    library.ItemParams
	Type      string
	Countries []string
	Themes    []string
	Librarian bool
	Mine      bool
	// Editable: the member may send it again.
	Editable bool
}

// submissionPage is /library/submissions/{id}: what was sent, the
// decision, and the librarian's buttons.
func (s *server) submissionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sub, err := s.library.Submission(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	l, err := s.libraryJSON(c)
	if err != nil {
		return err
	}
	p := s.page(c, "library.submissions.title")
	p.Title, p.Nav = sub.Title, "library"
	page := submissionPage{Page: p, Sub: sub, Fields: sub.Fields, Type: p.T("library.type." + string(sub.Fields.Type))}
	for _, code := range sub.Fields.Countries {
		page.Countries = append(page.Countries, countryName(code, p.Lang))
	}
	for _, th := range sub.Fields.Themes {
		page.Themes = append(page.Themes, l.themes.label(th))
	}
	if page.Librarian, err = s.library.IsLibrarian(ctx, currentUser(c)); err != nil {
		return err
	}
	u := currentUser(c)
	page.Mine = sub.SubmittedBy != nil && u != nil && *sub.SubmittedBy == u.ID
	page.Editable = page.Mine && (sub.Status == library.SubmissionPending || sub.Status == library.SubmissionChangesRequested)
	return s.render(c, "pages/library/submission", page)
}

// editSubmissionPage is the form to send a submission again.
func (s *server) editSubmissionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sub, err := s.library.Submission(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return s.renderItemForm(c, nil, formOfParams(sub.Fields), nil, submissionPath(id), "library.submit.edit")
}

// formOfParams is the item form filled with submitted fields.
func formOfParams(p library.ItemParams) libraryForm {
	it := &library.Item{Type: p.Type, Title: p.Title, Abstract: p.Abstract, Language: p.Language, Countries: p.Countries,
		Region: p.Region, Themes: p.Themes, Year: p.Year, Authors: p.Authors, InstitutionID: p.InstitutionID,
		TargetPopulation: p.TargetPopulation, DocumentType: p.DocumentType, Licence: p.Licence, URL: p.URL}
	for _, t := range p.Translations {
		it.Translations = append(it.Translations, library.Translation{Language: t.Language, Title: t.Title, Abstract: t.Abstract})
	}
	f := formOfItem(it)
	f.Date = p.Date
	return f
}

func (s *server) resubmitPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form libraryForm
	if err = parseBody(c, &form); err == nil {
		if _, err = s.library.Resubmit(c.UserContext(), currentUser(c), id, form.params()); err == nil {
			return s.redirectWithFlash(c, submissionPath(id), "library.flash.submitted")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(statusOf(err))
	return s.renderItemForm(c, nil, form, s.translateFields(c, err), submissionPath(id), "library.submit.edit")
}

func (s *server) acceptSubmissionPage(c *fiber.Ctx) error {
	return s.decidePage(c, s.library.Accept, "library.flash.accepted")
}

func (s *server) declineSubmissionPage(c *fiber.Ctx) error {
	return s.decidePage(c, s.library.Decline, "library.flash.declined")
}

func (s *server) requestChangesPage(c *fiber.Ctx) error {
	return s.decidePage(c, s.library.RequestChanges, "library.flash.changes_requested")
}

func (s *server) decidePage(c *fiber.Ctx, d decide, flash string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	sub, err := d(c.UserContext(), currentUser(c), id, c.FormValue("note"))
	if err != nil {
		return err
	}
	if sub.ItemID != nil {
		return s.redirectWithFlash(c, manageItemPath(*sub.ItemID), flash)
	}
	return s.redirectWithFlash(c, submissionPath(id), flash)
}
