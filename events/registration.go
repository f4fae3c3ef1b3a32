package events

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Register gives actor a place in a published event, a place on its
// waitlist when it is full, or a pending registration when the organiser
// approves each one. A second registration is ErrAlreadyRegistered.
//
// The event's row is locked first, so registrations of one event queue up
// and each counts the places the previous ones took: a hundred people
// registering at once for the last ten places get ten places and ninety
// waits, never eleven places.
func (s *Service) Register(ctx context.Context, actor Actor, eventID int64) (*Registration, error) {
	if !actor.SignedIn() {
		return nil, fmt.Errorf("events: register in %d: %w", eventID, ErrForbidden)
	}
	r := &Registration{EventID: eventID, UserID: actor.UserID}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		e, err := st.LockEvent(ctx, eventID)
		if err != nil {
			return err
		}
		switch e.Status {
		case StatusDraft:
			acc, err := s.access(ctx, tx, actor, e)
			if err != nil {
				return err
			}
			if !acc.CanView() {
				return ErrNotFound
			}
			return ErrNotPublished
		case StatusClosed:
			return ErrClosed
		}
		if _, err := st.RegistrationOf(ctx, eventID, actor.UserID); err == nil {
			return ErrAlreadyRegistered
		} else if err != ErrNotFound {
			return err
		}
		notice := NoticePending
		r.Status = Pending
		if e.Registration == ModeOpen {
			free, err := s.hasPlace(ctx, st, e)
			if err != nil {
				return err
			}
			r.Status, notice = Waitlisted, NoticeWaitlisted
			if free {
				r.Status, notice = Registered, NoticeRegistered
			}
		}
		if err := st.InsertRegistration(ctx, r); err != nil {
			return err
		}
		if r.Status == Registered {
			if err := s.remindOne(ctx, tx, eventID, r.UserID); err != nil {
				return err
			}
		}
		return s.notifier.Notify(ctx, tx, Notice{Kind: notice, UserID: r.UserID, EventID: eventID, Status: r.Status})
	})
	if err != nil {
		return nil, fmt.Errorf("events: register %d in %d: %w", actor.UserID, eventID, err)
	}
	return r, nil
}

// hasPlace reports whether the event (locked by the caller) has a free place.
func (s *Service) hasPlace(ctx context.Context, st *Store, e *Event) (bool, error) {
	if e.Capacity == nil {
		return true, nil
	}
	n, err := st.CountRegistered(ctx, e.ID)
	if err != nil {
		return false, err
	}
	return n < *e.Capacity, nil
}

// Cancel deletes a registration, the participant's own or, for an
// organiser, anyone's. A place that comes free goes to the first on the
// waitlist, in the same transaction.
func (s *Service) Cancel(ctx context.Context, actor Actor, registrationID int64) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, e, err := s.lockRegistration(ctx, tx, actor, registrationID, true)
		if err != nil {
			return err
		}
		if e.Status == StatusClosed {
			return ErrClosed
		}
		st := NewStore(tx)
		if err := st.DeleteRegistration(ctx, r.ID); err != nil {
			return err
		}
		if r.Status != Registered {
			return nil
		}
		return s.promote(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("events: cancel registration %d: %w", registrationID, err)
	}
	return nil
}

// promote gives free places of the event (locked by the caller) to the
// waitlist, longest waiting first.
func (s *Service) promote(ctx context.Context, tx bun.IDB, e *Event) error {
	st := NewStore(tx)
	for {
		free, err := s.hasPlace(ctx, st, e)
		if err != nil || !free {
			return err
		}
		next, err := st.FirstWaitlisted(ctx, e.ID)
		if err != nil || next == nil {
			return err
		}
		if err := st.SetStatus(ctx, next, Registered, s.now()); err != nil {
			return err
		}
		if err := s.remindOne(ctx, tx, e.ID, next.UserID); err != nil {
			return err
		}
		if err := s.notifier.Notify(ctx, tx, Notice{Kind: NoticePromoted, UserID: next.UserID, EventID: e.ID, Status: Registered}); err != nil {
			return err
		}
	}
}

