package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Handler does the work of one job. An error makes the attempt fail: the
// job is tried again later, unless the error is Permanent or the attempts
// are spent. ctx ends at the kind's timeout or when the process stops.
type Handler func(ctx context.Context, j *Job) error

// Kind describes one kind of job a process can work.
type Kind struct {
	Name    string
	Handler Handler
	// Timeout bounds one attempt (DefaultTimeout when 0); the lease lasts a
	// minute longer, so a job outlives its worker only by that much.
	Timeout time.Duration
}

// DefaultTimeout bounds one attempt of a kind that sets none.
const DefaultTimeout = 5 * time.Minute

// DefaultMaxAttempts is how often a job is tried before it is discarded.
const DefaultMaxAttempts = 10

// permanent marks an error that trying again cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that the job is discarded at once, not retried
// (a refused address, arguments that cannot be read).
func Permanent(err error) error { return permanent{err} }

// EnqueueParams describe a job to add.
type EnqueueParams struct {
	Kind string
	// Args are marshalled to JSON; nil is {}.
	Args any
	// RunAt is when the job is due (now when zero).
	RunAt time.Time
	// MaxAttempts before it is discarded (DefaultMaxAttempts when 0).
	MaxAttempts int
	// UniqueKey, when set, makes the job run once: enqueueing another job
	// with the same key does nothing.
	UniqueKey string
}

// Enqueue adds a job on db, which should be the transaction of the write
// that causes it. It reports false when a job with the same unique key
// exists already.
func Enqueue(ctx context.Context, db bun.IDB, p EnqueueParams) (*Job, bool, error) {
	args := json.RawMessage(`{}`)
	if p.Args != nil {
		b, err := json.Marshal(p.Args)
		if err != nil {
			return nil, false, fmt.Errorf("jobs: enqueue %s: %w", p.Kind, err)
		}
		args = b
	}
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	// A zero RunAt takes the database's now(): due at once on every clock.
	j := &Job{Kind: p.Kind, Args: args, State: StateAvailable, MaxAttempts: p.MaxAttempts, RunAt: p.RunAt}
	if p.UniqueKey != "" {
		j.UniqueKey = &p.UniqueKey
	}
	ok, err := NewStore(db).Insert(ctx, j)
	if err != nil {
		return nil, false, fmt.Errorf("jobs: enqueue: %w", err)
	}
	return j, ok, nil
}

// Options configure a Queue.
type Options struct {
	// Workers is how many jobs this process works at once (2 when 0).
	Workers int
	// Poll is how often idle workers look for due jobs without being
	// notified (2 s when 0): retries and scheduled jobs come due silently.
	Poll time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets failures (slog.Default when nil).
	Logger *slog.Logger
	// Observer hears of every finished attempt (nil: nobody); wiring
	// gives it the installation's metrics.
	Observer Observer
}

// Observer hears how each attempt of a job ended, as one of OutcomeDone,
// OutcomeRetry and OutcomeDiscarded. metrics.Metrics is one; the queue
// does not import it, so the queue knows nothing of Prometheus.
type Observer interface {
	JobFinished(kind, outcome string)
}

// Outcomes of an attempt, as the Observer hears them.
const (
	OutcomeDone      = "done"      // completed
	OutcomeRetry     = "retry"     // failed; tried again later
	OutcomeDiscarded = "discarded" // failed for good: permanent error or attempts spent
)

// Queue works the jobs of the kinds registered with Register.
type Queue struct {
	db     *bun.DB
	opts   Options
	worker string // this process, as locked_by shows it
	mu     sync.RWMutex
	kinds  map[string]Kind
	wake   chan struct{}
}

// New returns a Queue on db.
func New(db *bun.DB, opts Options) *Queue {
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Poll <= 0 {
		opts.Poll = 2 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Queue{db: db, opts: opts, worker: fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b)),
		kinds: map[string]Kind{}, wake: make(chan struct{}, 1)}
}

// Register adds a kind of job this process works. Call it while wiring,
// before Run.
func (q *Queue) Register(k Kind) {
	if k.Timeout <= 0 {
		k.Timeout = DefaultTimeout
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.kinds[k.Name] = k
}

// Kinds lists the registered kinds' names.
func (q *Queue) Kinds() []string {
	q.mu.RLock()
	defer q.mu.RUnlock()
	names := make([]string, 0, len(q.kinds))
	for n := range q.kinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Waiting counts the jobs due now and not yet taken, by kind, with every
// registered kind present (0 when none waits), so a graph of the queue
// never loses a line: the figure /metrics shows as aula_jobs_queued. It
// reads the database, so every process reports the installation's queue.
func (q *Queue) Waiting(ctx context.Context) (map[string]int, error) {
	counts, err := NewStore(q.db).Waiting(ctx, q.opts.Now())
	if err != nil {
		return nil, fmt.Errorf("jobs: waiting: %w", err)
	}
	for _, k := range q.Kinds() {
		if _, ok := counts[k]; !ok {
			counts[k] = 0
		}
	}
	return counts, nil
}

// Store returns the queue's queries, for the admin pages.
func (q *Queue) Store() *Store { return NewStore(q.db) }

// Retry makes a failed or discarded job due now.
func (q *Queue) Retry(ctx context.Context, id int64) error {
	if err := NewStore(q.db).Retry(ctx, id, q.opts.Now()); err != nil {
		return err
	}
	q.poke()
	return nil
}

// poke wakes one idle worker of this process.
func (q *Queue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Run works jobs until ctx ends, then waits for the jobs in hand: their
// attempts are cancelled and handed back to the queue uncounted.
func (q *Queue) Run(ctx context.Context) {
	go q.listen(ctx)
	var wg sync.WaitGroup
	for range q.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.loop(ctx)
		}()
	}
	wg.Wait()
}

// listen turns commits of new jobs, in any process, into wake-ups.
func (q *Queue) listen(ctx context.Context) {
	ln := pgdriver.NewListener(q.db)
	defer ln.Close()
	if err := ln.Listen(ctx, notifyChannel); err != nil {
		q.opts.Logger.Warn("jobs: listen for new jobs; polling only", "error", err)
		return
	}
	ch := ln.Channel()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ch:
			q.poke()
		}
	}
}

