package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/locales"
)

// Limits of an event's fields; the database checks them too.
const (
	MaxTitleLen          = 200
	MaxSummaryLen        = 5000
	MaxCapacity          = 100000
	MaxCheckinMargin     = 240
	DefaultCheckinMargin = 15
)

// Languages an event can be held in: those of courses, so that its
// certificates speak it.
var Languages = locales.Courses

// EventParams are the fields of a new event.
type EventParams struct {
	Title    string
	Summary  string
	Language string
	Kind     Kind
	// TimeZone is an IANA name ("America/Mexico_City").
	TimeZone string
	// Capacity is how many places there are; nil for no limit.
	Capacity     *int
	Registration Mode
	// MinAttendancePercent is the share of sessions a participant attends
	// to get a certificate, 0 to 100.
	MinAttendancePercent int
	// CheckinMarginMinutes is how long before and after each session the
	// check-in codes work (DefaultCheckinMargin when nil).
	CheckinMarginMinutes *int
}

// Validate reports the first field of p that breaks a rule.
func (p *EventParams) Validate() error {
	p.Title, p.Summary, p.TimeZone = strings.TrimSpace(p.Title), strings.TrimSpace(p.Summary), strings.TrimSpace(p.TimeZone)
	switch {
	case p.Title == "":
		return invalid("title", "required")
	case utf8.RuneCountInString(p.Title) > MaxTitleLen:
		return &InvalidError{Field: "title", Reason: "too_long", Param: MaxTitleLen}
	case utf8.RuneCountInString(p.Summary) > MaxSummaryLen:
		return &InvalidError{Field: "summary", Reason: "too_long", Param: MaxSummaryLen}
	case !slices.Contains(Languages, p.Language):
		return invalid("language", "language")
	case !slices.Contains(Kinds, p.Kind):
		return invalid("kind", "kind")
	case !validZone(p.TimeZone):
		return invalid("time_zone", "time_zone")
	case p.Capacity != nil && (*p.Capacity < 1 || *p.Capacity > MaxCapacity):
		return &InvalidError{Field: "capacity", Reason: "range", Param: MaxCapacity}
	case !slices.Contains(Modes, p.Registration):
		return invalid("registration", "registration")
	case p.MinAttendancePercent < 0 || p.MinAttendancePercent > 100:
		return &InvalidError{Field: "min_attendance_percent", Reason: "range", Param: 100}
	case p.CheckinMarginMinutes != nil && (*p.CheckinMarginMinutes < 0 || *p.CheckinMarginMinutes > MaxCheckinMargin):
		return &InvalidError{Field: "checkin_margin_minutes", Reason: "range", Param: MaxCheckinMargin}
	}
	return nil
}

// validZone accepts IANA names this machine knows, not "Local" (which
// would mean the server's zone, whatever it is).
func validZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// CreateEvent creates a draft event organised by actor, an instructor or
// admin.
func (s *Service) CreateEvent(ctx context.Context, actor Actor, p EventParams) (*Event, error) {
	if !actor.CanTeach() {
		return nil, fmt.Errorf("events: create: %w", ErrForbidden)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	margin := DefaultCheckinMargin
	if p.CheckinMarginMinutes != nil {
		margin = *p.CheckinMarginMinutes
	}
	e := &Event{Title: p.Title, Summary: p.Summary, Language: p.Language, Kind: p.Kind, TimeZone: p.TimeZone,
		Capacity: p.Capacity, Registration: p.Registration, MinAttendancePercent: p.MinAttendancePercent,
		CheckinMarginMinutes: margin, Status: StatusDraft, CreatedBy: &actor.UserID}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if err := st.InsertEvent(ctx, e); err != nil {
			return err
		}
		_, err := st.AddOrganiser(ctx, e.ID, actor.UserID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("events: create %q: %w", p.Title, err)
	}
	return e, nil
}

// AddOrganiser makes an enabled instructor or admin a co-organiser of
// the event; organisers add them.
func (s *Service) AddOrganiser(ctx context.Context, actor Actor, eventID, userID int64) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.organising(ctx, tx, actor, eventID); err != nil {
			return err
		}
		users, err := accounts.UsersByID(ctx, tx, []int64{userID})
		if err != nil {
			return err
		}
		u, ok := users[userID]
		if !ok || u.Disabled || !u.CanTeach() {
			return invalid("user_id", "not_organiser")
		}
		added, err := NewStore(tx).AddOrganiser(ctx, eventID, userID)
		if err != nil {
			return err
		}
		if !added {
			return ErrAlreadyOrganiser
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("events: add organiser %d to %d: %w", userID, eventID, err)
	}
	return nil
}

