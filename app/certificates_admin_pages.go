package app

import (
	"errors"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
)

type adminCertificatesPage struct {
	Page
	Items    []adminCertificateRow
	Filter   certificates.Filter
	Courses  template.HTML // the course filter's options (courseOptions)
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
	p := adminCertificatesPage{Page: s.adminPage(c, "certificates.admin.title"), Filter: f, Courses: courseOptions(all, f.CourseID),
		Statuses: []certificates.Status{certificates.StatusValid, certificates.StatusExpired, certificates.StatusRevoked},
		Pager:    boundedPager(c, total, certificates.CountCap, len(items), f.Limit, f.Offset)}
	for i := range items {
		p.Items = append(p.Items, adminCertificateRow{Cert: items[i], Status: string(s.certs.Status(&items[i])),
			Issued: s.issueDate(&items[i], p.Page)})
	}
	return s.render(c, "pages/admin/certificates", p)
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
