package notify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/events"
)

// EventsNotifier tells event participants what happened to their
// registration, reminds them of a session the day before and hands them
// their certificate of participation: each notice is an in-app
// notification and, as the user's "events" preference says, a mail at
// once, a line of the daily digest, or nothing more. wiring makes it the
// events service's Notifier.
func (s *Service) EventsNotifier() events.Notifier { return eventsNotifier{s} }

type eventsNotifier struct{ s *Service }

// Notify writes the notice of n in db, the transaction of the change
// (registration, cancellation, approval, closing); a reminder's job hands
// the database itself, so the notification and the mail are written in a
// transaction of their own (a savepoint inside a change's), together or
// not at all.
func (en eventsNotifier) Notify(ctx context.Context, db bun.IDB, n events.Notice) error {
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return en.s.eventNotice(ctx, tx, n)
	})
	if err != nil {
		return fmt.Errorf("%s notice of event %d to %d: %w", n.Kind, n.EventID, n.UserID, err)
	}
	return nil
}

// eventNotice builds the notice of n and delivers it.
func (s *Service) eventNotice(ctx context.Context, tx bun.IDB, n events.Notice) error {
	e, sessions, err := events.EventIn(ctx, tx, n.EventID)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(e.ID, 10)
	page := "/events/" + id
	calendar := "/api/v1/events/" + id + ".ics"
	out := notice{args: []string{e.Title}, link: page}
	// What the mail lists: every session, or the reminder's one.
	listed, withCalendar := sessions, false
	switch n.Kind {
	case events.NoticeRegistered:
		out.kind, withCalendar = KindEventRegistered, true
	case events.NoticePromoted:
		out.kind, withCalendar = KindEventPromoted, true
	case events.NoticeApproved:
		out.kind, withCalendar = KindEventApproved, true
		if n.Status != events.Registered {
			// Approved into a full event: on the waitlist until a place
			// comes free (then a promotion says so).
			out.kind, withCalendar = KindEventApprovedWaitlist, false
		}
	case events.NoticeWaitlisted:
		out.kind = KindEventWaitlisted
	case events.NoticePending:
		out.kind = KindEventPending
	case events.NoticeReminder:
		ses := sessionOf(sessions, n.SessionID)
		if ses == nil {
			return nil // deleted since the job was made
		}
		u, err := s.userOf(ctx, tx, n.UserID)
		if err != nil || u == nil {
			return err
		}
		// The bell's line names the start on the participant's clock.
		out.kind, listed = KindEventReminder, []events.Session{*ses}
		out.args = []string{e.Title, ses.Title, ses.StartsAt.In(s.userLocation(*u)).Format("2006-01-02 15:04")}
	case events.NoticeCertificate:
		out.kind, listed = KindEventCertificate, nil
		out.args, out.link = []string{e.Title, n.CertificateCode}, "/verify/"+n.CertificateCode
	default:
		return fmt.Errorf("unknown notice kind %q", n.Kind)
	}
	out.more = func(l *letter, t tr, u accounts.User) {
		if len(listed) > 0 {
			l.Paragraphs = append(l.Paragraphs, t.N("notify.events.sessions", len(listed)))
			for _, ses := range listed {
				l.Paragraphs = append(l.Paragraphs, sessionLine(t, e, ses, s.userLocation(u)))
			}
		}
		if withCalendar {
			l.Items = append(l.Items, letterItem{Title: t.T("notify.events.calendar"), URL: s.link(calendar)})
		}
	}
	return s.deliver(ctx, tx, []int64{n.UserID}, out)
}

// sessionLine is one session as a mail lists it: its title, its times in
// the event's zone and, when they read differently there, on the
// participant's clock, and its place.
func sessionLine(t tr, e *events.Event, ses events.Session, mine *time.Location) string {
	loc := e.Location()
	here := events.TimeRange(ses.StartsAt.In(loc), ses.EndsAt.In(loc))
	when := t.T("notify.events.time.in_zone", here, events.ZonePlace(e.TimeZone))
	if yours := events.TimeRange(ses.StartsAt.In(mine), ses.EndsAt.In(mine)); yours != here {
		when = t.T("notify.events.time.both", when, t.T("notify.events.time.yours", yours, events.ZonePlace(mine.String())))
	}
	if ses.Location != "" {
		return t.T("notify.events.session_at", ses.Title, when, ses.Location)
	}
	return t.T("notify.events.session", ses.Title, when)
}

// sessionOf finds a session by id.
func sessionOf(sessions []events.Session, id int64) *events.Session {
	for i := range sessions {
		if sessions[i].ID == id {
			return &sessions[i]
		}
	}
	return nil
}

// userOf reads one user in db; nil when there is none.
func (s *Service) userOf(ctx context.Context, db bun.IDB, id int64) (*accounts.User, error) {
	users, err := accounts.UsersByID(ctx, db, []int64{id})
	if err != nil {
		return nil, err
	}
	u, ok := users[id]
	if !ok {
		return nil, nil
	}
	return &u, nil
}
