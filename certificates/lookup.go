package certificates

import (
	"context"
	"fmt"

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
	c, err := NewStore(s.db).Certificate(ctx, norm)
	if err != nil {
		return nil, fmt.Errorf("certificates: certificate %s: %w", norm, err)
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
	k, err := NewStore(s.db).PublicKey(ctx, c.KeyID)
	if err != nil {
		return nil, fmt.Errorf("certificates: key of %s: %w", c.Code, err)
	}
	return &Verification{Certificate: c, Status: c.Status(s.now()), Key: *k}, nil
}

// Status returns the status of c today.
func (s *Service) Status(c *Certificate) Status { return c.Status(s.now()) }

// UserCertificates returns every certificate of a user, revoked ones too,
// the most recent first.
func (s *Service) UserCertificates(ctx context.Context, userID int64) ([]Certificate, error) {
	list, err := NewStore(s.db).UserCertificates(ctx, userID)
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
	list, total, _, err := NewStore(s.db).List(ctx, f, s.now())
	if err != nil {
		return nil, 0, fmt.Errorf("certificates: list: %w", err)
	}
	return list, total, nil
}

// ListPage is List for the admins' list, each certificate with only what
// the list shows (Store.ListShown), and every course by title (Courses)
// for its course filter: the kept list's version is read in the
// statement that reads the page's certificates.
func (s *Service) ListPage(ctx context.Context, f Filter) ([]Certificate, int, []courses.Course, error) {
	list, total, v, err := NewStore(s.db).ListShown(ctx, f, s.now())
	if err != nil {
		return nil, 0, nil, fmt.Errorf("certificates: list: %w", err)
	}
	all, err := s.keptCourses(ctx, v)
	if err != nil {
		return nil, 0, nil, err
	}
	return list, total, all, nil
}

// Events returns the audit trail of a certificate, oldest first.
func (s *Service) Events(ctx context.Context, certificateID int64) ([]Event, error) {
	list, err := NewStore(s.db).Events(ctx, certificateID)
	if err != nil {
		return nil, fmt.Errorf("certificates: events of %d: %w", certificateID, err)
	}
	return list, nil
}

// Course returns the course with id (any status), for pages about its
// certificates.
func (s *Service) Course(ctx context.Context, id int64) (*courses.Course, error) {
	c, err := courses.CourseForCertificate(ctx, s.db, id)
	if err != nil {
		return nil, fmt.Errorf("certificates: course %d: %w", id, foreignNotFound(err))
	}
	return c, nil
}

// Courses returns every course by title, for the admins' forms: the list
// kept from an earlier call while its version has not moved
// (postgres.KeptList), so a view reads one row instead of every course's.
// Drafts are included: an in-person workshop may be recorded as a course that is
// never published. Only id, slug, title and status are filled.
func (s *Service) Courses(ctx context.Context) ([]courses.Course, error) {
	v, err := courses.CoursesVersion(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("certificates: courses: %w", err)
	}
	return s.keptCourses(ctx, v)
}

// keptCourses returns every course by title at version v of the list.
func (s *Service) keptCourses(ctx context.Context, v int64) ([]courses.Course, error) {
	list, err := s.courses.Get(ctx, v, func(ctx context.Context) ([]courses.Course, int64, error) {
		return courses.CoursesByTitle(ctx, s.db)
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: courses: %w", err)
	}
	return list, nil
}
