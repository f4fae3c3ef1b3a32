package events

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Tally is what one participant attended of an event.
type Tally struct {
	Participant
	// Met says whether they met the event's rule for a certificate.
	Met bool
}

// tally counts each registered participant's attendance: a session counts
// when they were present or late; the minutes are those a report recorded,
// else the session's length. Met compares the share of sessions attended
// with the event's minimum.
func tally(e *Event, sessions []Session, registered []int64, records []Attendance) []Tally {
	length := make(map[int64]int, len(sessions))
	for _, ses := range sessions {
		length[ses.ID] = int(ses.Duration().Minutes())
	}
	by := make(map[int64]*Tally, len(registered))
	out := make([]Tally, len(registered))
	for i, id := range registered {
		out[i].UserID = id
		by[id] = &out[i]
	}
	for _, a := range records {
		t, ok := by[a.UserID]
		if !ok || !a.Status.Attended() {
			continue
		}
		if _, ok := length[a.SessionID]; !ok {
			continue
		}
		t.SessionsAttended++
		if a.Minutes != nil {
			t.Minutes += min(*a.Minutes, length[a.SessionID])
		} else {
			t.Minutes += length[a.SessionID]
		}
	}
	for i := range out {
		// attended/total ≥ min%, in integers.
		out[i].Met = len(sessions) > 0 && out[i].SessionsAttended > 0 &&
			out[i].SessionsAttended*100 >= e.MinAttendancePercent*len(sessions)
	}
	return out
}

// Tallies returns every registered participant's attendance of the
// event, for its organisers.
func (s *Service) Tallies(ctx context.Context, actor Actor, eventID int64) ([]Tally, []Session, error) {
	if err := s.mustOrganise(ctx, actor, eventID); err != nil {
		return nil, nil, err
	}
	st := NewStore(s.db)
	e, err := st.Event(ctx, eventID)
	if err != nil {
		return nil, nil, err
	}
	t, sessions, err := s.tallies(ctx, st, e)
	if err != nil {
		return nil, nil, fmt.Errorf("events: attendance of %d: %w", eventID, err)
	}
	return t, sessions, nil
}

func (s *Service) tallies(ctx context.Context, st *Store, e *Event) ([]Tally, []Session, error) {
	sessions, err := st.Sessions(ctx, e.ID)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(sessions))
	for i, ses := range sessions {
		ids[i] = ses.ID
	}
	records, err := st.Attendance(ctx, ids...)
	if err != nil {
		return nil, nil, err
	}
	registered, err := registeredIDs(ctx, st, e.ID)
	if err != nil {
		return nil, nil, err
	}
	return tally(e, sessions, registered, records), sessions, nil
}

// Close closes an event from the start of its last session: every
// registered participant who met its rule gets a certificate of
// participation, through the ClosingHook, in the same transaction.
//
// The event's row is locked first and its status checked under the lock,
// so closing twice, or two organisers closing at once, issues one set of
// certificates: the second finds the event closed (ErrClosed). The
// certificates' unique index on person and event backs it.
func (s *Service) Close(ctx context.Context, actor Actor, eventID int64) (int, error) {
	var issued int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		e, err := s.organising(ctx, tx, actor, eventID)
		if err != nil {
			return err
		}
		switch e.Status {
		case StatusClosed:
			return ErrClosed
		case StatusDraft:
			return ErrNotPublished
		}
		st := NewStore(tx)
		tallies, sessions, err := s.tallies(ctx, st, e)
		if err != nil {
			return err
		}
		if len(sessions) == 0 {
			return ErrNoSessions
		}
		now := s.now()
		last := sessions[len(sessions)-1]
		if now.Before(last.StartsAt) {
			return ErrTooEarly
		}
		c := Closing{Event: e, FirstStart: sessions[0].StartsAt, LastEnd: last.EndsAt}
		for _, t := range tallies {
			if t.Met {
				c.Earned = append(c.Earned, t.Participant)
			}
		}
		codes, err := s.onClosed(ctx, tx, c)
		if err != nil {
			return err
		}
		for _, p := range c.Earned {
			code := codes[p.UserID]
			if code == "" {
				continue
			}
			issued++
			if err := s.notifier.Notify(ctx, tx, Notice{Kind: NoticeCertificate, UserID: p.UserID, EventID: e.ID,
				Status: Registered, CertificateCode: code}); err != nil {
				return err
			}
		}
		e.Status, e.ClosedAt, e.ClosedBy, e.CertificatesIssued, e.UpdatedAt = StatusClosed, &now, &actor.UserID, &issued, now
		return st.UpdateEvent(ctx, e, "status", "closed_at", "closed_by", "certificates_issued", "updated_at")
	})
	if err != nil {
		return 0, fmt.Errorf("events: close %d: %w", eventID, err)
	}
	return issued, nil
}
