package certificates

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

func TestIssueOnCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user("João da Conceição Peña")
	c, mods := f.course(2, nil)
	e := f.complete(u, c, mods)

	list := f.certificatesOf(u.ID, c.ID)
	if len(list) != 1 {
		t.Fatalf("%d certificates after completion, want 1", len(list))
	}
	cert := list[0]
	if cert.EnrolmentID == nil || *cert.EnrolmentID != e.ID || cert.IssuedBy != nil {
		t.Errorf("certificate not tied to the enrolment: %+v", cert)
	}
	iss, err := f.svc.IssuerSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := cert.Snapshot()
	if s.HolderName != "João da Conceição Peña" || s.CourseTitle != "Protección Social Básica" || s.WorkloadHours != 40 ||
		s.Institution != "Ministério do Desenvolvimento Social" || s.IssuerName != iss.Name || s.Language != "es" ||
		s.TemplateVersion != TemplateVersion || !s.CompletedAt.Equal(CalendarDay(*e.CompletedAt, time.UTC)) {
		t.Errorf("snapshot %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
	if cert.ExpiresAt != nil || cert.Status(time.Now()) != StatusValid {
		t.Errorf("a course without validity gave expiry %v, status %s", cert.ExpiresAt, cert.Status(time.Now()))
	}
	pub, err := f.svc.PublicKey(ctx, cert.KeyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, s.Payload(), cert.Signature); err != nil {
		t.Errorf("stored signature does not verify: %v", err)
	}
	events, err := f.svc.Events(ctx, cert.ID)
	if err != nil || len(events) != 1 || events[0].Kind != EventIssued || events[0].ActorID != nil {
		t.Errorf("audit trail %+v %v", events, err)
	}
}

// TestIssueExactlyOnceUnderConcurrentCompletion has many requests finish
// the last modules of one enrolment at the same time, as a learner with
// several tabs or a retrying client would.
func TestIssueExactlyOnceUnderConcurrentCompletion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for round := range 5 {
		u := f.user("Maria Peña")
		c, mods := f.course(4, nil)
		e := f.enrol(u, c)
		if _, err := f.courses.CompleteModule(ctx, u.ID, e.ID, mods[0]); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 24)
		for i := range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.courses.CompleteModule(ctx, u.ID, e.ID, mods[1+i%3])
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: concurrent completion failed: %v", round, err)
			}
		}
		if n := len(f.certificatesOf(u.ID, c.ID)); n != 1 {
			t.Fatalf("round %d: %d certificates, want exactly 1", round, n)
		}
	}
}

