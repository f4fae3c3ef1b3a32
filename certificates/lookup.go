package certificates

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Certificate returns the certificate with code, typed in any case, with or
// without dashes and the AULA prefix (see NormalizeCode). A string that
// cannot be a code is ErrNotFound like an unknown code.
func (s *Service) Certificate(ctx context.Context, code string) (*Certificate, error) {
	norm, err := NormalizeCode(code)
	if err != nil {
		return nil, fmt.Errorf("certificates: certificate %.40q: %w", code, ErrNotFound)
	}
	c := new(Certificate)
	err = s.db.NewSelect().Model(c).Where("cert.code = ?", norm).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: certificate %s: %w", norm, notFound(err))
	}
	return c, nil
}

// Verification is what the public verify page and API show of a
// certificate: the certificate with its snapshot, its status today, and
// the public key that checks its signature.
type Verification struct {
	Certificate *Certificate
	Status      Status
	Key         SigningKey // Private is empty
}

// Lookup verifies the certificate with code (matched as Certificate does).
func (s *Service) Lookup(ctx context.Context, code string) (*Verification, error) {
	c, err := s.Certificate(ctx, code)
	if err != nil {
		return nil, err
	}
	v := &Verification{Certificate: c, Status: c.Status(s.now())}
	err = s.db.NewSelect().Model(&v.Key).ExcludeColumn("private").Where("sk.id = ?", c.KeyID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: key of %s: %w", c.Code, err)
	}
	return v, nil
}

// Status returns the status of c today.
func (s *Service) Status(c *Certificate) Status { return c.Status(s.now()) }

// UserCertificates returns every certificate of a user, revoked ones too,
// the most recent first.
func (s *Service) UserCertificates(ctx context.Context, userID int64) ([]Certificate, error) {
	var list []Certificate
	err := s.db.NewSelect().Model(&list).Where("cert.user_id = ?", userID).
		OrderExpr("cert.issued_at DESC, cert.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: certificates of user %d: %w", userID, err)
	}
	return list, nil
}

// Filter narrows the admins' list of certificates.
type Filter struct {
	// Query matches part of the holder's name or the course title,
	// ignoring case and accents, or a whole code however typed.
	Query    string
	CourseID int64  // 0: any
	Status   Status // "": any
	Limit    int
	Offset   int
}

// List returns a page of certificates, the most recently issued first, and
// how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Certificate, int, error) {
	var list []Certificate
	q := s.db.NewSelect().Model(&list).OrderExpr("cert.issued_at DESC, cert.id DESC").Limit(f.Limit).Offset(f.Offset)
	if f.CourseID != 0 {
		q = q.Where("cert.course_id = ?", f.CourseID)
	}
	now := s.now()
	switch f.Status {
	case StatusRevoked:
		q = q.Where("cert.revoked_at IS NOT NULL")
	case StatusExpired:
		q = q.Where("cert.revoked_at IS NULL AND cert.expires_at <= ?", now)
	case StatusValid:
		q = q.Where("cert.revoked_at IS NULL AND (cert.expires_at IS NULL OR cert.expires_at > ?)", now)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		like := "%" + escapeLike(query) + "%"
		code, codeErr := NormalizeCode(query)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("unaccent(cert.holder_name) ILIKE unaccent(?)", like).
				WhereOr("unaccent(cert.course_title) ILIKE unaccent(?)", like)
			if codeErr == nil {
				q = q.WhereOr("cert.code = ?", code)
			}
			return q
		})
	}
	total, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("certificates: list: %w", err)
	}
	return list, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Events returns the audit trail of a certificate, oldest first.
func (s *Service) Events(ctx context.Context, certificateID int64) ([]Event, error) {
	var list []Event
	err := s.db.NewSelect().Model(&list).Where("ev.certificate_id = ?", certificateID).OrderExpr("ev.at, ev.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: events of %d: %w", certificateID, err)
	}
	return list, nil
}

// Course returns the course with id (any status), for pages about its
// certificates.
func (s *Service) Course(ctx context.Context, id int64) (*courses.Course, error) {
	c := new(courses.Course)
	if err := s.db.NewSelect().Model(c).Column("id", "slug", "title", "language", "workload_hours", "status").
		Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("certificates: course %d: %w", id, notFound(err))
	}
	return c, nil
}

// Courses returns every course by title, for the admins' forms. Drafts are
// included: an in-person workshop may be recorded as a course that is
// never published. Only id, slug, title and status are filled.
func (s *Service) Courses(ctx context.Context) ([]courses.Course, error) {
	var list []courses.Course
	err := s.db.NewSelect().Model(&list).Column("id", "slug", "title", "status").
		OrderExpr("c.title, c.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: courses: %w", err)
	}
	return list, nil
}
