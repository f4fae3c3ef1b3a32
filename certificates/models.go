package certificates

import (
	"time"

	"github.com/uptrace/bun"
)

// Status is what a certificate is worth today, as the verify page says it.
type Status string

// Certificate states. Reissued is not a status of its own: a corrected
// certificate is valid (or expired, or revoked) and says that it was
// reissued (Certificate.Reissued).
const (
	StatusValid   Status = "valid"
	StatusRevoked Status = "revoked"
	StatusExpired Status = "expired"
)

// Certificate is an issued certificate: its code, who holds it, the
// snapshot of everything it states, its signature and what happened to it
// since (a correction, a revocation). The row is never deleted.
type Certificate struct {
	bun.BaseModel `bun:"table:certificates,alias:cert"`

	ID     int64  `bun:"id,pk,autoincrement"`
	Code   string `bun:"code"`
	UserID int64  `bun:"user_id"`
	// CourseID is the course of a completion, 0 for a participation.
	CourseID    int64  `bun:"course_id,nullzero"`
	EnrolmentID *int64 `bun:"enrolment_id"`
	// EventID is the event of a participation (see participation.go).
	EventID *int64 `bun:"event_id"`
	// StartedAt is a participation's first day (CompletedAt its last).
	StartedAt *time.Time `bun:"started_at"`

	// The snapshot: see Snapshot.
	HolderName      string    `bun:"holder_name"`
	CourseTitle     string    `bun:"course_title"`
	WorkloadHours   int       `bun:"workload_hours"`
	CompletedAt     time.Time `bun:"completed_at"`
	IssuedAt        time.Time `bun:"issued_at"`
	Institution     string    `bun:"institution"`
	IssuerName      string    `bun:"issuer_name"`
	Language        string    `bun:"language"`
	TemplateVersion int       `bun:"template_version"`
	// The issuer's look at issue time, see Look.
	AccentColor string         `bun:"accent_color"`
	LogoSHA256  *string        `bun:"logo_sha256"`
	Signatories []SignatoryRef `bun:"signatories,type:jsonb"`

	Signature string     `bun:"signature"`
	KeyID     int64      `bun:"key_id"`
	ExpiresAt *time.Time `bun:"expires_at"`
	// IssuedBy is the admin who issued it by hand; nil when it was issued
	// on completion.
	IssuedBy     *int64     `bun:"issued_by"`
	Revision     int        `bun:"revision"`
	ReissuedAt   *time.Time `bun:"reissued_at"`
	RevokedAt    *time.Time `bun:"revoked_at"`
	RevokedBy    *int64     `bun:"revoked_by"`
	RevokeReason *string    `bun:"revoke_reason"`
	CreatedAt    time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
}

// Snapshot returns what the certificate states. Times come back in UTC
// whatever the database connection's zone, so that Document.Hash and the
// signed payload never depend on it.
func (c *Certificate) Snapshot() Snapshot {
	return Snapshot{
		Code:            c.Code,
		HolderName:      c.HolderName,
		CourseTitle:     c.CourseTitle,
		WorkloadHours:   c.WorkloadHours,
		CompletedAt:     c.CompletedAt.UTC(),
		IssuedAt:        c.IssuedAt.UTC(),
		Institution:     c.Institution,
		IssuerName:      c.IssuerName,
		Language:        c.Language,
		TemplateVersion: c.TemplateVersion,
		ExpiresAt:       utcTime(c.ExpiresAt),
		Kind:            c.Kind(),
		StartedAt:       utcTime(c.StartedAt),
		Look:            Look{AccentColor: c.AccentColor, LogoSHA256: c.LogoSHA256, Signatories: c.Signatories},
	}
}

// utcTime returns *t in UTC, or nil.
func utcTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// setSnapshot copies s into the certificate's columns.
func (c *Certificate) setSnapshot(s Snapshot) {
	c.Code = s.Code
	c.HolderName = s.HolderName
	c.CourseTitle = s.CourseTitle
	c.WorkloadHours = s.WorkloadHours
	c.CompletedAt = s.CompletedAt
	c.IssuedAt = s.IssuedAt
	c.Institution = s.Institution
	c.IssuerName = s.IssuerName
	c.Language = s.Language
	c.TemplateVersion = s.TemplateVersion
	c.ExpiresAt = s.ExpiresAt
	c.StartedAt = s.StartedAt
	c.AccentColor, c.LogoSHA256, c.Signatories = s.Look.AccentColor, s.Look.LogoSHA256, s.Look.Signatories
	if c.Signatories == nil {
		c.Signatories = []SignatoryRef{}
	}
}

// Status returns the certificate's state at now: a revocation wins over an
// expiry, which wins over validity.
func (c *Certificate) Status(now time.Time) Status {
	switch {
	case c.RevokedAt != nil:
		return StatusRevoked
	case c.ExpiresAt != nil && !now.Before(*c.ExpiresAt):
		return StatusExpired
	}
	return StatusValid
}

