package events_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/events"
)

// TestConcurrentRegistrationsForTheLastPlaces: with 10 places left, 100
// people registering at the same moment get exactly 10 places; the other
// 90 wait, in the order they came.
func TestConcurrentRegistrationsForTheLastPlaces(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, _ := f.event(org, ptr(15), events.ModeOpen, 48*time.Hour)
	for range 5 {
		if _, err := f.svc.Events.Register(ctx, actor(f.user(accounts.RoleLearner)), e.ID); err != nil {
			t.Fatal(err)
		}
	}
	people := make([]*accounts.User, 100)
	for i := range people {
		people[i] = f.user(accounts.RoleLearner)
	}
	var wg sync.WaitGroup
	ready := make(chan struct{})
	errs := make(chan error, len(people))
	for _, u := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ready
			_, err := f.svc.Events.Register(ctx, actor(u), e.ID)
			errs <- err
		}()
	}
	close(ready)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	regs, err := f.svc.Events.Registrations(ctx, actor(org), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[events.RegistrationStatus]int{}
	for _, r := range regs {
		count[r.Status]++
	}
	if count[events.Registered] != 15 || count[events.Waitlisted] != 90 {
		t.Fatalf("registered %d, waitlisted %d; want 15 and 90", count[events.Registered], count[events.Waitlisted])
	}
	for _, u := range people {
		told := f.notice.of(events.NoticeRegistered, u.ID) + f.notice.of(events.NoticeWaitlisted, u.ID)
		if told != 1 {
			t.Fatalf("user %d told %d times, want once", u.ID, told)
		}
	}
}

// TestCancelPromotesTheFirstWaitlisted: a place that comes free goes to
// whoever waited longest, who is told so.
func TestCancelPromotesTheFirstWaitlisted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, _ := f.event(org, ptr(1), events.ModeOpen, 48*time.Hour)
	ana, bea, caio := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	first, err := f.svc.Events.Register(ctx, actor(ana), e.ID)
	if err != nil || first.Status != events.Registered {
		t.Fatalf("first: %+v, %v", first, err)
	}
	for _, u := range []*accounts.User{bea, caio} {
		if r, err := f.svc.Events.Register(ctx, actor(u), e.ID); err != nil || r.Status != events.Waitlisted {
			t.Fatalf("waitlisted: %+v, %v", r, err)
		}
	}
	if _, err := f.svc.Events.Register(ctx, actor(bea), e.ID); !errors.Is(err, events.ErrAlreadyRegistered) {
		t.Fatalf("second registration: %v, want ErrAlreadyRegistered", err)
	}
	// Someone else's registration is not theirs to cancel.
	if err := f.svc.Events.Cancel(ctx, actor(caio), first.ID); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("cancel another's: %v, want ErrNotFound", err)
	}
	if err := f.svc.Events.Cancel(ctx, actor(ana), first.ID); err != nil {
		t.Fatal(err)
	}
	regs, _ := f.svc.Events.Registrations(ctx, actor(org), e.ID)
	got := map[int64]events.RegistrationStatus{}
	for _, r := range regs {
		got[r.UserID] = r.Status
	}
	if got[bea.ID] != events.Registered || got[caio.ID] != events.Waitlisted || len(got) != 2 {
		t.Fatalf("after the cancellation: %v", got)
	}
	if f.notice.of(events.NoticePromoted, bea.ID) != 1 {
		t.Fatal("the promoted participant was not told")
	}
}

// TestApprovalWaitsForTheOrganiser: with approval, a registration is
// pending until an organiser (not the participant) approves it.
func TestApprovalWaitsForTheOrganiser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, _ := f.event(org, ptr(1), events.ModeApproval, 48*time.Hour)
	ana, bea := f.user(accounts.RoleLearner), f.user(accounts.RoleLearner)
	ra, _ := f.svc.Events.Register(ctx, actor(ana), e.ID)
	rb, _ := f.svc.Events.Register(ctx, actor(bea), e.ID)
	if ra.Status != events.Pending || rb.Status != events.Pending {
		t.Fatalf("statuses %s, %s; want pending", ra.Status, rb.Status)
	}
	if _, err := f.svc.Events.Approve(ctx, actor(ana), ra.ID); !errors.Is(err, events.ErrForbidden) {
		t.Fatalf("self-approval: %v, want ErrForbidden", err)
	}
	if r, err := f.svc.Events.Approve(ctx, actor(org), ra.ID); err != nil || r.Status != events.Registered {
		t.Fatalf("approve: %+v, %v", r, err)
	}
	// Full: the next approved person waits for a place.
	if r, err := f.svc.Events.Approve(ctx, actor(org), rb.ID); err != nil || r.Status != events.Waitlisted {
		t.Fatalf("approve when full: %+v, %v", r, err)
	}
	if _, err := f.svc.Events.Approve(ctx, actor(org), rb.ID); !errors.Is(err, events.ErrNotPending) {
		t.Fatalf("approve twice: %v, want ErrNotPending", err)
	}
}

