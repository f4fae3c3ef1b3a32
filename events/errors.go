package events

import (
	"database/sql"
	"errors"
	"fmt"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such event, session or registration, or one the
	// caller may not see (a draft to outsiders), told the same way.
	ErrNotFound = errors.New("events: not found")
	// ErrForbidden: the caller may see this but not do it (a participant
	// approving, someone not registered checking in).
	ErrForbidden = errors.New("events: not allowed")
	// ErrAlreadyRegistered: the person has a registration for the event.
	ErrAlreadyRegistered = errors.New("events: already registered")
	// ErrClosed: the event is closed; nothing about it changes any more.
	// Closing it again is this error too.
	ErrClosed = errors.New("events: event closed")
	// ErrNotPublished: registrations open when the event is published.
	ErrNotPublished = errors.New("events: event not published")
	// ErrNoSessions: an event is published with at least one session.
	ErrNoSessions = errors.New("events: no sessions")
	// ErrTooEarly: an event closes from the start of its last session.
	ErrTooEarly = errors.New("events: last session has not started")
	// ErrNotPending: only a pending registration is approved.
	ErrNotPending = errors.New("events: registration not pending")
	// ErrCheckinCode: the check-in code is wrong, of another session, or
	// past its window.
	ErrCheckinCode = errors.New("events: check-in code not valid")
	// ErrCheckinClosed: check-in works only while the session runs, with
	// the event's margin either side.
	ErrCheckinClosed = errors.New("events: session not running")
	// ErrAlreadyOrganiser: the person organises the event already.
	ErrAlreadyOrganiser = errors.New("events: already an organiser")
)

// InvalidError is a field of an event, a session or an attendance record
// that breaks a rule; Reason is a word the web layer turns into a
// translated message for Field.
type InvalidError struct {
	Field  string // as the API names it: "ends_at", "records[2].status"
	Reason string // "required", "too_long", "before_start", "overlap", …
	// Param is the limit broken, when there is one (a length, a count).
	Param int
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("events: invalid %s: %s", e.Field, e.Reason)
}

func invalid(field, reason string) *InvalidError { return &InvalidError{Field: field, Reason: reason} }

// RowError is a bad line of an uploaded attendance report.
type RowError struct {
	Line   int
	Reason string // "email", "minutes", "columns"
}

// RowErrors are every bad line of one report; nothing of it was written.
type RowErrors []RowError

func (e RowErrors) Error() string { return fmt.Sprintf("events: %d bad lines in the report", len(e)) }

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
