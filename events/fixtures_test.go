package events_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

// fixture is Aula's services wired as `aula serve` wires them, on the
// package's test database, with a clock the test moves and a Notifier
// that records what participants were told.
type fixture struct {
	t      *testing.T
	db     *bun.DB
	svc    *wiring.Services
	clock  *clock
	notice *recorder
}

type clock struct{ now atomic.Pointer[time.Time] }

func (c *clock) Now() time.Time  { return *c.now.Load() }
func (c *clock) Set(t time.Time) { c.now.Store(&t) }

// recorder is an events.Notifier that keeps the notices of committed
// changes: Notify runs in the change's transaction, so a notice counts
// once that transaction commits.
type recorder struct {
	mu      sync.Mutex
	notices []events.Notice
}

func (r *recorder) Notify(ctx context.Context, db bun.IDB, n events.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, n)
	return nil
}

func (r *recorder) of(kind events.NoticeKind, userID int64) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.notices {
		if x.Kind == kind && x.UserID == userID {
			n++
		}
	}
	return n
}

// start is the fixture's "now": Monday 1 March 2027, 09:00 UTC.
var start = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.Open(t, "events")
	// As `aula serve` does (AULA_DB_MAX_CONNS): a hundred concurrent
	// registrations queue for 20 connections, not for 100 of the server's.
	db.SetMaxOpenConns(20)
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{}
	c.Set(start)
	rec := &recorder{}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "https://aula.example.org", Now: c.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), EventsNotifier: rec})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Certificates.EnsureKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, svc: svc, clock: c, notice: rec}
}

var seq atomic.Int64

// user creates a user; names carry accents, as the network's people's do.
func (f *fixture) user(role accounts.Role) *accounts.User {
	f.t.Helper()
	n := seq.Add(1)
	u := &accounts.User{Email: fmt.Sprintf("pessoa%d@example.org", n), Name: fmt.Sprintf("João Conceição Peña %d", n),
		Role: role, Locale: "en", PasswordHash: "x"}
	if err := accounts.NewStore(f.db).InsertUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	return u
}

func actor(u *accounts.User) events.Actor { return events.ActorFor(u) }

// event creates an event of organiser with sessions at the given offsets
// from the fixture's now, each lasting two hours, and publishes it when
// there are sessions.
func (f *fixture) event(organiser *accounts.User, capacity *int, mode events.Mode, sessions ...time.Duration) (*events.Event, []events.Session) {
	f.t.Helper()
	ctx := context.Background()
	e, err := f.svc.Events.CreateEvent(ctx, actor(organiser), events.EventParams{Title: "Seminário de Proteção Social",
		Summary: "Financiamento e cobertura", Language: "pt", Kind: events.KindSeminar, TimeZone: "America/Mexico_City",
		Capacity: capacity, Registration: mode, MinAttendancePercent: 75})
	if err != nil {
		f.t.Fatal(err)
	}
	var list []events.Session
	for i, off := range sessions {
		ses, err := f.svc.Events.AddSession(ctx, actor(organiser), e.ID, events.SessionParams{
			Title: fmt.Sprintf("Sessão %d", i+1), StartsAt: start.Add(off), EndsAt: start.Add(off + 2*time.Hour), Location: "Sala Peña"})
		if err != nil {
			f.t.Fatal(err)
		}
		list = append(list, *ses)
	}
	if len(sessions) > 0 {
		if _, err := f.svc.Events.Publish(ctx, actor(organiser), e.ID); err != nil {
			f.t.Fatal(err)
		}
	}
	return e, list
}

func ptr[T any](v T) *T { return &v }
