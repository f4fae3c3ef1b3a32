package app

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/locales"
)

// This file is the holder's side of certificates: "My certificates" and the
// PDF download; the JSON shape of a certificate is in certificates_api.go.

// downloadable returns the certificate of the route if u may download it.
func (s *server) downloadable(c *fiber.Ctx, u *accounts.User) (*certificates.Certificate, error) {
	return s.certs.Downloadable(c.UserContext(), c.Params("code"), u.ID, u.IsAdmin())
}

// errRevokedPDF is what the holder of a revoked certificate gets for its PDF.
var errRevokedPDF = newHTTPError(fiber.StatusGone, "certificate_revoked", "certificates.error.revoked_pdf")

// certificatePDF sends a certificate's PDF to its holder or an admin, for
// pages (/certificates/{code}.pdf) and the API alike. The PDF's ETag is
// the hash of everything it is drawn from, so a browser that has it gets
// 304 without anything being drawn, and a corrected certificate or new
// issuer settings change the tag. Drawn PDFs are cached by that hash.
func (s *server) certificatePDF(c *fiber.Ctx) error {
	cert, err := s.downloadable(c, currentUser(c))
	if errors.Is(err, certificates.ErrRevoked) {
		return errRevokedPDF
	}
	if err != nil {
		return err
	}
	doc, err := s.certs.Document(c.UserContext(), cert)
	if err != nil {
		return err
	}
	hash := doc.Hash()
	etag := `"` + hash + `"`
	// Private: a certificate is personal data; shared caches must not keep it.
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderETag, etag)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	pdf, err := s.certs.PDF(doc, hash)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	disposition := "inline"
	if c.QueryBool("download") {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentDisposition, disposition+`; filename="`+certificates.FileName(cert)+`"`)
	return c.Send(pdf)
}

// myCertificate is one line of "My certificates".
type myCertificate struct {
	Cert      certificates.Certificate
	Status    string
	Issued    string
	Expires   string
	Revoked   string
	PDFURL    string
	VerifyURL string
}

type myCertificatesPage struct {
	Page
	Items []myCertificate
}

// myCertificatesPage lists the learner's certificates with a download link
// and the verify link to share.
func (s *server) myCertificatesPage(c *fiber.Ctx) error {
	mine, err := s.certs.UserCertificates(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	p := myCertificatesPage{Page: s.page(c, "certificates.mine.title")}
	p.Nav = "certificates"
	for i := range mine {
		cert := &mine[i]
		d := s.certificateDates(cert, p.Page)
		item := myCertificate{
			Cert:      *cert,
			Status:    string(s.certs.Status(cert)),
			Issued:    d.Issued,
			Expires:   d.Expires,
			Revoked:   d.Revoked,
			PDFURL:    "/certificates/" + cert.Code + ".pdf",
			VerifyURL: s.certs.VerifyURL(cert.Code),
		}
		p.Items = append(p.Items, item)
	}
	return s.render(c, "pages/certificates/mine", p)
}

// certificateDates are a certificate's dates as its pages print them.
type certificateDates struct {
	Completed, Issued, Expires, Revoked, Reissued string
	// EventDates are a participation's first and last days ("" for a
	// completion), shown instead of Completed.
	EventDates string
}

// certificateDates writes a certificate's dates for the page p. The dates
// the certificate itself states are shown as its PDF states them, whoever
// looks: completion and expiry are calendar days (kept as midnight UTC),
// the issue date is on the installation's calendar. Revocation and
// reissue are events of the record, not of the document: they are dated
// in the viewer's zone, as every other time on the pages.
func (s *server) certificateDates(cert *certificates.Certificate, p Page) certificateDates {
	day := func(t time.Time) string { return locales.FormatDate(t.UTC(), p.Lang) }
	d := certificateDates{Completed: day(cert.CompletedAt), Issued: s.issueDate(cert, p)}
	if cert.StartedAt != nil {
		d.EventDates = d.Completed
		if first := day(*cert.StartedAt); first != d.Completed {
			d.EventDates = first + " – " + d.Completed
		}
	}
	if cert.ExpiresAt != nil {
		d.Expires = day(*cert.ExpiresAt)
	}
	if cert.RevokedAt != nil {
		d.Revoked = p.Date(*cert.RevokedAt)
	}
	if cert.ReissuedAt != nil {
		d.Reissued = p.Date(*cert.ReissuedAt)
	}
	return d
}

// issueDate is the issue date a certificate's PDF states, in p's language.
func (s *server) issueDate(cert *certificates.Certificate, p Page) string {
	return locales.FormatDate(cert.IssuedAt.In(s.certs.Location()), p.Lang)
}
