package app

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
)

// Public verification: anyone holding a certificate's code (typed, or from
// its QR code) sees what the certificate states and whether it still
// stands. Lookups are rate-limited per client address, so codes cannot be
// guessed by brute force.

// verifyLimit is how many lookups a client address may make per minute:
// plenty for people, too few to walk the space of codes.
const verifyLimit = 60

// verifyAllowed counts a lookup against the client's address.
func (s *server) verifyAllowed(c *fiber.Ctx) error {
	ok, retry, err := s.limiter.Allow(c.UserContext(), "verify:ip:"+c.IP(), verifyLimit, time.Minute)
	if err != nil {
		return err
	}
	if !ok {
		return rateLimited(retry)
	}
	return nil
}

// verifyJSON is the answer of GET /api/v1/verify/{code}: the signed
// payload's seven fields, the signature and the id and public key of the
// key that made it, with the certificate's status and the rest of its
// snapshot. certificates.ParseCredential reads it as it is.
type verifyJSON struct {
	Code          string    `json:"code"`
	Status        string    `json:"status"`
	HolderName    string    `json:"holder_name"`
	CourseTitle   string    `json:"course_title"`
	WorkloadHours int       `json:"workload_hours"`
	IssuedAt      time.Time `json:"issued_at"`
	Institution   string    `json:"institution"`
	Issuer        string    `json:"issuer"`
	Signature     string    `json:"signature"`
	KeyID         int64     `json:"key_id"`
	PublicKey     string    `json:"public_key"`
	// Credential is the exact string the PDF's metadata carries.
	Credential       string     `json:"credential"`
	CompletedOn      string     `json:"completed_on"` // the date printed, YYYY-MM-DD
	Language         string     `json:"language"`
	TemplateVersion  int        `json:"template_version"`
	ExpiresAt        *time.Time `json:"expires_at"`
	RevokedAt        *time.Time `json:"revoked_at"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
	Reissued         bool       `json:"reissued"`
	ReissuedAt       *time.Time `json:"reissued_at"`
	Revision         int        `json:"revision"`
	VerifyURL        string     `json:"verify_url"`
	// Kind is "completion" or "participation"; a participation names the
	// event (course_title holds its title too) and its first day.
	Kind       certificates.Kind `json:"kind"`
	EventID    *int64            `json:"event_id,omitempty"`
	EventTitle string            `json:"event_title,omitempty"`
	StartedAt  *time.Time        `json:"started_at,omitempty"`
}

// keyJSON is one published signing key.
type keyJSON struct {
	KeyID        int64      `json:"key_id"`
	Algorithm    string     `json:"algorithm"`
	PublicKey    string     `json:"public_key"`
	PublicKeyPEM string     `json:"public_key_pem"`
	CreatedAt    time.Time  `json:"created_at"`
	RetiredAt    *time.Time `json:"retired_at"`
}

type verifyFormPage struct {
	Page
	Code  string
	Error string
}

// verifyFormPage asks for a code; a submitted code goes to its page.
func (s *server) verifyFormPage(c *fiber.Ctx) error {
	code := strings.TrimSpace(c.Query("code"))
	if code == "" {
		return s.render(c, "pages/certificates/verify_form", verifyFormPage{Page: s.page(c, "certificates.verify.form_title")})
	}
	norm, err := certificates.NormalizeCode(code)
	if err != nil {
		p := verifyFormPage{Page: s.page(c, "certificates.verify.form_title"), Code: code}
		p.Error = p.T("certificates.verify.bad_code")
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, "pages/certificates/verify_form", p)
	}
	return c.Redirect("/verify/"+url.PathEscape(norm), fiber.StatusSeeOther)
}

// verifyNotFound answers a code no certificate has with the verify form,
// the code as typed in it and a 404: the visitor most likely mistyped it
// and wants to try again, not to read a generic error page.
func (s *server) verifyNotFound(c *fiber.Ctx, code string) error {
	p := verifyFormPage{Page: s.page(c, "certificates.verify.form_title"), Code: strings.Clone(code)}
	if _, err := certificates.NormalizeCode(code); err != nil {
		p.Error = p.T("certificates.verify.bad_code")
	} else {
		p.Error = p.T("certificates.verify.unknown_code")
	}
	c.Status(fiber.StatusNotFound)
	return s.render(c, "pages/certificates/verify_form", p)
}

// verifyPageData is the public page of a certificate.
type verifyPageData struct {
	Page
	Cert   *certificates.Certificate
	Status string
	certificateDates
	Language   string
	KeyID      int64
	PublicKey  string
	VerifyURL  string
	JSONURL    string
	Credential string
}

// verifyPage shows everything a certificate states, so a printed copy can
// be compared with it line by line, and whether it still stands.
func (s *server) verifyPage(c *fiber.Ctx) error {
	if err := s.verifyAllowed(c); err != nil {
		return err
	}
	v, err := s.certs.Lookup(c.UserContext(), c.Params("code"))
	if errors.Is(err, certificates.ErrNotFound) {
		return s.verifyNotFound(c, c.Params("code"))
	}
	if err != nil {
		return err
	}
	cert := v.Certificate
	// The canonical address: a code typed in lower case without dashes
	// is shown under its printed form.
	if c.Params("code") != cert.Code {
		return c.Redirect("/verify/"+cert.Code, fiber.StatusMovedPermanently)
	}
	p := verifyPageData{Page: s.page(c, "certificates.verify.title"), Cert: cert, Status: string(v.Status),
		KeyID: v.Key.ID, PublicKey: v.Key.Public, VerifyURL: s.certs.VerifyURL(cert.Code),
		JSONURL:    "/api/v1/verify/" + cert.Code,
		Credential: certificates.Credential(cert.Snapshot().Payload(), cert.Signature)}
	p.certificateDates = s.certificateDates(cert, p.Page)
	p.Language = p.T("lang." + cert.Language)
	return s.render(c, "pages/certificates/verify", p)
}