// Organisers returns the ids of the event's organisers.
func (s *Service) Organisers(ctx context.Context, eventID int64) ([]int64, error) {
	ids, err := NewStore(s.db).Organisers(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("events: organisers of %d: %w", eventID, err)
	}
	return ids, nil
}

// Publish lists a draft event and opens its registrations; it needs a
// session. Publishing a published event changes nothing.
func (s *Service) Publish(ctx context.Context, actor Actor, id int64) (*Event, error) {
	var e *Event
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if e, err = s.organising(ctx, tx, actor, id); err != nil {
			return err
		}
		switch e.Status {
		case StatusClosed:
			return ErrClosed
		case StatusPublished:
			return nil
		}
		sessions, err := NewStore(tx).Sessions(ctx, id)
		if err != nil {
			return err
		}
		if len(sessions) == 0 {
			return ErrNoSessions
		}
		now := s.now()
		e.Status, e.PublishedAt, e.UpdatedAt = StatusPublished, &now, now
		return NewStore(tx).UpdateEvent(ctx, e, "status", "published_at", "updated_at")
	})
	if err != nil {
		return nil, fmt.Errorf("events: publish %d: %w", id, err)
	}
	return e, nil
}

// Detail is an event with its sessions.
type Detail struct {
	*Access
	Sessions []Session
	// Taken is how many places are taken.
	Taken int
}

// Detail returns the event with id as actor may see it.
func (s *Service) Detail(ctx context.Context, actor Actor, id int64) (*Detail, error) {
	acc, err := s.Access(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	st := NewStore(s.db)
	sessions, err := st.Sessions(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("events: sessions of %d: %w", id, err)
	}
	taken, err := st.CountRegistered(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("events: places of %d: %w", id, err)
	}
	return &Detail{Access: acc, Sessions: sessions, Taken: taken}, nil
}

// ListQuery is a search of the events page.
type ListQuery struct {
	Query    string
	Language string
	Limit    int
	Offset   int
}

// Listed events come with their sessions.
type ListItem struct {
	Listed
	Sessions []Session
}

// List returns a page of published and closed events, those to come first,
// searched like the catalogue (accents and case ignored, words as
// prefixes), and how many match.
func (s *Service) List(ctx context.Context, q ListQuery) ([]ListItem, int, error) {
	st := NewStore(s.db)
	list, total, err := st.Listing(ctx, q, courses.SearchQuery(q.Query), s.now())
	if err != nil {
		return nil, 0, fmt.Errorf("events: list %q: %w", q.Query, err)
	}
	items, err := s.withSessions(ctx, st, list)
	return items, total, err
}

// Organised returns the events actor organises (every event for an admin).
func (s *Service) Organised(ctx context.Context, actor Actor) ([]ListItem, error) {
	if !actor.CanTeach() {
		return nil, fmt.Errorf("events: organised: %w", ErrForbidden)
	}
	st := NewStore(s.db)
	list, err := st.Organised(ctx, actor.UserID, actor.IsAdmin())
	if err != nil {
		return nil, fmt.Errorf("events: organised by %d: %w", actor.UserID, err)
	}
	return s.withSessions(ctx, st, list)
}

// withSessions adds their sessions to listed events, in one query.
func (s *Service) withSessions(ctx context.Context, st *Store, list []Listed) ([]ListItem, error) {
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	sessions, err := st.Sessions(ctx, ids...)
	if err != nil {
		return nil, fmt.Errorf("sessions of %d events: %w", len(ids), err)
	}
	by := map[int64][]Session{}
	for _, ses := range sessions {
		by[ses.EventID] = append(by[ses.EventID], ses)
	}
	items := make([]ListItem, len(list))
	for i := range list {
		items[i] = ListItem{Listed: list[i], Sessions: by[list[i].ID]}
	}
	return items, nil
}
