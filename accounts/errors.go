package accounts

import (
	"database/sql"
	"errors"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such institution, user, session or token.
	ErrNotFound = errors.New("accounts: not found")
	// ErrEmailTaken: another user has this email, whatever its case.
	ErrEmailTaken = errors.New("accounts: email taken")
	// ErrAcronymTaken: another institution uses this acronym.
	ErrAcronymTaken = errors.New("accounts: acronym taken")
	// ErrInvalidCredentials is the one answer for an unknown email, a wrong
	// password and a disabled account, so sign-in does not reveal who has an account.
	ErrInvalidCredentials = errors.New("accounts: invalid credentials")
	// ErrInstitutionInUse: users still belong to the institution.
	ErrInstitutionInUse = errors.New("accounts: institution has users")
	// ErrUnknownInstitution: a user names an institution that does not exist.
	ErrUnknownInstitution = errors.New("accounts: unknown institution")
	// ErrLinkExpired: a password link was used already or is too old.
	ErrLinkExpired = errors.New("accounts: password link expired")
	// ErrSelfDemotion: an admin tried to remove their own admin role or
	// disable their own account.
	ErrSelfDemotion = errors.New("accounts: admins cannot demote or disable themselves")
	// ErrCoordinatorInstitution: a coordinator was given no institution;
	// they only ever act for one.
	ErrCoordinatorInstitution = errors.New("accounts: a coordinator needs an institution")
	// ErrLastAdmin: the change would leave the installation without an
	// active admin.
	ErrLastAdmin = errors.New("accounts: the last active admin cannot be demoted or disabled")
	// ErrInvalidTimeZone: a time zone setting that is not an IANA zone name
	// (or is "Local", the server's zone).
	ErrInvalidTimeZone = errors.New("accounts: unknown time zone")
)

// notFound turns sql.ErrNoRows into ErrNotFound and keeps other errors.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
