package certificates

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
	"github.com/uptrace/bun"
)

// Certificate returns the certificate with a normalised code, or
// ErrNotFound.
func (s *Store) Certificate(ctx context.Context, code string) (*Certificate, error) {
	c := new(Certificate)
	if err := s.db.NewSelect().Model(c).Where("cert.code = ?", code).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// LockCertificate returns the certificate with a normalised code, locked
// for the rest of the transaction, so corrections and revocations queue
// up; ErrNotFound for none.
func (s *Store) LockCertificate(ctx context.Context, code string) (*Certificate, error) {
	c := new(Certificate)
	if err := s.db.NewSelect().Model(c).Where("cert.code = ?", code).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// Standing returns the person's certificate for the course that is not
// revoked, or ErrNotFound.
func (s *Store) Standing(ctx context.Context, userID, courseID int64) (*Certificate, error) {
	c := new(Certificate)
	err := s.db.NewSelect().Model(c).
		Where("cert.user_id = ? AND cert.course_id = ? AND cert.revoked_at IS NULL", userID, courseID).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// EnrolmentHasCertificate reports whether a certificate, revoked or not,
// is tied to the enrolment.
func (s *Store) EnrolmentHasCertificate(ctx context.Context, enrolmentID int64) (bool, error) {
	return s.db.NewSelect().Model((*Certificate)(nil)).Where("enrolment_id = ?", enrolmentID).Exists(ctx)
}

// InsertCertificate stores c and reports whether it did: false, storing
// nothing, when a unique constraint refused it (a code, the enrolment, or
// the person's standing certificate for the course).
func (s *Store) InsertCertificate(ctx context.Context, c *Certificate) (bool, error) {
	res, err := s.db.NewInsert().Model(c).On("CONFLICT DO NOTHING").Returning("id").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// HasCertificateFor reports whether c's enrolment, or its person and
// course, have a standing certificate: what an insert that stored nothing
// conflicted with, if not the code.
func (s *Store) HasCertificateFor(ctx context.Context, c *Certificate) (bool, error) {
	return s.db.NewSelect().Model((*Certificate)(nil)).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if c.EnrolmentID != nil {
				q = q.WhereOr("enrolment_id = ?", *c.EnrolmentID)
			}
			if c.EventID != nil {
				q = q.WhereOr("user_id = ? AND event_id = ? AND revoked_at IS NULL", c.UserID, *c.EventID)
			}
			return q.WhereOr("user_id = ? AND course_id = ? AND revoked_at IS NULL", c.UserID, c.CourseID)
		}).Exists(ctx)
}

// UpdateCertificate writes the given columns of c.
func (s *Store) UpdateCertificate(ctx context.Context, c *Certificate, columns ...string) error {
	_, err := s.db.NewUpdate().Model(c).Column(columns...).WherePK().Exec(ctx)
	return err
}

// UserCertificates returns every certificate of a user, revoked ones too,
// the most recent first.
func (s *Store) UserCertificates(ctx context.Context, userID int64) ([]Certificate, error) {
	var list []Certificate
	err := s.db.NewSelect().Model(&list).Where("cert.user_id = ?", userID).
		OrderExpr("cert.issued_at DESC, cert.id DESC").Scan(ctx)
	return list, err
}

// CountCap bounds the counts of certificate lists: List counts at most
// CountCap+1 matches, so a search's count costs what CountCap rows cost
// however broad it is; CountCap+1 means "more than CountCap".
const CountCap = 1000

// List returns a page of the certificates f matches, as of now, the most
// recently issued first, how many match, up to CountCap+1, and the
// version of the list of courses (courses.CoursesVersionSQL) read with
// the page.
//
// The matches are read once: the ids of the first CountCap+1 (or as many
// as the page needs) in the page's order, which give the count and the
// page's ids, then the page's certificates by id. A search's trigram
// index scan is most of its cost, which a page query and a count query
// paid twice.
func (s *Store) List(ctx context.Context, f Filter, now time.Time) ([]Certificate, int, int64, error) {
	return s.list(ctx, f, now, listPageSQL)
}

// ListShown is List with only what the admins' list shows of each
// certificate: id, code, holder, course title, whether it is a
// participation, issue date, revision, expiry and revocation. The other
// columns (four timestamps and the signatories' JSON among them) were
// most of the cost of scanning the page's rows.
func (s *Store) ListShown(ctx context.Context, f Filter, now time.Time) ([]Certificate, int, int64, error) {
	return s.list(ctx, f, now, listShownSQL)
}

func (s *Store) list(ctx context.Context, f Filter, now time.Time, pageSQL *postgres.Text) ([]Certificate, int, int64, error) {
	q := s.db.NewSelect().Model((*Certificate)(nil)).Column("cert.id")
	if f.CourseID != 0 {
		q = q.Where("cert.course_id = ?", f.CourseID)
	}
	switch f.Status {
	case StatusRevoked:
		q = q.Where("cert.revoked_at IS NOT NULL")
	case StatusExpired:
		q = q.Where("cert.revoked_at IS NULL AND cert.expires_at <= ?", now)
	case StatusValid:
		q = q.Where("cert.revoked_at IS NULL AND (cert.expires_at IS NULL OR cert.expires_at > ?)", now)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		code, codeErr := NormalizeCode(query)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			// Without accents or case, on the folded text certificates
			// keep (certificates.search): certificates_search_text_idx
			// finds the candidates by some of the query's trigrams, strpos
			// keeps those that hold it (migration 20261202130000).
			q = q.Where("cert.search LIKE accounts_search_pattern(accounts_fold(?)) AND strpos(cert.search, accounts_fold(?)) > 0",
				query, query)
			if codeErr == nil {
				q = q.WhereOr("cert.code = ?", code)
			}
			return q
		})
	}
	page, total, err := postgres.CountedPage(ctx, s.db, q.OrderExpr("cert.issued_at DESC, cert.id DESC"), CountCap, f.Offset, f.Limit)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("list certificates: %w", err)
	}
	var rows []listPageRow
	if err := postgres.Select(ctx, s.db, &rows, pageSQL.SQL(s.db), postgres.Int64Array(page)); err != nil {
		return nil, 0, 0, fmt.Errorf("list certificates: %w", err)
	}
	if len(rows) == 0 {
		return nil, 0, 0, errors.New("list certificates: no version")
	}
	list := make([]Certificate, 0, len(rows))
	for i := range rows {
		if rows[i].ID != 0 {
			list = append(list, rows[i].Certificate)
		}
	}
	return list, total, rows[0].CoursesVersion, nil
}

