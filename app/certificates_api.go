package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// The administrators' side of certificates: the list, one certificate with
// its audit trail, revoking and correcting (reissuing) — as pages and as
// API calls over the same service methods.

// listCertificates lists certificates with ?q=&course_id=&status= (API).
func (s *server) listCertificates(c *fiber.Ctx) error {
	f := certificateFilter(c)
	items, total, err := s.certs.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]certificateJSON, len(items))
	for i := range items {
		out[i] = s.certificateJSON(&items[i])
	}
	return c.JSON(list[certificateJSON]{Items: out, Total: total})
}

func certificateFilter(c *fiber.Ctx) certificates.Filter {
	limit, offset := pagination(c)
	f := certificates.Filter{Query: strings.TrimSpace(c.Query("q")), CourseID: int64(c.QueryInt("course_id")),
		Status: certificates.Status(c.Query("status")), Limit: limit, Offset: offset}
	switch f.Status {
	case certificates.StatusValid, certificates.StatusRevoked, certificates.StatusExpired:
	default:
		f.Status = ""
	}
	return f
}

// issueForm is a manual issue for one person (API).
type issueForm struct {
	UserID      int64  `json:"user_id" validate:"required,gt=0"`
	CourseID    int64  `json:"course_id" validate:"required,gt=0"`
	CompletedOn string `json:"completed_on" validate:"omitempty,datetime=2006-01-02"`
}

// completedAt reads an optional YYYY-MM-DD completion date (validated).
func completedAt(day string) time.Time {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}
	}
	return t
}

