package certificates

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no certificate has this code, or the caller may not see
	// it (another learner's), which is told the same way; also an unknown
	// course, user or ZIP job.
	ErrNotFound = errors.New("certificates: not found")
	// ErrExists: the person already holds a standing certificate for the
	// course.
	ErrExists = errors.New("certificates: certificate exists")
	// ErrRevoked: the certificate was revoked, so it can be neither
	// corrected nor revoked again, and its holder no longer gets its PDF.
	ErrRevoked = errors.New("certificates: certificate revoked")
	// ErrNoChange: a reissue that corrects nothing.
	ErrNoChange = errors.New("certificates: nothing to correct")
	// ErrInvalidReason: revoking and reissuing say why, for the audit
	// trail, in 1 to 1000 characters.
	ErrInvalidReason = errors.New("certificates: a reason of 1 to 1000 characters is required")
	// ErrNotReady: the ZIP file of a job is not finished yet.
	ErrNotReady = errors.New("certificates: zip file not ready")
)

// notFound turns sql.ErrNoRows into ErrNotFound and keeps other errors.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// foreignNotFound turns the not-found errors of the packages certificates
// reads (an unknown user or course) into ErrNotFound, keeping their text.
func foreignNotFound(err error) error {
	if errors.Is(err, courses.ErrNotFound) || errors.Is(err, accounts.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