// Approve accepts a pending registration: it gets a place if one is free,
// else it joins the waitlist (and is promoted like the others).
func (s *Service) Approve(ctx context.Context, actor Actor, registrationID int64) (*Registration, error) {
	var r *Registration
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var e *Event
		var err error
		if r, e, err = s.lockRegistration(ctx, tx, actor, registrationID, false); err != nil {
			return err
		}
		if e.Status == StatusClosed {
			return ErrClosed
		}
		if r.Status != Pending {
			return ErrNotPending
		}
		st := NewStore(tx)
		free, err := s.hasPlace(ctx, st, e)
		if err != nil {
			return err
		}
		status := Waitlisted
		if free {
			status = Registered
		}
		if err := st.SetStatus(ctx, r, status, s.now()); err != nil {
			return err
		}
		if status == Registered {
			if err := s.remindOne(ctx, tx, e.ID, r.UserID); err != nil {
				return err
			}
		}
		return s.notifier.Notify(ctx, tx, Notice{Kind: NoticeApproved, UserID: r.UserID, EventID: e.ID, Status: status})
	})
	if err != nil {
		return nil, fmt.Errorf("events: approve registration %d: %w", registrationID, err)
	}
	return r, nil
}

// lockRegistration finds a registration and locks its event, and checks
// that actor may change it: organisers always, its participant when self
// is allowed. Someone else's registration is ErrNotFound to people who
// do not organise the event.
func (s *Service) lockRegistration(ctx context.Context, tx bun.IDB, actor Actor, id int64, self bool) (*Registration, *Event, error) {
	st := NewStore(tx)
	r, err := st.Registration(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	e, err := st.LockEvent(ctx, r.EventID)
	if err != nil {
		return nil, nil, err
	}
	// Read again under the event's lock: a concurrent change may have
	// moved or deleted it.
	if r, err = st.Registration(ctx, id); err != nil {
		return nil, nil, err
	}
	acc, err := s.access(ctx, tx, actor, e)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case acc.Organiser:
	case self && r.UserID == actor.UserID:
	case r.UserID == actor.UserID:
		return nil, nil, ErrForbidden
	default:
		return nil, nil, ErrNotFound
	}
	return r, e, nil
}

// Registrations returns the event's registrations, for its organisers.
func (s *Service) Registrations(ctx context.Context, actor Actor, eventID int64) ([]Registration, error) {
	if err := s.mustOrganise(ctx, actor, eventID); err != nil {
		return nil, err
	}
	list, err := NewStore(s.db).Registrations(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("events: registrations of %d: %w", eventID, err)
	}
	return list, nil
}

// MyRegistration is one of a person's registrations with its event.
type MyRegistration struct {
	Registration
	Event    *Event
	Sessions []Session
}

// MyRegistrations returns every registration of the user, with events
// and sessions.
func (s *Service) MyRegistrations(ctx context.Context, userID int64) ([]MyRegistration, error) {
	st := NewStore(s.db)
	regs, err := st.UserRegistrations(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("events: registrations of user %d: %w", userID, err)
	}
	out := make([]MyRegistration, 0, len(regs))
	ids := make([]int64, len(regs))
	for i, r := range regs {
		ids[i] = r.EventID
	}
	sessions, err := st.Sessions(ctx, ids...)
	if err != nil {
		return nil, fmt.Errorf("events: sessions of user %d: %w", userID, err)
	}
	by := map[int64][]Session{}
	for _, ses := range sessions {
		by[ses.EventID] = append(by[ses.EventID], ses)
	}
	evs, err := st.Events(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("events: events of user %d: %w", userID, err)
	}
	for _, r := range regs {
		if e, ok := evs[r.EventID]; ok {
			out = append(out, MyRegistration{Registration: r, Event: e, Sessions: by[r.EventID]})
		}
	}
	return out, nil
}

// mustOrganise checks that actor organises the event.
func (s *Service) mustOrganise(ctx context.Context, actor Actor, eventID int64) error {
	acc, err := s.Access(ctx, actor, eventID)
	if err != nil {
		return err
	}
	if !acc.Organiser {
		return fmt.Errorf("event %d: %w", eventID, ErrForbidden)
	}
	return nil
}
