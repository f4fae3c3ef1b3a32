package exchange

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Options configure a Service. Every seam is required: the wiring gives
// the fixed or logging ones until the library and mail are connected.
type Options struct {
	Themes    Themes
	Events    Events
	Notifier  Notifier
	Publisher Publisher
	// Blobs stores offers' files, shared with course files (nil: none
	// may be attached).
	Blobs courses.BlobStore
	// UploadMaxBytes caps one file (courses' default when 0).
	UploadMaxBytes int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets the service's messages (slog.Default when nil).
	Logger *slog.Logger
}

// Service applies the rules of exchanges.
type Service struct {
	db        *bun.DB
	themes    Themes
	events    Events
	notifier  Notifier
	publisher Publisher
	blobs     courses.BlobStore
	// uploadMaxBytes caps one offer file.
	uploadMaxBytes int64
	now            func() time.Time
	log            *slog.Logger
}

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) (*Service, error) {
	if opts.Themes == nil || opts.Events == nil || opts.Notifier == nil || opts.Publisher == nil {
		return nil, errors.New("exchange: NewService needs Themes, Events, a Notifier and a Publisher")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.UploadMaxBytes <= 0 {
		opts.UploadMaxBytes = courses.DefaultUploadMaxBytes
	}
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, themes: opts.Themes, events: opts.Events, notifier: opts.Notifier,
		publisher: opts.Publisher, blobs: opts.Blobs, uploadMaxBytes: opts.UploadMaxBytes, now: now, log: opts.Logger}, nil
}

// Themes lists the themes offers may name, labelled, in the
// vocabulary's order.
func (s *Service) Themes(ctx context.Context) ([]Theme, error) {
	list, err := s.themes.Themes(ctx)
	if err != nil {
		return nil, fmt.Errorf("exchange: themes: %w", err)
	}
	return list, nil
}

// Actor is who asks; it is courses' Actor, so that a handler builds one
// for every domain.
type Actor = courses.Actor

// ActorFor returns the Actor of a signed-in user, or the visitor for nil.
func ActorFor(u *accounts.User) Actor { return courses.ActorFor(u) }

// Access is what one actor may do in one exchange, decided once.
type Access struct {
	Exchange *Exchange
	Actor    Actor
	// Admin administers the installation, and so every exchange.
	Admin bool
	// Committee: the actor reviews the exchange's actions.
	Committee bool
	// Institution is the one the actor is a delegate of here, 0 if none.
	Institution int64
}

// CanView reports whether the actor takes part in the exchange: its
// admins, committee and delegates see it; nobody else knows it exists.
func (a *Access) CanView() bool { return a.Admin || a.Committee || a.Institution != 0 }

// Delegates reports whether the actor may act for institution: its
// delegate, or an admin (the secretariat enters what delegates send).
func (a *Access) Delegates(institution int64) bool {
	return a.Admin || (a.Institution != 0 && a.Institution == institution)
}

// access decides what actor may do in e, in db.
func access(ctx context.Context, db bun.IDB, actor Actor, e *Exchange) (*Access, error) {
	acc := &Access{Exchange: e, Actor: actor, Admin: actor.IsAdmin()}
	if !actor.SignedIn() {
		return acc, nil
	}
	st := NewStore(db)
	var err error
	if acc.Committee, err = st.IsMember(ctx, e.ID, actor.UserID); err != nil {
		return nil, fmt.Errorf("committee of %d: %w", e.ID, err)
	}
	if acc.Institution, err = st.DelegateOf(ctx, e.ID, actor.UserID); err != nil {
		return nil, fmt.Errorf("delegates of %d: %w", e.ID, err)
	}
	return acc, nil
}

// Access returns what actor may do in the exchange with id; one the actor
// takes no part in is ErrNotFound.
func (s *Service) Access(ctx context.Context, actor Actor, id int64) (*Access, error) {
	return s.viewing(ctx, s.db, actor, id, false)
}

// viewing reads (or, with lock, locks) the exchange in db and checks that
// actor takes part in it.
func (s *Service) viewing(ctx context.Context, db bun.IDB, actor Actor, id int64, lock bool) (*Access, error) {
	st := NewStore(db)
	e, err := st.Exchange(ctx, id, lock)
	if err != nil {
		return nil, fmt.Errorf("%d: %w", id, err)
	}
	acc, err := access(ctx, db, actor, e)
	if err != nil {
		return nil, err
	}
	if !acc.CanView() {
		return nil, fmt.Errorf("%d: %w", id, ErrNotFound)
	}
	return acc, nil
}

// administering locks the exchange in tx for an admin's change: others
// who see it get ErrForbidden, the rest ErrNotFound.
func (s *Service) administering(ctx context.Context, tx bun.IDB, actor Actor, id int64) (*Exchange, error) {
	acc, err := s.viewing(ctx, tx, actor, id, true)
	if err != nil {
		return nil, err
	}
	if !acc.Admin {
		return nil, fmt.Errorf("%d: %w", id, ErrForbidden)
	}
	return acc.Exchange, nil
}

// Exchanges lists the exchanges actor takes part in (every one, for
// admins), the latest first.
func (s *Service) Exchanges(ctx context.Context, actor Actor) ([]Exchange, error) {
	if !actor.SignedIn() {
		return nil, nil
	}
	list, err := NewStore(s.db).Exchanges(ctx, actor.UserID, actor.IsAdmin())
	if err != nil {
		return nil, fmt.Errorf("exchange: list for %d: %w", actor.UserID, err)
	}
	return list, nil
}

// institutions reads the named institutions through accounts.
func institutions(ctx context.Context, db bun.IDB, ids []int64) (map[int64]accounts.Institution, error) {
	out, err := accounts.InstitutionsByID(ctx, db, ids)
	if err != nil {
		return nil, fmt.Errorf("institutions: %w", err)
	}
	return out, nil
}

// Institutions returns the institutions with the ids, keyed by id, for
// pages that name them.
func (s *Service) Institutions(ctx context.Context, ids []int64) (map[int64]accounts.Institution, error) {
	return institutions(ctx, s.db, ids)
}

// People returns the users with the ids, keyed by id, for pages that
// name them.
func (s *Service) People(ctx context.Context, ids []int64) (map[int64]accounts.User, error) {
	out, err := accounts.UsersByID(ctx, s.db, ids)
	if err != nil {
		return nil, fmt.Errorf("exchange: people: %w", err)
	}
	return out, nil
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }
