package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
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
	return c.JSON(boundedList(out, total, certificates.CountCap))
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

// eventRow is one line of a certificate's audit trail.
type eventRow struct {
	Event   certificates.Event
	At      string
	Changes []changeRow
}

type changeRow struct {
	Field, From, To string
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

// myCertificates lists the signed-in user's certificates (API).
func (s *server) myCertificates(c *fiber.Ctx) error {
	mine, err := s.certs.UserCertificates(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	items := make([]certificateJSON, len(mine))
	for i := range mine {
		items[i] = s.certificateJSON(&mine[i])
	}
	return c.JSON(list[certificateJSON]{Items: items, Total: len(items)})
}

// showCertificate answers one certificate to its holder or an admin (API);
// admins also get its audit trail.
func (s *server) showCertificate(c *fiber.Ctx) error {
	u := currentUser(c)
	cert, err := s.downloadable(c, u)
	if err != nil && !errors.Is(err, certificates.ErrRevoked) {
		return err
	}
	if cert == nil { // the holder of a revoked certificate still sees its record
		if cert, err = s.certs.Certificate(c.UserContext(), c.Params("code")); err != nil {
			return err
		}
	}
	out := s.certificateJSON(cert)
	if u.IsAdmin() {
		if out.Events, err = s.certs.Events(c.UserContext(), cert.ID); err != nil {
			return err
		}
	}
	return c.JSON(out)
}

// certificateJSON is the API's `certificate` (../shared/API.md), with the
// snapshot it states.
type certificateJSON struct {
	Code          string     `json:"code"`
	UserID        int64      `json:"user_id"`
	CourseID      *int64     `json:"course_id"` // null for a participation
	Status        string     `json:"status"`
	HolderName    string     `json:"holder_name"`
	CourseTitle   string     `json:"course_title"`
	WorkloadHours int        `json:"workload_hours"`
	Institution   string     `json:"institution"`
	Issuer        string     `json:"issuer"`
	Language      string     `json:"language"`
	CompletedAt   time.Time  `json:"completed_at"`
	IssuedAt      time.Time  `json:"issued_at"`
	ExpiresAt     *time.Time `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
	RevokeReason  string     `json:"revoke_reason,omitempty"`
	Revision      int        `json:"revision"`
	ReissuedAt    *time.Time `json:"reissued_at"`
	PDFURL        string     `json:"pdf_url"`
	VerifyURL     string     `json:"verify_url"`
	// Kind is "completion" or "participation"; a participation names its
	// event and first day.
	Kind      certificates.Kind `json:"kind"`
	EventID   *int64            `json:"event_id,omitempty"`
	StartedAt *time.Time        `json:"started_at,omitempty"`

	Events []certificates.Event `json:"events,omitempty"` // admins only
}

func (s *server) certificateJSON(c *certificates.Certificate) certificateJSON {
	return certificateJSON{
		Code:          c.Code,
		UserID:        c.UserID,
		CourseID:      courseIDOf(c),
		Kind:          c.Kind(),
		EventID:       c.EventID,
		StartedAt:     utcTime(c.StartedAt),
		Status:        string(s.certs.Status(c)),
		HolderName:    c.HolderName,
		CourseTitle:   c.CourseTitle,
		WorkloadHours: c.WorkloadHours,
		Institution:   c.Institution,
		Issuer:        c.IssuerName,
		Language:      c.Language,
		CompletedAt:   c.CompletedAt.UTC(),
		IssuedAt:      c.IssuedAt.UTC(),
		ExpiresAt:     utcTime(c.ExpiresAt),
		RevokedAt:     utcTime(c.RevokedAt),
		RevokeReason:  c.Reason(),
		Revision:      c.Revision,
		ReissuedAt:    utcTime(c.ReissuedAt),
		PDFURL:        s.cfg.BaseURL + "/api/v1/certificates/" + c.Code + ".pdf",
		VerifyURL:     s.certs.VerifyURL(c.Code),
	}
}
