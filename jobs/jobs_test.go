package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/migrations/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var kindSeq atomic.Int64

// newKind returns a job kind no other test uses, so tests sharing the
// database never work each other's jobs.
func newKind() string { return fmt.Sprintf("test.kind%d", kindSeq.Add(1)) }

// newClock returns a clock a minute ahead of this machine's, so jobs
// enqueued "now" during the test are due on it.
func newClock() *clock { return &clock{t: time.Now().Add(time.Minute)} }

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

func newQueue(t *testing.T, db *bun.DB, c *clock) *jobs.Queue {
	t.Helper()
	return jobs.New(db, jobs.Options{Now: c.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func enqueue(t *testing.T, db bun.IDB, p jobs.EnqueueParams) *jobs.Job {
	t.Helper()
	j, _, err := jobs.Enqueue(context.Background(), db, p)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func job(t *testing.T, db *bun.DB, id int64) *jobs.Job {
	t.Helper()
	j, err := jobs.NewStore(db).Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// drain works every due job and returns how many.
func drain(t *testing.T, q *jobs.Queue) int {
	t.Helper()
	n := 0
	for {
		worked, err := q.WorkOne(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !worked {
			return n
		}
		n++
	}
}

// TestEnqueueFollowsTheTransaction: a job enqueued in a transaction that
// rolls back never runs; one enqueued in a committed one does.
func TestEnqueueFollowsTheTransaction(t *testing.T) {
	db := testdb.Open(t, "jobs")
	ctx := context.Background()
	c := newClock()
	q := newQueue(t, db, c)
	kind := newKind()
	var got []string
	q.Register(jobs.Kind{Name: kind, Handler: func(ctx context.Context, j *jobs.Job) error {
		var args struct{ Name string }
		if err := j.Decode(&args); err != nil {
			return jobs.Permanent(err)
		}
		got = append(got, args.Name)
		return nil
	}})

	errRollback := errors.New("the enrolment failed")
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		enqueue(t, tx, jobs.EnqueueParams{Kind: kind, Args: map[string]string{"Name": "rolled back"}})
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		enqueue(t, tx, jobs.EnqueueParams{Kind: kind, Args: map[string]string{"Name": "João Conceição"}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := drain(t, q); n != 1 || len(got) != 1 || got[0] != "João Conceição" {
		t.Fatalf("worked %d jobs with %q; want only the committed one", n, got)
	}
}

// TestUniqueKeyRunsOnce: a digest enqueued twice for the same day is one job.
func TestUniqueKeyRunsOnce(t *testing.T) {
	db := testdb.Open(t, "jobs")
	kind := newKind()
	key := kind + ":user 7:2026-12-01"
	first := enqueue(t, db, jobs.EnqueueParams{Kind: kind, UniqueKey: key})
	_, again, err := jobs.Enqueue(context.Background(), db, jobs.EnqueueParams{Kind: kind, UniqueKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if again {
		t.Fatal("a second job with the same unique key was added")
	}
	var calls int
	q := newQueue(t, db, newClock())
	q.Register(jobs.Kind{Name: kind, Handler: func(context.Context, *jobs.Job) error { calls++; return nil }})
	drain(t, q)
	if calls != 1 || job(t, db, first.ID).State != jobs.StateCompleted {
		t.Fatalf("%d runs; want 1", calls)
	}
}

// TestFailuresRetryThenDiscard: a failing job is retried after a growing
// wait, keeps its last error, and is discarded once its attempts are
// spent; a permanent error discards it at once; an admin's retry makes it
// due again.
func TestFailuresRetryThenDiscard(t *testing.T) {
	db := testdb.Open(t, "jobs")
	c := newClock()
	q := newQueue(t, db, c)
	kind := newKind()
	q.Register(jobs.Kind{Name: kind, Handler: func(_ context.Context, j *jobs.Job) error {
		var args struct{ Permanent bool }
		_ = j.Decode(&args)
		if args.Permanent {
			return jobs.Permanent(errors.New("550 5.1.1 no such mailbox: peña@example.org"))
		}
		return errors.New("421 4.3.2 service not available")
	}})
	j := enqueue(t, db, jobs.EnqueueParams{Kind: kind, MaxAttempts: 3})
	if drain(t, q) != 1 {
		t.Fatal("the job did not run")
	}
	got := job(t, db, j.ID)
	if got.State != jobs.StateRetryable || got.Attempt != 1 || got.LastError != "421 4.3.2 service not available" {
		t.Fatalf("after one failure: %s, attempt %d, error %q", got.State, got.Attempt, got.LastError)
	}
	if wait := got.RunAt.Sub(c.Now()); wait < 5*time.Second {
		t.Fatalf("retried after %v; want a backoff", wait)
	}
	if drain(t, q) != 0 {
		t.Fatal("a retry ran before its time")
	}
	for range 2 {
		c.Advance(time.Hour)
		drain(t, q)
	}
	if got := job(t, db, j.ID); got.State != jobs.StateDiscarded || got.Attempt != 3 || got.FinishedAt == nil {
		t.Fatalf("after 3 failures of 3: %s, attempt %d", got.State, got.Attempt)
	}

	p := enqueue(t, db, jobs.EnqueueParams{Kind: kind, Args: map[string]bool{"Permanent": true}})
	drain(t, q)
	if got := job(t, db, p.ID); got.State != jobs.StateDiscarded || got.Attempt != 1 || got.LastError == "" {
		t.Fatalf("a permanent error: %s after %d attempts (%q); want discarded after 1", got.State, got.Attempt, got.LastError)
	}

	if err := q.Retry(context.Background(), j.ID); err != nil {
		t.Fatal(err)
	}
	if drain(t, q) != 1 {
		t.Fatal("a retried job did not run")
	}
	if err := q.Retry(context.Background(), 1<<50); !errors.Is(err, jobs.ErrNotFound) {
		t.Fatalf("retry of no job: %v", err)
	}
}

// TestConcurrentWorkersTakeEachJobOnce: two processes' queues with four
// workers each share 300 jobs; each runs exactly once.
func TestConcurrentWorkersTakeEachJobOnce(t *testing.T) {
	db := testdb.Open(t, "jobs")
	kind := newKind()
	const n = 300
	for i := range n {
		enqueue(t, db, jobs.EnqueueParams{Kind: kind, Args: map[string]int{"I": i}})
	}
	var mu sync.Mutex
	runs := map[int]int{}
	handler := func(_ context.Context, j *jobs.Job) error {
		var args struct{ I int }
		if err := j.Decode(&args); err != nil {
			return err
		}
		mu.Lock()
		runs[args.I]++
		mu.Unlock()
		return nil
	}
	var wg sync.WaitGroup
	for range 2 {
		q := newQueue(t, db, newClock())
		q.Register(jobs.Kind{Name: kind, Handler: handler})
		for range 4 {
			wg.Go(func() {
				for {
					worked, err := q.WorkOne(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					if !worked {
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if len(runs) != n {
		t.Fatalf("%d of %d jobs ran", len(runs), n)
	}
	for i, r := range runs {
		if r != 1 {
			t.Errorf("job %d ran %d times", i, r)
		}
	}
}

// TestDeadWorkersJobIsTakenAgain: a process killed mid-job (here: a claim
// never finished) leaves the job leased; once the lease runs out another
// process takes it, and the attempt is counted.
func TestDeadWorkersJobIsTakenAgain(t *testing.T) {
	db := testdb.Open(t, "jobs")
	ctx := context.Background()
	kind := newKind()
	j := enqueue(t, db, jobs.EnqueueParams{Kind: kind})
	c := newClock()
	claimed, err := jobs.NewStore(db).Claim(ctx, []string{kind}, "dead-process", c.Now(), 2*time.Minute)
	if err != nil || claimed == nil || claimed.ID != j.ID {
		t.Fatalf("claim: %v, %+v", err, claimed)
	}
	var ran int
	q := newQueue(t, db, c)
	q.Register(jobs.Kind{Name: kind, Handler: func(context.Context, *jobs.Job) error { ran++; return nil }})
	if drain(t, q) != 0 || ran != 0 {
		t.Fatal("a job still leased to a live worker was taken")
	}
	c.Advance(3 * time.Minute)
	drain(t, q)
	if got := job(t, db, j.ID); ran != 1 || got.State != jobs.StateCompleted || got.Attempt != 2 {
		t.Fatalf("after the lease ran out: ran %d, %s, attempt %d", ran, got.State, got.Attempt)
	}
}

// TestStoppingHandsJobsBack: a process that stops mid-job hands it back
// without counting the attempt, and the next process finishes it.
func TestStoppingHandsJobsBack(t *testing.T) {
	db := testdb.Open(t, "jobs")
	kind := newKind()
	j := enqueue(t, db, jobs.EnqueueParams{Kind: kind})
	started := make(chan struct{})
	q := newQueue(t, db, newClock())
	q.Register(jobs.Kind{Name: kind, Handler: func(ctx context.Context, _ *jobs.Job) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("the running queue did not take the job")
	}
	stop()
	<-done
	if got := job(t, db, j.ID); got.State != jobs.StateAvailable || got.Attempt != 0 {
		t.Fatalf("after stopping: %s, attempt %d; want available, 0", got.State, got.Attempt)
	}
	var ran bool
	next := newQueue(t, db, newClock())
	next.Register(jobs.Kind{Name: kind, Handler: func(context.Context, *jobs.Job) error { ran = true; return nil }})
	drain(t, next)
	if !ran {
		t.Fatal("the next process did not finish the job")
	}
}

// TestCommitWakesWorkers: a committed job wakes a running queue through
// NOTIFY, long before its hour-long poll would.
func TestCommitWakesWorkers(t *testing.T) {
	db := testdb.Open(t, "jobs")
	kind := newKind()
	q := jobs.New(db, jobs.Options{Poll: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ran := make(chan struct{}, 1)
	q.Register(jobs.Kind{Name: kind, Handler: func(context.Context, *jobs.Job) error { ran <- struct{}{}; return nil }})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go q.Run(ctx)
	time.Sleep(500 * time.Millisecond) // the first poll, at start, finds nothing
	enqueue(t, db, jobs.EnqueueParams{Kind: kind})
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("the committed job was not worked: no wake-up on commit")
	}
}
