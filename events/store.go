package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
)

// Store holds every query of events, on the database or in a transaction.
type Store struct{ db bun.IDB }

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// InsertEvent stores a new event.
func (s *Store) InsertEvent(ctx context.Context, e *Event) error {
	_, err := s.db.NewInsert().Model(e).Returning("id, created_at, updated_at").Exec(ctx)
	return err
}

// UpdateEvent writes the given columns of e.
func (s *Store) UpdateEvent(ctx context.Context, e *Event, columns ...string) error {
	_, err := s.db.NewUpdate().Model(e).Column(columns...).WherePK().Exec(ctx)
	return err
}

// Event returns the event with id, or ErrNotFound.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	e := new(Event)
	if err := s.db.NewSelect().Model(e).Where("ev.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return e, nil
}

// Events returns the events with the ids, keyed by id.
func (s *Store) Events(ctx context.Context, ids []int64) (map[int64]*Event, error) {
	out := make(map[int64]*Event, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []Event
	if err := s.db.NewSelect().Model(&list).Where("ev.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for i := range list {
		out[list[i].ID] = &list[i]
	}
	return out, nil
}

// LockEvent returns the event with id locked for the rest of the
// transaction: every change to its registrations, sessions and status
// takes this lock first, so they happen one at a time.
func (s *Store) LockEvent(ctx context.Context, id int64) (*Event, error) {
	e := new(Event)
	if err := s.db.NewSelect().Model(e).Where("ev.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return e, nil
}

// AddOrganiser makes the user an organiser of the event; false when they
// are one already.
func (s *Store) AddOrganiser(ctx context.Context, eventID, userID int64) (bool, error) {
	res, err := s.db.NewInsert().Model(&organiser{EventID: eventID, UserID: userID}).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// IsOrganiser reports whether the user organises the event.
func (s *Store) IsOrganiser(ctx context.Context, eventID, userID int64) (bool, error) {
	return s.db.NewSelect().Model((*organiser)(nil)).Where("event_id = ? AND user_id = ?", eventID, userID).Exists(ctx)
}

// Organisers returns the ids of the event's organisers.
func (s *Store) Organisers(ctx context.Context, eventID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*organiser)(nil)).Column("user_id").Where("event_id = ?", eventID).Order("user_id").Scan(ctx, &ids)
	return ids, err
}

// Listed is an event as lists show it, with the span of its sessions.
type Listed struct {
	Event      `bun:",extend"`
	FirstStart *time.Time `bun:"first_start,scanonly"`
	LastEnd    *time.Time `bun:"last_end,scanonly"`
}

// listing selects events with the span of their sessions, in one query.
func (s *Store) listing(list *[]Listed) *bun.SelectQuery {
	return s.db.NewSelect().Model(list).
		ColumnExpr("?TableColumns").ColumnExpr("span.first_start, span.last_end").
		Join("LEFT JOIN LATERAL (SELECT min(starts_at) AS first_start, max(ends_at) AS last_end FROM event_sessions WHERE event_id = ev.id) AS span ON true")
}

// shown keeps the events readers see (published and closed), those
// still to come (or running) first by their start, then past ones, the
// latest first.
func (s *Store) shown(q *bun.SelectQuery, now time.Time) *bun.SelectQuery {
	return q.Where("ev.status IN (?)", bun.List([]Status{StatusPublished, StatusClosed})).
		OrderExpr("(span.last_end < ?) ASC, CASE WHEN span.last_end >= ? THEN span.first_start END ASC, span.last_end DESC, ev.id DESC", now, now)
}

// Listing returns a page of published and closed events matching q, those
// still to come (or running) first by their start, then past ones, the
// latest first; and how many match. tsq is a courses.SearchQuery.
func (s *Store) Listing(ctx context.Context, q ListQuery, tsq string, now time.Time) ([]Listed, int, error) {
	var list []Listed
	sel := s.shown(s.listing(&list), now).Limit(q.Limit).Offset(q.Offset)
	if q.Language != "" {
		sel = sel.Where("ev.language = ?", q.Language)
	}
	if tsq != "" {
		sel = sel.Where("ev.search @@ to_tsquery('aula_search', ?)", tsq)
	}
	total, err := sel.ScanAndCount(ctx)
	return list, total, err
}

// Organised returns the events userID organises, every event for
// everyone (an admin), newest first.
func (s *Store) Organised(ctx context.Context, userID int64, everyone bool) ([]Listed, error) {
	var list []Listed
	sel := s.listing(&list).OrderExpr("ev.id DESC").Limit(500)
	if !everyone {
		sel = sel.Where("EXISTS (SELECT 1 FROM event_organisers o WHERE o.event_id = ev.id AND o.user_id = ?)", userID)
	}
	err := sel.Scan(ctx)
	return list, err
}

// InsertSession stores a new session; overlapping another session of
// its event is an InvalidError.
func (s *Store) InsertSession(ctx context.Context, ses *Session) error {
	_, err := s.db.NewInsert().Model(ses).Returning("id, created_at").Exec(ctx)
	return sessionConflict(err)
}

// UpdateSession writes a session's editable fields.
func (s *Store) UpdateSession(ctx context.Context, ses *Session) error {
	_, err := s.db.NewUpdate().Model(ses).Column("title", "starts_at", "ends_at", "location", "online_url").WherePK().Exec(ctx)
	return sessionConflict(err)
}

func sessionConflict(err error) error {
	if postgres.Code(err) == postgres.ExclusionViolation {
		return invalid("starts_at", "overlap")
	}
	return err
}

// Session returns the session with id, or ErrNotFound.
func (s *Store) Session(ctx context.Context, id int64) (*Session, error) {
	ses := new(Session)
	if err := s.db.NewSelect().Model(ses).Where("ses.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return ses, nil
}

// Sessions returns the sessions of the events, in order of their start.
func (s *Store) Sessions(ctx context.Context, eventIDs ...int64) ([]Session, error) {
	var list []Session
	if len(eventIDs) == 0 {
		return nil, nil
	}
	err := s.db.NewSelect().Model(&list).Where("ses.event_id IN (?)", bun.List(eventIDs)).OrderExpr("ses.starts_at, ses.id").Scan(ctx)
	return list, err
}

// InsertRegistration stores a registration; a second one of the same
// person for the event is ErrAlreadyRegistered.
func (s *Store) InsertRegistration(ctx context.Context, r *Registration) error {
	_, err := s.db.NewInsert().Model(r).Returning("id, created_at, updated_at").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation {
		return ErrAlreadyRegistered
	}
	return err
}

// Registration returns the registration with id, or ErrNotFound.
func (s *Store) Registration(ctx context.Context, id int64) (*Registration, error) {
	r := new(Registration)
	if err := s.db.NewSelect().Model(r).Where("reg.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// RegistrationOf returns the person's registration for the event, or
// ErrNotFound.
func (s *Store) RegistrationOf(ctx context.Context, eventID, userID int64) (*Registration, error) {
	r := new(Registration)
	if err := s.db.NewSelect().Model(r).Where("reg.event_id = ? AND reg.user_id = ?", eventID, userID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// CountRegistered returns how many places of the event are taken.
func (s *Store) CountRegistered(ctx context.Context, eventID int64) (int, error) {
	return s.db.NewSelect().Model((*Registration)(nil)).Where("event_id = ? AND status = ?", eventID, Registered).Count(ctx)
}

// FirstWaitlisted returns the registration that has waited longest for a
// place, or nil.
func (s *Store) FirstWaitlisted(ctx context.Context, eventID int64) (*Registration, error) {
	r := new(Registration)
	err := s.db.NewSelect().Model(r).Where("reg.event_id = ? AND reg.status = ?", eventID, Waitlisted).
		OrderExpr("reg.created_at, reg.id").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// SetStatus changes a registration's status.
func (s *Store) SetStatus(ctx context.Context, r *Registration, status RegistrationStatus, now time.Time) error {
	r.Status, r.UpdatedAt = status, now
	_, err := s.db.NewUpdate().Model(r).Column("status", "updated_at").WherePK().Exec(ctx)
	return err
}

// DeleteRegistration removes a registration (a cancellation).
func (s *Store) DeleteRegistration(ctx context.Context, id int64) error {
	_, err := s.db.NewDelete().Model((*Registration)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// Registrations returns the event's registrations: registered first, then
// the waitlist and the pending ones, each in the order they came.
func (s *Store) Registrations(ctx context.Context, eventID int64) ([]Registration, error) {
	var list []Registration
	err := s.db.NewSelect().Model(&list).Where("reg.event_id = ?", eventID).
		OrderExpr("CASE reg.status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, reg.created_at, reg.id").Scan(ctx)
	return list, err
}

// UserRegistrations returns every registration of a person.
func (s *Store) UserRegistrations(ctx context.Context, userID int64) ([]Registration, error) {
	var list []Registration
	err := s.db.NewSelect().Model(&list).Where("reg.user_id = ?", userID).OrderExpr("reg.id").Scan(ctx)
	return list, err
}

// UpsertAttendance stores records, replacing what was recorded for the
// same people and sessions.
func (s *Store) UpsertAttendance(ctx context.Context, records []Attendance) error {
	if len(records) == 0 {
		return nil
	}
	_, err := s.db.NewInsert().Model(&records).
		On("CONFLICT (session_id, user_id) DO UPDATE").
		Set("status = EXCLUDED.status, minutes = EXCLUDED.minutes, source = EXCLUDED.source, marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at").
		Exec(ctx)
	return err
}

// Attendance returns the attendance recorded at the sessions.
func (s *Store) Attendance(ctx context.Context, sessionIDs ...int64) ([]Attendance, error) {
	var list []Attendance
	if len(sessionIDs) == 0 {
		return nil, nil
	}
	err := s.db.NewSelect().Model(&list).Where("att.session_id IN (?)", bun.List(sessionIDs)).OrderExpr("att.session_id, att.user_id").Scan(ctx)
	return list, err
}

// Feed returns the person's calendar feed token, or ErrNotFound.
func (s *Store) Feed(ctx context.Context, userID int64) (string, error) {
	f := new(feed)
	if err := s.db.NewSelect().Model(f).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return "", notFound(err)
	}
	return f.Token, nil
}

// FeedUser returns whose feed token is, or ErrNotFound.
func (s *Store) FeedUser(ctx context.Context, token string) (int64, error) {
	f := new(feed)
	if err := s.db.NewSelect().Model(f).Where("token = ?", token).Scan(ctx); err != nil {
		return 0, notFound(err)
	}
	return f.UserID, nil
}

// SetFeed gives the person a new feed token, replacing an old one; keep
// says to keep a token they have instead. It returns the token in use.
func (s *Store) SetFeed(ctx context.Context, userID int64, token string, keep bool) (string, error) {
	conflict := "CONFLICT (user_id) DO UPDATE SET token = EXCLUDED.token, created_at = now()"
	if keep {
		// A no-op update so that RETURNING gives the kept token.
		conflict = "CONFLICT (user_id) DO UPDATE SET token = feed.token"
	}
	f := &feed{UserID: userID, Token: token}
	if _, err := s.db.NewInsert().Model(f).On(conflict).Returning("token").Exec(ctx); err != nil {
		return "", fmt.Errorf("set feed of %d: %w", userID, err)
	}
	return f.Token, nil
}

// EventIDByTitle returns the id of the oldest event titled title that
// userID created, 0 if none.
func (s *Store) EventIDByTitle(ctx context.Context, userID int64, title string) (int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*Event)(nil)).Column("ev.id").Where("ev.created_by = ? AND ev.title = ?", userID, title).
		OrderExpr("ev.id").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
