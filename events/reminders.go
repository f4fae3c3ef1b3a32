package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/jobs"
)

// ReminderJob is the job kind of the reminders sent the day before each
// session.
const ReminderJob = "events.reminder"

// ReminderLead is how long before a session its reminder goes out.
const ReminderLead = 24 * time.Hour

// reminderArgs are a reminder job's arguments: the session's start as it
// was when the job was made, so that a job of a moved session does nothing.
type reminderArgs struct {
	SessionID int64     `json:"session_id"`
	UserID    int64     `json:"user_id"`
	StartsAt  time.Time `json:"starts_at"`
}

// scheduleReminders enqueues, in tx, a reminder for each of the people at
// each of the sessions, due ReminderLead before it starts. A session
// starting sooner than that gets none: the person has just been told.
// Each job is unique per session, person and start time, so scheduling
// twice (a repeated change) enqueues once, and a moved session gets a new
// one while the old one finds the start changed and does nothing.
func (s *Service) scheduleReminders(ctx context.Context, tx bun.IDB, sessions []Session, userIDs []int64) error {
	now := s.now()
	for _, ses := range sessions {
		due := ses.StartsAt.Add(-ReminderLead)
		if due.Before(now) {
			continue
		}
		for _, uid := range userIDs {
			start := ses.StartsAt.UTC()
			_, _, err := jobs.Enqueue(ctx, tx, jobs.EnqueueParams{
				Kind:      ReminderJob,
				Args:      reminderArgs{SessionID: ses.ID, UserID: uid, StartsAt: start},
				RunAt:     due,
				UniqueKey: fmt.Sprintf("%s:%d:%d:%d", ReminderJob, ses.ID, uid, start.Unix()),
			})
			if err != nil {
				return fmt.Errorf("reminder of session %d for %d: %w", ses.ID, uid, err)
			}
		}
	}
	return nil
}

// remindRegistered schedules the reminders of one new or moved session for
// everyone registered in its event.
func (s *Service) remindRegistered(ctx context.Context, tx bun.IDB, e *Event, ses Session) error {
	regs, err := NewStore(tx).Registrations(ctx, e.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, r := range regs {
		if r.Status == Registered {
			ids = append(ids, r.UserID)
		}
	}
	return s.scheduleReminders(ctx, tx, []Session{ses}, ids)
}

// remindOne schedules the reminders of every session of the event for one
// person who has just got a place.
func (s *Service) remindOne(ctx context.Context, tx bun.IDB, eventID, userID int64) error {
	sessions, err := NewStore(tx).Sessions(ctx, eventID)
	if err != nil {
		return err
	}
	return s.scheduleReminders(ctx, tx, sessions, []int64{userID})
}

// ReminderKind is the job kind that sends reminders through the Notifier.
// Register it on the process's jobs.Queue:
//
//	queue.Register(services.Events.ReminderKind())
func (s *Service) ReminderKind() jobs.Kind {
	return jobs.Kind{Name: ReminderJob, Handler: s.remind, Timeout: time.Minute}
}

// remind sends one reminder, unless it no longer applies: the session was
// deleted or moved, the person is no longer registered, the session has
// started, or the event is closed. Those end the job without an error.
func (s *Service) remind(ctx context.Context, j *jobs.Job) error {
	var args reminderArgs
	if err := j.Decode(&args); err != nil {
		return jobs.Permanent(fmt.Errorf("reminder job %d: %w", j.ID, err))
	}
	st := NewStore(s.db)
	ses, err := st.Session(ctx, args.SessionID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reminder of session %d: %w", args.SessionID, err)
	}
	if !ses.StartsAt.Equal(args.StartsAt) || !s.now().Before(ses.StartsAt) {
		return nil
	}
	e, err := st.Event(ctx, ses.EventID)
	if err != nil {
		return fmt.Errorf("reminder of session %d: %w", ses.ID, err)
	}
	if e.Status != StatusPublished {
		return nil
	}
	r, err := st.RegistrationOf(ctx, ses.EventID, args.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && r.Status != Registered) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reminder of session %d: %w", ses.ID, err)
	}
	if err := s.notifier.Notify(ctx, s.db, Notice{Kind: NoticeReminder, UserID: args.UserID, EventID: ses.EventID,
		SessionID: ses.ID, Status: r.Status}); err != nil {
		return fmt.Errorf("reminder of session %d for %d: %w", ses.ID, args.UserID, err)
	}
	return nil
}
