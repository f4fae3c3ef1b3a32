package app

import (
	"errors"
	"html"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/locales"
)

type adminCertificatesPage struct {
	Page
	Items    []certificates.Certificate
	Rows     template.HTML // Items' rows (certificateRowsHTML)
	Filter   certificates.Filter
	Courses  template.HTML // the course filter's options (courseOptions)
	Statuses template.HTML // the status filter's options
	Pager    pager
}

func (s *server) adminCertificatesPage(c *fiber.Ctx) error {
	f := certificateFilter(c)
	items, total, all, err := s.certs.ListPage(c.UserContext(), f)
	if err != nil {
		return err
	}
	p := adminCertificatesPage{Page: s.adminPage(c, "certificates.admin.title"), Items: items, Filter: f, Courses: courseOptions(all, f.CourseID),
		Pager: boundedPager(c, total, certificates.CountCap, len(items), f.Limit, f.Offset)}
	var b strings.Builder
	for _, st := range []certificates.Status{certificates.StatusValid, certificates.StatusExpired, certificates.StatusRevoked} {
		writeLabelledOption(&b, string(st), st == f.Status, p.T("certificates.status."+string(st)))
	}
	p.Statuses = template.HTML(b.String()) //nolint:gosec // escaped by writeLabelledOption
	p.Rows = certificateRowsHTML(p.Page, items, s.certs.Status, s.certs.Location())
	return s.render(c, "pages/admin/certificates", p)
}

// certificateRowsHTML writes the certificate list's rows, a <tr> each,
// every text escaped as the template would escape it: ranged over by the
// template, the page's 20 rows were about a quarter of the server's time
// on a search at scale (CPU profile, 4 clients). status is each one's
// status now, loc the zone its issue date is printed in.
func certificateRowsHTML(p Page, items []certificates.Certificate, status func(*certificates.Certificate) certificates.Status,
	loc *time.Location) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 400)
	text := html.EscapeString
	participation := ` <span class="badge">` + text(p.T("eventmail.certificate.participation")) + `</span>`
	reissued := ` <span class="badge">` + text(p.T("certificates.admin.reissued_badge")) + `</span>`
	statuses := map[certificates.Status]string{}
	for i := range items {
		cert := &items[i]
		st := status(cert)
		label, ok := statuses[st]
		if !ok {
			label = text(p.T("certificates.status." + string(st)))
			statuses[st] = label
		}
		code := text(cert.Code)
		b.WriteString("\n  <tr>\n    <td><a href=\"/admin/certificates/" + text(url.PathEscape(cert.Code)) + "\"><code>" + code +
			"</code></a></td>\n    <td>" + text(cert.HolderName) + "</td>\n    <td>" + text(cert.CourseTitle))
		if cert.EventID != nil {
			b.WriteString(participation)
		}
		b.WriteString("</td>\n    <td>" + text(locales.FormatDate(cert.IssuedAt.In(loc), p.Lang)) + "</td>\n    <td>" + label)
		if cert.Reissued() {
			b.WriteString(reissued)
		}
		b.WriteString("</td>\n  </tr>\n  ")
	}
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
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