func (q *Queue) loop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		case <-timer.C:
		}
		for ctx.Err() == nil {
			worked, err := q.WorkOne(ctx)
			if err != nil {
				q.opts.Logger.Warn("jobs: take a job", "error", err)
				break
			}
			if !worked {
				break
			}
		}
		timer.Reset(jitter(q.opts.Poll))
	}
}

// WorkOne rescues jobs whose worker died, then works the next due job,
// if any; it reports whether it worked one. Tests call it to run the queue
// one step at a time.
func (q *Queue) WorkOne(ctx context.Context) (bool, error) {
	kinds := q.Kinds()
	if len(kinds) == 0 {
		return false, nil
	}
	store := NewStore(q.db)
	now := q.opts.Now()
	if _, err := store.RescueExpired(ctx, now); err != nil {
		return false, err
	}
	j, err := store.Claim(ctx, kinds, q.worker, now, q.lease(kinds))
	if err != nil || j == nil {
		return false, err
	}
	q.mu.RLock()
	k := q.kinds[j.Kind]
	q.mu.RUnlock()
	q.work(ctx, k, j)
	return true, nil
}

// lease is how long a claimed job stays ours: the longest timeout of the
// kinds we take, plus a minute.
func (q *Queue) lease(kinds []string) time.Duration {
	q.mu.RLock()
	defer q.mu.RUnlock()
	var d time.Duration
	for _, n := range kinds {
		d = max(d, q.kinds[n].Timeout)
	}
	return d + time.Minute
}

func (q *Queue) work(ctx context.Context, k Kind, j *Job) {
	// The bookkeeping after the attempt must happen even when the process
	// is stopping, so it runs on a context of its own.
	done := context.WithoutCancel(ctx)
	store := NewStore(q.db)
	runCtx, cancel := context.WithTimeout(ctx, k.Timeout)
	err := q.call(runCtx, k, j)
	cancel()
	now := q.opts.Now()
	var bookErr error
	outcome := OutcomeDone
	switch {
	case err == nil:
		bookErr = store.Complete(done, j.ID, q.worker, now)
	case ctx.Err() != nil && !errors.As(err, new(permanent)):
		// Stopping: hand it back untouched for another process or the next
		// start. The attempt is not counted, so it is not reported either.
		outcome = ""
		bookErr = store.Release(done, j.ID, q.worker, now)
	default:
		retryAt := time.Time{}
		if !errors.As(err, new(permanent)) && j.Attempt < j.MaxAttempts {
			retryAt = now.Add(Backoff(j.Attempt))
		}
		level := slog.LevelWarn
		outcome = OutcomeRetry
		if retryAt.IsZero() {
			level, outcome = slog.LevelError, OutcomeDiscarded
		}
		q.opts.Logger.Log(done, level, "jobs: attempt failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempt,
			"max_attempts", j.MaxAttempts, "retry_at", retryAt, "error", err)
		bookErr = store.Fail(done, j.ID, q.worker, now, retryAt, truncate(err.Error(), 2000))
	}
	if bookErr != nil {
		q.opts.Logger.Error("jobs: record attempt", "job", j.ID, "kind", j.Kind, "error", bookErr)
	}
	if outcome != "" && q.opts.Observer != nil {
		q.opts.Observer.JobFinished(j.Kind, outcome)
	}
}

// call runs the handler, turning a panic into a failed attempt.
func (q *Queue) call(ctx context.Context, k Kind, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return k.Handler(ctx, j)
}

// Backoff is the wait before attempt n+1 after n failed: 10 s, 26 s,
// 1.5 min, 4.4 min … growing as n⁴, at most 6 hours, ±10 %.
func Backoff(n int) time.Duration {
	d := time.Duration(math.Min(math.Pow(float64(n), 4)+9, 6*3600)) * time.Second
	return jitter(d)
}

func jitter(d time.Duration) time.Duration {
	return d + time.Duration((mrand.Float64()-0.5)*0.2*float64(d))
}

// truncate shortens s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