// listPageRow is a row of listPageSQL: a certificate of the page, or none
// (ID 0), with the version of the list of courses.
type listPageRow struct {
	Certificate    `bun:",extend"`
	CoursesVersion int64 `bun:"courses_version,scanonly"`
}

// listPageSQL reads the certificates $1 (ids) in their order, and the
// version of the list of courses in the same statement (one row with it
// when there is no certificate): the list's course filter is kept by that
// version, and reading it here saves the page a statement. Prepared: the
// same text for every page.
var listPageSQL = postgres.NewText(func(db bun.IDB) string { return listPage(db, "?TableColumns") })

// listShownSQL is listPageSQL for ListShown's columns.
var listShownSQL = postgres.NewText(func(db bun.IDB) string {
	return listPage(db, "cert.id, cert.code, cert.holder_name, cert.course_title, cert.event_id, cert.issued_at, cert.revision, "+
		"cert.expires_at, cert.revoked_at")
})

func listPage(db bun.IDB, columns string) string {
	return postgres.ByIDsWithVersion(db.NewSelect().Model((*listPageRow)(nil)), "cert", columns,
		courses.CoursesVersionSQL, "courses_version")
}

// InsertEvent appends ev to a certificate's audit trail.
func (s *Store) InsertEvent(ctx context.Context, ev *Event) error {
	_, err := s.db.NewInsert().Model(ev).Returning("id").Exec(ctx)
	return err
}

// Events returns a certificate's audit trail, oldest first.
func (s *Store) Events(ctx context.Context, certificateID int64) ([]Event, error) {
	var list []Event
	err := s.db.NewSelect().Model(&list).Where("ev.certificate_id = ?", certificateID).OrderExpr("ev.at, ev.id").Scan(ctx)
	return list, err
}
