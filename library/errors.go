package library

import (
	"database/sql"
	"errors"
	"fmt"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such item, file, theme or submission, or one the
	// caller may not see (a draft to a visitor), told the same way.
	ErrNotFound = errors.New("library: not found")
	// ErrForbidden: the caller is signed in but may not do this (a member
	// cataloguing, a librarian naming librarians).
	ErrForbidden = errors.New("library: not allowed")
	// ErrInvalidTransition: the item's or submission's status does not
	// allow this (withdrawing a draft, accepting a declined submission).
	ErrInvalidTransition = errors.New("library: invalid status change")
	// ErrNoInstitution: a member who belongs to no institution cannot
	// submit an experience of theirs.
	ErrNoInstitution = errors.New("library: submitter has no institution")
	// ErrFileType and ErrTooLarge are courses' (the checks are shared);
	// they are listed in the web layer's table already.
)

// Errors of an item field, each inside a FieldError naming the field.
var (
	ErrInvalidType        = errors.New("library: unknown item type")
	ErrInvalidTitle       = errors.New("library: title missing or too long")
	ErrTooLong            = errors.New("library: text too long")
	ErrInvalidLanguage    = errors.New("library: not an ISO 639-1 language code")
	ErrInvalidTranslation = errors.New("library: invalid translation")
	ErrInvalidCountry     = errors.New("library: not an ISO 3166-1 country code")
	ErrUnknownTheme       = errors.New("library: unknown theme")
	ErrNoYear             = errors.New("library: neither year nor date")
	ErrInvalidDate        = errors.New("library: invalid date or year")
	ErrInvalidAuthors     = errors.New("library: invalid authors")
	ErrInvalidURL         = errors.New("library: invalid URL")
	ErrURLRequired        = errors.New("library: a link needs its URL")
	ErrUnknownInstitution = errors.New("library: unknown institution")
	ErrUnknownCourse      = errors.New("library: unknown or unpublished course")
	ErrUnknownUser        = errors.New("library: no such user")
	ErrNoteRequired       = errors.New("library: asking for changes without saying which")
)

// FieldError is an item field that breaks a rule. Field names it as the
// API does ("countries"); Err is one of the errors above.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return "library: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the rule broken.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldError(field string, err error) error { return &FieldError{Field: field, Err: err} }

// notFound turns "no rows" into ErrNotFound, keeping other errors.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("library: "+format+": %w", append(args, err)...)
}
