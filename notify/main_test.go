package notify_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/wiring"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// clock starts at this machine's time and moves when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// inst is an installation wired as `aula serve` wires it, with mail sent
// through sender (nil: held in the outbox).
type inst struct {
	t     *testing.T
	db    *bun.DB
	svc   *wiring.Services
	clock *clock
}

func newInst(t *testing.T, sender notify.Sender) *inst {
	t.Helper()
	db := testdb.Open(t, "notify")
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// A second ahead, so jobs enqueued "now" on the database's clock are due.
	c := &clock{t: time.Now().Add(time.Second)}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "https://aula.example.org", Now: c.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Mail: sender, MailFrom: "Aula ILSS <aula@ilss.example.org>"})
	if err != nil {
		t.Fatal(err)
	}
	return &inst{t: t, db: db, svc: svc, clock: c}
}

// work works every due job and returns how many.
func (in *inst) work() int {
	in.t.Helper()
	n := 0
	for {
		worked, err := in.svc.Jobs.WorkOne(context.Background())
		if err != nil {
			in.t.Fatal(err)
		}
		if !worked {
			return n
		}
		n++
	}
}