// TestDraftsAreHidden: a draft is not found by participants, and cannot
// be published without a session.
func TestDraftsAreHidden(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, _ := f.event(org, nil, events.ModeOpen)
	learner := f.user(accounts.RoleLearner)
	if _, err := f.svc.Events.Register(ctx, actor(learner), e.ID); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("register in a draft: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.Events.Detail(ctx, actor(learner), e.ID); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("see a draft: %v, want ErrNotFound", err)
	}
	if _, err := f.svc.Events.Publish(ctx, actor(org), e.ID); !errors.Is(err, events.ErrNoSessions) {
		t.Fatalf("publish without a session: %v, want ErrNoSessions", err)
	}
	if _, err := f.svc.Events.CreateEvent(ctx, actor(learner), events.EventParams{}); !errors.Is(err, events.ErrForbidden) {
		t.Fatalf("learner creates an event: %v, want ErrForbidden", err)
	}
}

// TestSessionRules: sessions that end before they start, overlap another,
// last too long or lie outside the event are refused, naming the field.
func TestSessionRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	org := f.user(accounts.RoleInstructor)
	e, _ := f.event(org, nil, events.ModeOpen, 48*time.Hour) // 3 March 09:00–11:00
	at := func(h time.Duration) time.Time { return start.Add(h) }
	for _, tc := range []struct {
		name          string
		from, to      time.Time
		field, reason string
	}{
		{"ends before it starts", at(72 * time.Hour), at(71 * time.Hour), "ends_at", "before_start"},
		{"ends as it starts", at(72 * time.Hour), at(72 * time.Hour), "ends_at", "before_start"},
		{"overlaps the first", at(49 * time.Hour), at(51 * time.Hour), "starts_at", "overlap"},
		{"contains the first", at(47 * time.Hour), at(52 * time.Hour), "starts_at", "overlap"},
		{"lasts a day", at(72 * time.Hour), at(96 * time.Hour), "ends_at", "too_long_session"},
		{"two years later", at(2 * 366 * 24 * time.Hour), at(2*366*24*time.Hour + time.Hour), "starts_at", "outside_event"},
		{"no start", time.Time{}, at(time.Hour), "starts_at", "required"},
	} {
		_, err := f.svc.Events.AddSession(ctx, actor(org), e.ID, events.SessionParams{Title: "Taller", StartsAt: tc.from, EndsAt: tc.to})
		var inv *events.InvalidError
		if !errors.As(err, &inv) || inv.Field != tc.field || inv.Reason != tc.reason {
			t.Errorf("%s: %v, want %s %s", tc.name, err, tc.field, tc.reason)
		}
	}
	// Back to back is not an overlap.
	if _, err := f.svc.Events.AddSession(ctx, actor(org), e.ID, events.SessionParams{Title: "Tarde", StartsAt: at(50 * time.Hour), EndsAt: at(52 * time.Hour)}); err != nil {
		t.Fatalf("adjacent session: %v", err)
	}
	other := f.user(accounts.RoleInstructor)
	if _, err := f.svc.Events.AddSession(ctx, actor(other), e.ID, events.SessionParams{Title: "X", StartsAt: at(80 * time.Hour), EndsAt: at(81 * time.Hour)}); !errors.Is(err, events.ErrForbidden) {
		t.Fatalf("another instructor adds a session: %v, want ErrForbidden", err)
	}
	if err := f.svc.Events.AddOrganiser(ctx, actor(org), e.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Events.AddSession(ctx, actor(other), e.ID, events.SessionParams{Title: "X", StartsAt: at(80 * time.Hour), EndsAt: at(81 * time.Hour)}); err != nil {
		t.Fatalf("co-organiser adds a session: %v", err)
	}
}