// issueCertificate issues a certificate by hand (API): 201, or 409 when the
// person holds one for the course already.
func (s *server) issueCertificate(c *fiber.Ctx) error {
	var form issueForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	cert, err := s.certs.Issue(c.UserContext(), certificates.IssueParams{UserID: form.UserID, CourseID: form.CourseID,
		CompletedAt: completedAt(form.CompletedOn), By: currentUser(c).ID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.certificateJSON(cert))
}

// issueBatchForm is a manual issue for several people (API).
type issueBatchForm struct {
	CourseID    int64   `json:"course_id" validate:"required,gt=0"`
	UserIDs     []int64 `json:"user_ids" validate:"required,min=1,max=5000,dive,gt=0"`
	CompletedOn string  `json:"completed_on" validate:"omitempty,datetime=2006-01-02"`
}

type issueBatchJSON struct {
	Issued   []certificateJSON `json:"issued"`
	Existing []certificateJSON `json:"existing"`
}

// issueCertificateBatch issues certificates of a course to several people
// at once (API); those who hold one already are listed in "existing".
func (s *server) issueCertificateBatch(c *fiber.Ctx) error {
	var form issueBatchForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	res, err := s.certs.IssueMany(c.UserContext(), form.CourseID, form.UserIDs, completedAt(form.CompletedOn), currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(s.issueBatchJSON(res))
}

func (s *server) issueBatchJSON(res *certificates.IssueResult) issueBatchJSON {
	out := issueBatchJSON{Issued: []certificateJSON{}, Existing: []certificateJSON{}}
	for i := range res.Issued {
		out.Issued = append(out.Issued, s.certificateJSON(&res.Issued[i]))
	}
	for i := range res.Existing {
		out.Existing = append(out.Existing, s.certificateJSON(&res.Existing[i]))
	}
	return out
}

// revokeForm gives the reason of a revocation.
type revokeForm struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=1000"`
}

func (f *revokeForm) normalize() { f.Reason = strings.TrimSpace(f.Reason) }

// revokeCertificate revokes a certificate (API).
func (s *server) revokeCertificate(c *fiber.Ctx) error {
	var form revokeForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	cert, err := s.certs.Revoke(c.UserContext(), c.Params("code"), currentUser(c).ID, form.Reason)
	if err != nil {
		return err
	}
	return c.JSON(s.certificateJSON(cert))
}

// reissueForm corrects a certificate. In the API a missing field keeps its
// value; the page always sends all three.
type reissueForm struct {
	HolderName  *string `json:"holder_name" form:"holder_name" validate:"omitempty,min=1,max=200"`
	CourseTitle *string `json:"course_title" form:"course_title" validate:"omitempty,min=1,max=200"`
	Institution *string `json:"institution" form:"institution" validate:"omitempty,max=200"`
	// CurrentIssuer redraws the certificate with the current issuer
	// settings (name, colour, logo, signatories).
	CurrentIssuer bool   `json:"current_issuer" form:"current_issuer"`
	Reason        string `json:"reason" form:"reason" validate:"required,max=1000"`
}

func (f *reissueForm) normalize() {
	for _, p := range []*string{f.HolderName, f.CourseTitle, f.Institution} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	f.Reason = strings.TrimSpace(f.Reason)
}

func (f *reissueForm) params() certificates.ReissueParams {
	return certificates.ReissueParams{HolderName: f.HolderName, CourseTitle: f.CourseTitle, Institution: f.Institution,
		CurrentIssuer: f.CurrentIssuer, Reason: f.Reason}
}

// reissueCertificate corrects a certificate, keeping its code (API).
func (s *server) reissueCertificate(c *fiber.Ctx) error {
	var form reissueForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	cert, err := s.certs.Reissue(c.UserContext(), c.Params("code"), currentUser(c).ID, form.params())
	if err != nil {
		return err
	}
	return c.JSON(s.certificateJSON(cert))
}

// ---- Pages ----

// adminCertificateRow is one line of the admins' list.
type adminCertificateRow struct {
	Cert   certificates.Certificate
	Status string
	Issued string
}

type adminCertificatesPage struct {
	Page
	Items    []adminCertificateRow
	Filter   certificates.Filter
	Courses  []courses.Course
	Statuses []certificates.Status
	Pager    pager
}

func (s *server) adminCertificatesPage(c *fiber.Ctx) error {
	f := certificateFilter(c)
	items, total, err := s.certs.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	all, err := s.certs.Courses(c.UserContext())
	if err != nil {
		return err
	}
	p := adminCertificatesPage{Page: s.adminPage(c, "certificates.admin.title"), Filter: f, Courses: all,
		Statuses: []certificates.Status{certificates.StatusValid, certificates.StatusExpired, certificates.StatusRevoked},
		Pager:    newPager(c, total, f.Limit, f.Offset)}
	for i := range items {
		p.Items = append(p.Items, adminCertificateRow{Cert: items[i], Status: string(s.certs.Status(&items[i])),
			Issued: s.issueDate(&items[i], p.Page)})
	}
	return s.render(c, "pages/admin/certificates", p)
}

// eventRow is one line of a certificate's audit trail.
type eventRow struct {
	Event   certificates.Event
	At      string
	Changes []changeRow
}

type changeRow struct {
	Field, From, To string
}

type adminCertificatePage struct {
	Page
	Cert   *certificates.Certificate
	Status string
	certificateDates
	AccountName string // the holder's account name, when it differs from the certificate
	Events      []eventRow
	Reissue     reissueValues
	Revoke      revokeForm
	Errors      map[string]string
	Form        string // which form the errors belong to: "revoke" or "reissue"
}

// reissueValues fill the correction form.
type reissueValues struct {
	HolderName, CourseTitle, Institution, Reason string
	CurrentIssuer                                bool
}

// changeLabels names the fields a reissue may change, as the audit trail
// prints them.
var changeLabels = map[string]string{
	"holder_name":  "certificates.field.holder_name",
	"course_title": "certificates.field.course_title",
	"institution":  "certificates.field.institution",
	"issuer_name":  "certificates.field.issuer",
	"accent_color": "certificates.field.accent_color",
	"logo":         "certificates.field.logo",
	"signatories":  "certificates.field.signatories",
}

func (s *server) adminCertificateData(c *fiber.Ctx) (*adminCertificatePage, error) {
	ctx := c.UserContext()
	cert, err := s.certs.Certificate(ctx, c.Params("code"))
	if err != nil {
		return nil, err
	}
	events, err := s.certs.Events(ctx, cert.ID)
	if err != nil {
		return nil, err
	}
	p := &adminCertificatePage{Page: s.adminPage(c, "certificates.admin.show_title"), Cert: cert,
		Status:  string(s.certs.Status(cert)),
		Reissue: reissueValues{HolderName: cert.HolderName, CourseTitle: cert.CourseTitle, Institution: cert.Institution}}
	p.certificateDates = s.certificateDates(cert, p.Page)
	if u, err := s.accounts.User(ctx, cert.UserID); err == nil && u.Name != cert.HolderName {
		p.AccountName = u.Name
	}
	for _, ev := range events {
		row := eventRow{Event: ev, At: p.Time(ev.At)}
		for _, field := range []string{"holder_name", "course_title", "institution", "issuer_name", "accent_color", "logo", "signatories"} {
			if ch, ok := ev.Changes[field]; ok {
				row.Changes = append(row.Changes, changeRow{Field: p.T(changeLabels[field]), From: ch.From, To: ch.To})
			}
		}
		p.Events = append(p.Events, row)
	}
	return p, nil
}

func (s *server) adminCertificatePage(c *fiber.Ctx) error {
	p, err := s.adminCertificateData(c)
	if err != nil {
		return err
	}
	if p.Cert.Code != c.Params("code") {
		return c.Redirect("/admin/certificates/"+p.Cert.Code, fiber.StatusSeeOther)
	}
	return s.render(c, "pages/admin/certificates_show", p)
}

// certificateFormError shows the certificate page again with the errors of
// one of its forms, the admin's input kept; other errors go to the error page.
func (s *server) certificateFormError(c *fiber.Ctx, err error, which string, fill func(*adminCertificatePage)) error {
	if !fieldError(err) {
		return err
	}
	p, perr := s.adminCertificateData(c)
	if perr != nil {
		return perr
	}
	p.Errors, p.Form = s.translateFields(c, err), which
	fill(p)
	c.Status(statusOf(err))
	return s.render(c, "pages/admin/certificates_show", p)
}

func (s *server) revokeCertificatePage(c *fiber.Ctx) error {
	var form revokeForm
	err := parseBody(c, &form)
	var cert *certificates.Certificate
	if err == nil {
		cert, err = s.certs.Revoke(c.UserContext(), c.Params("code"), currentUser(c).ID, form.Reason)
	}
	if err == nil {
		return s.redirectWithFlash(c, "/admin/certificates/"+cert.Code, "certificates.flash.revoked")
	}
	return s.certificateFormError(c, err, "revoke", func(p *adminCertificatePage) { p.Revoke = form })
}

func (s *server) reissueCertificatePage(c *fiber.Ctx) error {
	var form reissueForm
	err := parseBody(c, &form)
	var cert *certificates.Certificate
	if err == nil {
		cert, err = s.certs.Reissue(c.UserContext(), c.Params("code"), currentUser(c).ID, form.params())
		if errors.Is(err, certificates.ErrNoChange) {
			err = validationError(map[string]message{"holder_name": {Key: "certificates.error.no_change"}})
		}
		if errors.Is(err, certificates.ErrInvalidSnapshot) {
			err = validationError(map[string]message{"holder_name": {Key: "certificates.error.snapshot"}})
		}
	}
	if err == nil {
		return s.redirectWithFlash(c, "/admin/certificates/"+cert.Code, "certificates.flash.reissued")
	}
	return s.certificateFormError(c, err, "reissue", func(p *adminCertificatePage) {
		deref := func(v *string) string {
			if v == nil {
				return ""
			}
			return *v
		}
		p.Reissue = reissueValues{HolderName: deref(form.HolderName), CourseTitle: deref(form.CourseTitle),
			Institution: deref(form.Institution), Reason: form.Reason, CurrentIssuer: form.CurrentIssuer}
	})
}
