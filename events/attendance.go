package events

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// MaxMinutes is the most minutes one attendance records (a day).
const MaxMinutes = 1440

// Record is one person's attendance as an organiser marks it.
type Record struct {
	UserID  int64
	Status  AttendanceStatus
	Minutes *int // nil: not known
}

// Sheet is one session's attendance: the registered participants, with
// their names, and what is recorded for each.
type Sheet struct {
	Event        *Event
	Session      *Session
	Participants []accounts.User
	Records      map[int64]Attendance
}

// Sheet returns the attendance of a session, for its organisers.
func (s *Service) Sheet(ctx context.Context, actor Actor, sessionID int64) (*Sheet, error) {
	ses, acc, err := s.SessionEvent(ctx, actor, sessionID)
	if err != nil {
		return nil, err
	}
	if !acc.Organiser {
		return nil, fmt.Errorf("events: attendance of session %d: %w", sessionID, ErrForbidden)
	}
	st := NewStore(s.db)
	ids, err := registeredIDs(ctx, st, ses.EventID)
	if err != nil {
		return nil, fmt.Errorf("events: attendance of session %d: %w", sessionID, err)
	}
	people, err := s.people(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	list, err := st.Attendance(ctx, sessionID)
	if err != nil {
		return nil, fmt.Errorf("events: attendance of session %d: %w", sessionID, err)
	}
	sh := &Sheet{Event: acc.Event, Session: ses, Participants: people, Records: map[int64]Attendance{}}
	for _, a := range list {
		sh.Records[a.UserID] = a
	}
	return sh, nil
}

// registeredIDs returns the ids of the people with a place in the event.
func registeredIDs(ctx context.Context, st *Store, eventID int64) ([]int64, error) {
	regs, err := st.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range regs {
		if r.Status == Registered {
			ids = append(ids, r.UserID)
		}
	}
	return ids, nil
}

// people returns the users with ids through accounts, in the order of ids.
func (s *Service) people(ctx context.Context, db bun.IDB, ids []int64) ([]accounts.User, error) {
	by, err := accounts.UsersByID(ctx, db, ids)
	if err != nil {
		return nil, fmt.Errorf("people: %w", err)
	}
	out := make([]accounts.User, 0, len(ids))
	for _, id := range ids {
		if u, ok := by[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// People returns the users with ids, in their order, for pages that name
// registrations and organisers.
func (s *Service) People(ctx context.Context, ids []int64) ([]accounts.User, error) {
	return s.people(ctx, s.db, ids)
}

// MarkAttendance records the attendance of registered participants at a
// session, all of it or, when a record is wrong, none.
func (s *Service) MarkAttendance(ctx context.Context, actor Actor, sessionID int64, records []Record) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ses, _, registered, err := s.attendanceChange(ctx, tx, actor, sessionID)
		if err != nil {
			return err
		}
		rows := make([]Attendance, 0, len(records))
		for i, r := range records {
			field := "records[" + strconv.Itoa(i) + "]."
			switch {
			case !registered[r.UserID]:
				return invalid(field+"user_id", "not_registered")
			case !r.Status.Valid():
				return invalid(field+"status", "status")
			case r.Minutes != nil && (*r.Minutes < 0 || *r.Minutes > MaxMinutes):
				return &InvalidError{Field: field + "minutes", Reason: "range", Param: MaxMinutes}
			}
			rows = append(rows, Attendance{SessionID: ses.ID, UserID: r.UserID, Status: r.Status, Minutes: r.Minutes,
				Source: SourceManual, MarkedBy: &actor.UserID, MarkedAt: s.now()})
		}
		return NewStore(tx).UpsertAttendance(ctx, rows)
	})
	if err != nil {
		return fmt.Errorf("events: mark attendance of session %d: %w", sessionID, err)
	}
	return nil
}

// attendanceChange locks the session's event for an organiser's change of
// attendance and returns who is registered.
func (s *Service) attendanceChange(ctx context.Context, tx bun.IDB, actor Actor, sessionID int64) (*Session, *Event, map[int64]bool, error) {
	st := NewStore(tx)
	ses, err := st.Session(ctx, sessionID)
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := s.organising(ctx, tx, actor, ses.EventID)
	if err != nil {
		return nil, nil, nil, err
	}
	if e.Status == StatusClosed {
		return nil, nil, nil, ErrClosed
	}
	ids, err := registeredIDs(ctx, st, e.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	registered := make(map[int64]bool, len(ids))
	for _, id := range ids {
		registered[id] = true
	}
	return ses, e, registered, nil
}
