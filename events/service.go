package events

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Participant is a registered person at the closing of an event, with
// what they attended.
type Participant struct {
	UserID           int64
	SessionsAttended int
	// Minutes attended: what a report recorded, else the sessions' length.
	Minutes int
}

// Closing is what a ClosingHook is told: the closed event, the first and
// last days of its sessions, and the participants who met its rule.
type Closing struct {
	Event      *Event
	FirstStart time.Time
	LastEnd    time.Time
	Earned     []Participant
}

// ClosingHook issues the certificates of a closing inside its transaction
// db and returns, per participant, the code of the certificate they got
// ("" when they hold one already).
type ClosingHook func(ctx context.Context, db bun.IDB, c Closing) (map[int64]string, error)

// Options configure a Service.
type Options struct {
	// Notifier tells participants what happened (required: LogNotifier
	// until mail is wired).
	Notifier Notifier
	// OnClosed issues the certificates of participation (required).
	OnClosed ClosingHook
	// Location is the installation's time zone (UTC when nil).
	Location *time.Location
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets the reminder jobs' messages (slog.Default when nil).
	Logger *slog.Logger
}

// Service applies the rules of events.
type Service struct {
	db       *bun.DB
	notifier Notifier
	onClosed ClosingHook
	loc      *time.Location
	now      func() time.Time
	log      *slog.Logger
}

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) (*Service, error) {
	if opts.Notifier == nil || opts.OnClosed == nil {
		return nil, fmt.Errorf("events: NewService needs a Notifier and a ClosingHook")
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, notifier: opts.Notifier, onClosed: opts.OnClosed, loc: opts.Location, now: now, log: opts.Logger}, nil
}

// Location is the installation's time zone, the one pages show "your
// time" in until users have a zone of their own.
func (s *Service) Location() *time.Location { return s.loc }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Actor is who asks: the zero Actor is a visitor who has not signed in.
// It is courses' Actor, so that a handler builds one for both; events
// reads only its user and role (CanTeach: instructors and admins
// organise events).
type Actor = courses.Actor

// ActorFor returns the Actor of a signed-in user, or the visitor for nil.
func ActorFor(u *accounts.User) Actor { return courses.ActorFor(u) }

// Access is what one actor may do with one event, decided once.
type Access struct {
	Event *Event
	Actor Actor
	// Organiser: an admin, or one of the event's organisers.
	Organiser bool
	// Registration is the actor's own registration, or nil.
	Registration *Registration
}

// CanView reports whether the actor may see the event: drafts are for
// organisers only.
func (a *Access) CanView() bool { return a.Organiser || a.Event.Status != StatusDraft }

// access decides what actor may do with the event, in db.
func (s *Service) access(ctx context.Context, db bun.IDB, actor Actor, e *Event) (*Access, error) {
	acc := &Access{Event: e, Actor: actor, Organiser: actor.IsAdmin()}
	if !actor.SignedIn() {
		return acc, nil
	}
	st := NewStore(db)
	if !acc.Organiser {
		ok, err := st.IsOrganiser(ctx, e.ID, actor.UserID)
		if err != nil {
			return nil, fmt.Errorf("organisers of %d: %w", e.ID, err)
		}
		acc.Organiser = ok
	}
	r, err := st.RegistrationOf(ctx, e.ID, actor.UserID)
	switch {
	case err == nil:
		acc.Registration = r
	case err != ErrNotFound:
		return nil, fmt.Errorf("registration in %d: %w", e.ID, err)
	}
	return acc, nil
}

// Access returns what actor may do with the event with id; an event the
// actor may not see is ErrNotFound.
func (s *Service) Access(ctx context.Context, actor Actor, id int64) (*Access, error) {
	e, err := NewStore(s.db).Event(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("events: event %d: %w", id, err)
	}
	acc, err := s.access(ctx, s.db, actor, e)
	if err != nil {
		return nil, err
	}
	if !acc.CanView() {
		return nil, fmt.Errorf("events: event %d: %w", id, ErrNotFound)
	}
	return acc, nil
}

// organising locks the event in tx and checks that actor organises it:
// a draft of others is ErrNotFound, a visible event ErrForbidden.
func (s *Service) organising(ctx context.Context, tx bun.IDB, actor Actor, id int64) (*Event, error) {
	e, err := NewStore(tx).LockEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.access(ctx, tx, actor, e)
	if err != nil {
		return nil, err
	}
	if !acc.Organiser {
		if !acc.CanView() {
			return nil, ErrNotFound
		}
		return nil, ErrForbidden
	}
	return e, nil
}
