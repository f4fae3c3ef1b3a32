package certificates

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// MaxIssueEmails caps one list given to IssueByEmail: a big workshop has
// hundreds of people, not thousands.
const MaxIssueEmails = 1000

// ErrTooManyEmails: a list longer than MaxIssueEmails.
var ErrTooManyEmails = errors.New("certificates: too many people in one list")

// ErrUnknownCourse: the course to issue for does not exist.
var ErrUnknownCourse = errors.New("certificates: no such course")

// UnknownEmailsError lists the emails of a list that no account has;
// nothing was issued.
type UnknownEmailsError struct{ Emails []string }

func (e *UnknownEmailsError) Error() string {
	return "certificates: no account has " + strings.Join(e.Emails, ", ")
}

// IssueByEmail issues certificates of a course to the people a list of
// emails names (as an admin pastes it), all or nothing: an email no account
// has is an *UnknownEmailsError and nothing is issued. Emails are matched
// without regard to case; a repeated one counts once.
func (s *Service) IssueByEmail(ctx context.Context, courseID int64, emails []string, completedAt time.Time, by int64) (*IssueResult, error) {
	if len(emails) > MaxIssueEmails {
		return nil, ErrTooManyEmails
	}
	if _, err := s.Course(ctx, courseID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, ErrUnknownCourse
		}
		return nil, err
	}
	users, err := accounts.UsersByEmail(ctx, s.db, emails)
	if err != nil {
		return nil, fmt.Errorf("certificates: issue to a list: %w", err)
	}
	var unknown []string
	seen := map[int64]bool{}
	ids := make([]int64, 0, len(emails))
	for _, e := range emails {
		u, ok := users[strings.ToLower(e)]
		switch {
		case !ok:
			unknown = append(unknown, e)
		case !seen[u.ID]:
			seen[u.ID] = true
			ids = append(ids, u.ID)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownEmailsError{Emails: unknown}
	}
	return s.IssueMany(ctx, courseID, ids, completedAt, by)
}
