package events_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/jobs"
)

// TestRemindersTheDayBefore: registering enqueues one reminder per
// session, due a day before it, in the registration's transaction;
// moving a session enqueues one for the new time, and the old one then
// tells nobody; a cancelled participant gets none.
func TestRemindersTheDayBefore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, sessions := f.event(org, nil, events.ModeOpen, 72*time.Hour, 96*time.Hour)
	ana, bea := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	if _, err := f.svc.Events.Register(ctx, actor(ana), e.ID); err != nil {
		t.Fatal(err)
	}
	rb, err := f.svc.Events.Register(ctx, actor(bea), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Registering twice changes nothing; moving the first session by an
	// hour schedules its new time.
	if _, err := f.svc.Events.Register(ctx, actor(ana), e.ID); err == nil {
		t.Fatal("registered twice")
	}
	moved := sessions[0]
	if _, err := f.svc.Events.UpdateSession(ctx, actor(org), moved.ID, events.SessionParams{Title: moved.Title,
		StartsAt: moved.StartsAt.Add(time.Hour), EndsAt: moved.EndsAt.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Events.Cancel(ctx, actor(bea), rb.ID); err != nil {
		t.Fatal(err)
	}
	q := jobs.New(f.db, jobs.Options{Now: f.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	q.Register(f.svc.Events.ReminderKind())
	// The queue is the package's: other tests' jobs run too; only what
	// this test's people were told is counted.
	drain := func() {
		for {
			worked, err := q.WorkOne(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !worked {
				return
			}
		}
	}
	f.clock.Set(moved.StartsAt.Add(-events.ReminderLead - time.Minute))
	drain()
	if n := f.notice.of(events.NoticeReminder, ana.ID); n != 0 {
		t.Fatalf("%d reminders before the day before", n)
	}
	// The day before the moved session: its new reminder goes, and the
	// old one (due an hour earlier) finds the start changed.
	f.clock.Set(moved.StartsAt.Add(time.Hour - events.ReminderLead + time.Minute))
	drain()
	if n := f.notice.of(events.NoticeReminder, ana.ID); n != 1 {
		t.Fatalf("%d reminders the day before the moved session, want 1", n)
	}
	f.clock.Set(sessions[1].StartsAt.Add(-events.ReminderLead + time.Minute))
	drain()
	if n := f.notice.of(events.NoticeReminder, ana.ID); n != 2 {
		t.Errorf("ana got %d reminders, want 2 (one per session, the moved one once)", n)
	}
	if n := f.notice.of(events.NoticeReminder, bea.ID); n != 0 {
		t.Errorf("bea, who cancelled, got %d reminders", n)
	}
}