func TestIssueOnCompletionKeepsAManualCertificate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, admin := f.user("Carlos Muñoz"), f.admin()
	c, mods := f.course(1, nil)
	manual, err := f.svc.Issue(ctx, IssueParams{UserID: u.ID, CourseID: c.ID, By: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Completing online afterwards must neither fail nor issue a second one.
	f.complete(u, c, mods)
	list := f.certificatesOf(u.ID, c.ID)
	if len(list) != 1 || list[0].Code != manual.Code {
		t.Fatalf("certificates after completing with a manual one: %+v", list)
	}
}

func TestIssueByHand(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.admin()
	c, mods := f.course(1, nil)

	t.Run("without enrolment", func(t *testing.T) {
		u := f.user("Luísa Gonçalves")
		when := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
		cert, err := f.svc.Issue(ctx, IssueParams{UserID: u.ID, CourseID: c.ID, CompletedAt: when, By: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		if cert.EnrolmentID != nil || cert.IssuedBy == nil || *cert.IssuedBy != admin.ID || !cert.CompletedAt.Equal(CalendarDay(when, time.UTC)) {
			t.Errorf("manual certificate %+v", cert)
		}
		_, err = f.svc.Issue(ctx, IssueParams{UserID: u.ID, CourseID: c.ID, By: admin.ID})
		if !errors.Is(err, ErrExists) {
			t.Errorf("second manual issue: %v, want ErrExists", err)
		}
		events, _ := f.svc.Events(ctx, cert.ID)
		if len(events) != 1 || events[0].ActorName != "Ana Administradora" {
			t.Errorf("audit trail %+v", events)
		}
	})

	t.Run("after a revocation", func(t *testing.T) {
		u := f.user("Pedro Álvares")
		e := f.complete(u, c, mods)
		first := f.certificatesOf(u.ID, c.ID)[0]
		if _, err := f.svc.Revoke(ctx, first.Code, admin.ID, "Emitido por error"); err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Issue(ctx, IssueParams{UserID: u.ID, CourseID: c.ID, By: admin.ID})
		if err != nil {
			t.Fatalf("issue after revocation: %v", err)
		}
		if again.Code == first.Code || again.EnrolmentID != nil || !again.CompletedAt.Equal(CalendarDay(*e.CompletedAt, time.UTC)) {
			t.Errorf("new certificate %+v", again)
		}
	})

	t.Run("unknown user or course", func(t *testing.T) {
		u := f.user("Nadie")
		if _, err := f.svc.Issue(ctx, IssueParams{UserID: u.ID, CourseID: 1 << 40, By: admin.ID}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown course: %v", err)
		}
		if _, err := f.svc.Issue(ctx, IssueParams{UserID: 1 << 40, CourseID: c.ID, By: admin.ID}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})

	t.Run("many", func(t *testing.T) {
		a, b := f.user("Ana"), f.user("Beatriz")
		if _, err := f.svc.Issue(ctx, IssueParams{UserID: a.ID, CourseID: c.ID, By: admin.ID}); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.IssueMany(ctx, c.ID, []int64{a.ID, b.ID, b.ID}, time.Time{}, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Issued) != 1 || res.Issued[0].UserID != b.ID || len(res.Existing) != 1 || res.Existing[0].UserID != a.ID {
			t.Errorf("IssueMany %+v", res)
		}
	})
}

func TestSnapshotSurvivesRenames(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user("Joana Conceição")
	c, mods := f.course(1, nil)
	f.complete(u, c, mods)
	if _, err := f.db.NewUpdate().Model((*courses.Course)(nil)).Set("title = ?, workload_hours = 99", "Otro título").Where("id = ?", c.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.NewUpdate().Table("users").Set("name = 'Someone Else'").Where("id = ?", u.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	cert := f.certificatesOf(u.ID, c.ID)[0]
	v, err := f.svc.Lookup(ctx, cert.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Certificate; got.CourseTitle != "Protección Social Básica" || got.WorkloadHours != 40 || got.HolderName != "Joana Conceição" {
		t.Errorf("certificate changed with the live rows: %+v", got)
	}
}

func TestExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC)
	f.clock.Set(start)
	u := f.user("Vencida")
	twelve := 12
	c, mods := f.course(1, &twelve)
	f.complete(u, c, mods)
	cert := f.certificatesOf(u.ID, c.ID)[0]
	// Completed on 31 January 2026: valid until 31 January 2027 begins.
	want := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	if cert.ExpiresAt == nil || !cert.ExpiresAt.Equal(want) {
		t.Fatalf("expires at %v, want %v", cert.ExpiresAt, want)
	}
	for _, tt := range []struct {
		at   time.Time
		want Status
	}{
		{want.Add(-time.Second), StatusValid},
		{want, StatusExpired},
	} {
		f.clock.Set(tt.at)
		v, err := f.svc.Lookup(ctx, cert.Code)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != tt.want {
			t.Errorf("at %v: %s, want %s", tt.at, v.Status, tt.want)
		}
	}
}

// TestIssueOnCompletionRacesWithoutLock calls the hook itself from many
// transactions at once for one enrolment, as if completion's row lock did
// not exist: the unique constraint alone must leave one certificate, and
// no caller may fail.
func TestIssueOnCompletionRacesWithoutLock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.user("Tomás Ribeiro")
	c, _ := f.course(1, nil)
	e := f.enrol(u, c)
	now := time.Now().UTC()
	e.CompletedAt = &now
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	start := make(chan struct{})
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- f.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				return f.svc.IssueOnCompletion(ctx, tx, e)
			})
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a racing hook failed: %v", err)
		}
	}
	if n := len(f.certificatesOf(u.ID, c.ID)); n != 1 {
		t.Fatalf("%d certificates, want exactly 1", n)
	}
}