// Reissued reports whether the certificate was corrected after its issue.
func (c *Certificate) Reissued() bool { return c.Revision > 1 }

// Reason returns why the certificate was revoked, or "".
func (c *Certificate) Reason() string {
	if c.RevokeReason == nil {
		return ""
	}
	return *c.RevokeReason
}

// EventKind says what happened to a certificate.
type EventKind string

// What the audit trail records.
const (
	EventIssued   EventKind = "issued"
	EventRevoked  EventKind = "revoked"
	EventReissued EventKind = "reissued"
)

// Event is one entry of a certificate's audit trail: who did what, when,
// why, and for a reissue which fields changed from what to what.
type Event struct {
	bun.BaseModel `bun:"table:certificate_events,alias:ev"`

	ID            int64             `bun:"id,pk,autoincrement" json:"-"`
	CertificateID int64             `bun:"certificate_id" json:"-"`
	Kind          EventKind         `bun:"kind" json:"kind"`
	ActorID       *int64            `bun:"actor_id" json:"actor_id"`
	ActorName     string            `bun:"actor_name" json:"actor_name"`
	At            time.Time         `bun:"at" json:"at"`
	Reason        string            `bun:"reason" json:"reason,omitempty"`
	Changes       map[string]Change `bun:"changes,type:jsonb" json:"changes,omitempty"`
}

// Change is one corrected field of a reissued certificate.
type Change struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// SigningKey is one of the installation's Ed25519 keys. The current key
// signs new certificates; retired keys stay published so that what they
// signed keeps verifying.
type SigningKey struct {
	bun.BaseModel `bun:"table:signing_keys,alias:sk"`

	ID        int64      `bun:"id,pk,autoincrement"`
	Public    string     `bun:"public"`  // EncodePublicKey form
	Private   string     `bun:"private"` // EncodePrivateKey form; never shown
	CreatedAt time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	RetiredAt *time.Time `bun:"retired_at"`
}

// issuerRow is the stored issuer settings (one row).
type issuerRow struct {
	bun.BaseModel `bun:"table:certificate_issuer,alias:iss"`

	ID          bool      `bun:"id,pk"`
	Name        string    `bun:"name"`
	AccentColor string    `bun:"accent_color"`
	Logo        []byte    `bun:"logo"`
	Version     int64     `bun:"version"`
	UpdatedAt   time.Time `bun:"updated_at"`
	UpdatedBy   *int64    `bun:"updated_by"`
}

// storedImage is an issuer image, stored once by the SHA-256 of its bytes and
// referred to by every certificate that prints it.
type storedImage struct {
	bun.BaseModel `bun:"table:certificate_images,alias:img"`

	SHA256 string `bun:"sha256,pk"`
	Data   []byte `bun:"data"`
}

// signatoryRow is a stored signatory.
type signatoryRow struct {
	bun.BaseModel `bun:"table:certificate_signatories,alias:sig"`

	Position  int    `bun:"position,pk"`
	Name      string `bun:"name"`
	Title     string `bun:"title"`
	Signature []byte `bun:"signature"`
}

// ZipStatus is where a ZIP job is.
type ZipStatus string

// ZIP job states.
const (
	ZipPending ZipStatus = "pending"
	ZipRunning ZipStatus = "running"
	ZipDone    ZipStatus = "done"
	ZipFailed  ZipStatus = "failed"
)

// ZipJob packs every standing certificate of a course into one ZIP file,
// in the background; Done of Total says how far it got.
type ZipJob struct {
	bun.BaseModel `bun:"table:certificate_zip_jobs,alias:zj"`

	ID          int64     `bun:"id,pk,autoincrement"`
	CourseID    int64     `bun:"course_id"`
	RequestedBy *int64    `bun:"requested_by"`
	Status      ZipStatus `bun:"status"`
	Attempt     int       `bun:"attempt"`
	Done        int       `bun:"done"`
	Total       int       `bun:"total"`
	SizeBytes   int64     `bun:"size_bytes"`
	// BlobSHA256 names the finished file in the file storage.
	BlobSHA256  *string    `bun:"blob_sha256"`
	Error       string     `bun:"error"`
	CreatedAt   time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	StartedAt   *time.Time `bun:"started_at"`
	HeartbeatAt *time.Time `bun:"heartbeat_at"`
	FinishedAt  *time.Time `bun:"finished_at"`
}

// Finished reports whether the job will not change any more.
func (j *ZipJob) Finished() bool { return j.Status == ZipDone || j.Status == ZipFailed }

// Percent is how far the job got, 0 to 100.
func (j *ZipJob) Percent() int {
	if j.Status == ZipDone {
		return 100
	}
	if j.Total == 0 {
		return 0
	}
	return j.Done * 100 / j.Total
}
