package certificates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// codeAttempts is how many fresh codes an insert tries before giving up.
// With 30^10 codes a second collision is all but impossible.
const codeAttempts = 5

// IssueOnCompletion issues the certificate of an enrolment that has just
// been completed. It is a courses.CompletionHook: wire it with
// coursesSvc.OnCompleted(certSvc.IssueOnCompletion), and it runs inside the
// completion transaction db, so the completion and its certificate are
// committed together or not at all.
//
// It issues at most one certificate per enrolment: a unique constraint on
// the enrolment holds even when completions race, and a certificate that
// exists already (this enrolment's, or one issued by hand for the same
// person and course) leaves the completion to succeed without a second.
func (s *Service) IssueOnCompletion(ctx context.Context, db bun.IDB, e *courses.Enrolment) error {
	completed := s.now()
	if e.CompletedAt != nil {
		completed = *e.CompletedAt
	}
	c, err := s.newCertificate(ctx, db, e.UserID, e.CourseID, completed)
	if err != nil {
		return fmt.Errorf("certificates: issue for enrolment %d: %w", e.ID, err)
	}
	c.EnrolmentID = &e.ID
	if _, err := s.insert(ctx, db, c); err != nil {
		return fmt.Errorf("certificates: issue for enrolment %d: %w", e.ID, err)
	}
	return nil
}

// IssueParams describe a certificate issued by hand, e.g. for someone who
// took the course in person.
type IssueParams struct {
	UserID   int64
	CourseID int64
	// CompletedAt is the completion date printed. Zero: the date of the
	// person's completed enrolment in the course, or else today.
	CompletedAt time.Time
	// By is the admin issuing it, for the audit trail.
	By int64
}

// Issue issues a certificate by hand. It is ErrExists when the person
// holds a certificate for the course already (revoked ones aside), and
// ErrNotFound when the user or course does not exist. When the person has
// a completed enrolment without a certificate, the new one is tied to it,
// so completing again cannot issue a second.
func (s *Service) Issue(ctx context.Context, p IssueParams) (*Certificate, error) {
	var c *Certificate
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		c, err = s.issue(ctx, tx, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: issue for user %d in course %d: %w", p.UserID, p.CourseID, err)
	}
	return c, nil
}

// IssueResult says what IssueMany did for each person.
type IssueResult struct {
	Issued   []Certificate // new certificates
	Existing []Certificate // standing certificates the people held already
}

// IssueMany issues certificates of one course to several people at once,
// all or nothing. People who hold one already are reported in Existing,
// not treated as an error, so a list can be submitted again safely.
func (s *Service) IssueMany(ctx context.Context, courseID int64, userIDs []int64, completedAt time.Time, by int64) (*IssueResult, error) {
	res := &IssueResult{}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		seen := make(map[int64]bool, len(userIDs))
		for _, id := range userIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			c, err := s.issue(ctx, tx, IssueParams{UserID: id, CourseID: courseID, CompletedAt: completedAt, By: by})
			if errors.Is(err, ErrExists) {
				old, err := NewStore(tx).Standing(ctx, id, courseID)
				if err != nil {
					return err
				}
				res.Existing = append(res.Existing, *old)
				continue
			}
			if err != nil {
				return err
			}
			res.Issued = append(res.Issued, *c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: issue %d certificates in course %d: %w", len(userIDs), courseID, err)
	}
	return res, nil
}

