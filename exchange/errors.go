package exchange

import (
	"database/sql"
	"errors"
	"fmt"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such exchange, offer, round or action, or one the
	// caller may not see, told the same way.
	ErrNotFound = errors.New("exchange: not found")
	// ErrForbidden: the caller sees this but may not do it.
	ErrForbidden = errors.New("exchange: not allowed")
	// ErrConflictOfInterest: a committee member from the country of one
	// of the action's institutions reviews it.
	ErrConflictOfInterest = errors.New("exchange: conflict of interest")
	// ErrOwnProposal: the side that proposed an action confirms it.
	ErrOwnProposal = errors.New("exchange: own proposal")
	// ErrAlreadyInterested: the institution stated interest in the offer.
	ErrAlreadyInterested = errors.New("exchange: interest stated already")
	// ErrAlreadyReviewed: the member reviewed the action already.
	ErrAlreadyReviewed = errors.New("exchange: reviewed already")
	// ErrDoubleBooked: a move would put a room or a delegation in two
	// rounds at once.
	ErrDoubleBooked = errors.New("exchange: double booking")
	// ErrState: the action is not in a state that allows this (confirming
	// a confirmed action, deciding a draft, progress on one not selected).
	ErrState = errors.New("exchange: not in this state")
	// ErrRubricInUse: the rubric changes no more once reviews use it.
	ErrRubricInUse = errors.New("exchange: rubric has reviews")
	// ErrNoRubric: reviews need the admin's rubric first.
	ErrNoRubric = errors.New("exchange: no rubric")
	// ErrParticipantInUse: an institution with offers or interests stays
	// a participant.
	ErrParticipantInUse = errors.New("exchange: participant has offers or interests")
)

// InvalidError is a field that breaks a rule; Reason is a word the web
// layer turns into a translated message for Field.
type InvalidError struct {
	Field  string // as the API names it: "ends_at", "institutions[1].delegate_ids"
	Reason string // "required", "too_long", "before_start", "outside_dates", …
	// Param is the limit broken, when there is one.
	Param int
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("exchange: invalid %s: %s", e.Field, e.Reason)
}

func invalid(field, reason string) *InvalidError { return &InvalidError{Field: field, Reason: reason} }

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
