package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// Issuing certificates by hand, e.g. to the participants of an in-person
// workshop: one course, a list of people's emails, an optional date.

type issueListForm struct {
	CourseID    int64  `form:"course_id" validate:"required,gt=0"`
	Emails      string `form:"emails" validate:"required,max=100000"`
	CompletedOn string `form:"completed_on" validate:"omitempty,datetime=2006-01-02"`
}

func (f *issueListForm) normalize() { f.CompletedOn = strings.TrimSpace(f.CompletedOn) }

// emails returns the distinct emails of the list, in order, split at line
// breaks, commas, semicolons and spaces (as pasted from a spreadsheet).
func (f *issueListForm) emails() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range strings.FieldsFunc(f.Emails, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		if key := strings.ToLower(e); !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}

type issueCertificatesPage struct {
	Page
	Form     issueListForm
	Courses  []courses.Course
	Errors   map[string]string
	Done     bool
	Issued   []certificates.Certificate
	Existing []certificates.Certificate
}

func (s *server) issuePage(c *fiber.Ctx, form issueListForm) (*issueCertificatesPage, error) {
	all, err := s.certs.Courses(c.UserContext())
	if err != nil {
		return nil, err
	}
	return &issueCertificatesPage{Page: s.adminPage(c, "certificates.issue.title"), Form: form, Courses: all}, nil
}

func (s *server) issueCertificatesPage(c *fiber.Ctx) error {
	p, err := s.issuePage(c, issueListForm{CourseID: int64(c.QueryInt("course_id"))})
	if err != nil {
		return err
	}
	return s.render(c, "pages/admin/certificates_issue", p)
}

// issueCertificatesSubmit issues the list, all or nothing: an unknown email
// shows the form again naming it, with nothing issued.
func (s *server) issueCertificatesSubmit(c *fiber.Ctx) error {
	var form issueListForm
	err := parseBody(c, &form)
	var res *certificates.IssueResult
	if err == nil {
		res, err = s.issueList(c, &form)
	}
	p, perr := s.issuePage(c, form)
	if perr != nil {
		return perr
	}
	if err != nil {
		if !fieldError(err) {
			return err
		}
		p.Errors = s.translateFields(c, err)
		c.Status(statusOf(err))
		return s.render(c, "pages/admin/certificates_issue", p)
	}
	p.Done, p.Issued, p.Existing = true, res.Issued, res.Existing
	p.Form.Emails = ""
	return s.render(c, "pages/admin/certificates_issue", p)
}

// issueList issues the pasted list; certificates decides who is on it.
func (s *server) issueList(c *fiber.Ctx, form *issueListForm) (*certificates.IssueResult, error) {
	res, err := s.certs.IssueByEmail(c.UserContext(), form.CourseID, form.emails(), completedAt(form.CompletedOn), currentUser(c).ID)
	var unknown *certificates.UnknownEmailsError
	switch {
	case errors.Is(err, certificates.ErrTooManyEmails):
		return nil, validationError(map[string]message{"emails": {Key: "certificates.issue.too_many", Args: []any{certificates.MaxIssueEmails}}})
	case errors.Is(err, certificates.ErrUnknownCourse):
		return nil, validationError(map[string]message{"course_id": {Key: "validation.required"}})
	case errors.As(err, &unknown):
		return nil, validationError(map[string]message{"emails": {Key: "certificates.issue.unknown_emails", Args: []any{strings.Join(unknown.Emails, ", ")}}})
	}
	return res, err
}