// issue issues one certificate by hand inside tx.
func (s *Service) issue(ctx context.Context, tx bun.IDB, p IssueParams) (*Certificate, error) {
	st := NewStore(tx)
	if _, err := st.Standing(ctx, p.UserID, p.CourseID); err == nil {
		return nil, ErrExists
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	// The person's completed enrolment gives the completion date; the new
	// certificate is tied to it unless a (revoked) certificate is already.
	var enrolment struct {
		ID          int64
		CompletedAt time.Time
		Linked      bool
	}
	e, err := courses.CompletedEnrolment(ctx, tx, p.UserID, p.CourseID)
	switch {
	case err == nil:
		enrolment.ID = e.ID
		if e.CompletedAt != nil {
			enrolment.CompletedAt = *e.CompletedAt
		}
		if enrolment.Linked, err = st.EnrolmentHasCertificate(ctx, e.ID); err != nil {
			return nil, fmt.Errorf("find enrolment's certificate: %w", err)
		}
	case !errors.Is(err, courses.ErrNotFound):
		return nil, fmt.Errorf("find enrolment: %w", err)
	}
	completed := p.CompletedAt
	if completed.IsZero() && enrolment.ID != 0 {
		completed = enrolment.CompletedAt
	}
	if completed.IsZero() {
		completed = s.now()
	}
	c, err := s.newCertificate(ctx, tx, p.UserID, p.CourseID, completed)
	if err != nil {
		return nil, err
	}
	if enrolment.ID != 0 && !enrolment.Linked {
		c.EnrolmentID = &enrolment.ID
	}
	c.IssuedBy = &p.By
	ok, err := s.insert(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrExists // issued meanwhile by a concurrent request
	}
	return c, nil
}

// newCertificate takes the snapshot of what a new certificate states from
// the live data, read in db through the packages that own it: the
// holder's name and institution (accounts), the course's title, workload,
// language and validity (courses), the issuer's name and look.
func (s *Service) newCertificate(ctx context.Context, db bun.IDB, userID, courseID int64, completed time.Time) (*Certificate, error) {
	holder, institution, err := accounts.CertificateHolder(ctx, db, userID)
	if err != nil {
		return nil, fmt.Errorf("snapshot of user %d: %w", userID, foreignNotFound(err))
	}
	course, err := courses.CourseForCertificate(ctx, db, courseID)
	if err != nil {
		return nil, fmt.Errorf("snapshot of course %d: %w", courseID, foreignNotFound(err))
	}
	// The issuer's name and look are frozen into the certificate: later
	// settings do not redraw it.
	iss, err := s.issuerIn(ctx, db)
	if err != nil {
		return nil, err
	}
	look, _ := LookOf(iss.Issuer)
	completed = CalendarDay(completed, s.loc)
	c := &Certificate{
		UserID:   userID,
		CourseID: courseID,
		Revision: 1,
	}
	snap := Snapshot{
		HolderName:    holder,
		CourseTitle:   course.Title,
		WorkloadHours: course.WorkloadHours,
		CompletedAt:   completed,
		// Whole seconds, as signed: the stored value is the signed value.
		IssuedAt:        s.now().Truncate(time.Second),
		Institution:     institution,
		IssuerName:      iss.Name,
		Language:        course.Language,
		TemplateVersion: TemplateVersion,
		Look:            look,
	}
	if course.CertificateValidityMonths != nil {
		exp := completed.AddDate(0, *course.CertificateValidityMonths, 0)
		snap.ExpiresAt = &exp
	}
	c.setSnapshot(snap)
	return c, nil
}

// insert gives c a fresh code, signs it with the current key and stores it
// with its "issued" event. It reports false, storing nothing, when the
// enrolment or the person and course have a certificate already — a
// conflict that must not fail a completion. A code collision, the one
// other conflict, is retried with a new code.
func (s *Service) insert(ctx context.Context, db bun.IDB, c *Certificate) (bool, error) {
	key, priv, err := currentKey(ctx, db)
	if err != nil {
		return false, err
	}
	st := NewStore(db)
	for range codeAttempts {
		c.Code = NewCode()
		snap := c.Snapshot()
		if err := snap.Validate(); err != nil {
			return false, err
		}
		c.Signature, c.KeyID = Sign(priv, snap.Payload()), key.ID
		stored, err := st.InsertCertificate(ctx, c)
		if err != nil {
			return false, fmt.Errorf("insert certificate: %w", err)
		}
		if stored {
			if err := addEvent(ctx, db, &Event{CertificateID: c.ID, Kind: EventIssued, ActorID: c.IssuedBy, At: c.IssuedAt}); err != nil {
				return false, err
			}
			return true, s.changed(ctx, db, EventIssued, c, "")
		}
		taken, err := st.HasCertificateFor(ctx, c)
		if err != nil {
			return false, fmt.Errorf("check certificate conflict: %w", err)
		}
		if taken {
			return false, nil
		}
	}
	return false, fmt.Errorf("certificates: no free code after %d attempts", codeAttempts)
}

// addEvent appends to a certificate's audit trail in db, recording the
// actor's name as it is now.
func addEvent(ctx context.Context, db bun.IDB, ev *Event) error {
	if ev.Changes == nil {
		ev.Changes = map[string]Change{}
	}
	name, err := accounts.UserName(ctx, db, ev.ActorID)
	if err != nil {
		return fmt.Errorf("record certificate %s event: %w", ev.Kind, err)
	}
	ev.ActorName = name
	if err := NewStore(db).InsertEvent(ctx, ev); err != nil {
		return fmt.Errorf("record certificate %s event: %w", ev.Kind, err)
	}
	return nil
}
