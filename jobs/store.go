package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ErrNotFound is returned for a job that does not exist.
var ErrNotFound = errors.New("jobs: not found")

// notifyChannel is the PostgreSQL channel that wakes workers on commit.
const notifyChannel = "aula_jobs"

// Store holds every query of the queue.
type Store struct{ db bun.IDB }

// NewStore returns a Store on db (the database or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// Insert adds j unless a job with its unique key exists; it reports
// whether it did. The notification it sends is delivered when the
// transaction commits, and dropped with it.
func (s *Store) Insert(ctx context.Context, j *Job) (bool, error) {
	res, err := s.db.NewInsert().Model(j).
		On("CONFLICT (unique_key) DO NOTHING").
		Returning("id, state, attempt, run_at, created_at, updated_at").
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("insert %s: %w", j.Kind, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := s.db.ExecContext(ctx, "SELECT pg_notify(?, ?)", notifyChannel, j.Kind); err != nil {
		return false, fmt.Errorf("notify %s: %w", j.Kind, err)
	}
	return true, nil
}

// Claim takes the next due job of one of kinds for worker, leasing it
// until now+lease, and counts the attempt. It returns nil when none is due.
// SKIP LOCKED lets any number of workers in any number of processes claim
// at once without waiting for each other or taking the same job.
func (s *Store) Claim(ctx context.Context, kinds []string, worker string, now time.Time, lease time.Duration) (*Job, error) {
	j := new(Job)
	err := s.db.NewRaw(`
		UPDATE jobs SET state = 'running', attempt = attempt + 1, locked_by = ?, locked_until = ?, updated_at = ?
		WHERE id = (
			SELECT id FROM jobs
			WHERE state IN ('available', 'retryable') AND run_at <= ? AND kind IN (?)
			ORDER BY run_at, id
			LIMIT 1
			FOR UPDATE SKIP LOCKED)
		RETURNING *`, worker, now.Add(lease), now, now, bun.List(kinds)).Scan(ctx, j)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return j, nil
}

// Complete marks a job done, if worker still holds it.
func (s *Store) Complete(ctx context.Context, id int64, worker string, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Job)(nil)).
		Set("state = ?", StateCompleted).Set("finished_at = ?", now).Set("updated_at = ?", now).
		Set("locked_by = NULL").Set("locked_until = NULL").Set("last_error = ''").
		Where("id = ? AND locked_by = ? AND state = ?", id, worker, StateRunning).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("complete %d: %w", id, err)
	}
	return nil
}

// Fail records a failed attempt of a job worker holds: it is tried again
// at retryAt, or discarded when retryAt is zero.
func (s *Store) Fail(ctx context.Context, id int64, worker string, now, retryAt time.Time, msg string) error {
	q := s.db.NewUpdate().Model((*Job)(nil)).
		Set("last_error = ?", msg).Set("updated_at = ?", now).
		Set("locked_by = NULL").Set("locked_until = NULL").
		Where("id = ? AND locked_by = ? AND state = ?", id, worker, StateRunning)
	if retryAt.IsZero() {
		q = q.Set("state = ?", StateDiscarded).Set("finished_at = ?", now)
	} else {
		q = q.Set("state = ?", StateRetryable).Set("run_at = ?", retryAt)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("fail %d: %w", id, err)
	}
	return nil
}

// Release hands a job worker holds back to the queue without counting the
// attempt: the process is stopping, not the job failing.
func (s *Store) Release(ctx context.Context, id int64, worker string, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Job)(nil)).
		Set("state = ?", StateAvailable).Set("attempt = greatest(attempt - 1, 0)").
		Set("run_at = ?", now).Set("updated_at = ?", now).
		Set("locked_by = NULL").Set("locked_until = NULL").
		Where("id = ? AND locked_by = ? AND state = ?", id, worker, StateRunning).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("release %d: %w", id, err)
	}
	return nil
}

// RescueExpired returns the jobs whose worker's lease ran out (the process
// died or hung) to the queue: retryable at once while attempts remain,
// discarded otherwise. It returns how many it rescued.
func (s *Store) RescueExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.NewRaw(`
		UPDATE jobs SET
			state = CASE WHEN attempt < max_attempts THEN 'retryable' ELSE 'discarded' END,
			finished_at = CASE WHEN attempt < max_attempts THEN NULL ELSE ?0::timestamptz END,
			run_at = ?0, updated_at = ?0, locked_by = NULL, locked_until = NULL,
			last_error = 'the worker stopped before finishing (lease ran out at ' || to_char(locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC)'
		WHERE state = 'running' AND locked_until < ?0`, now).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("rescue expired leases: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Retry makes a failed or discarded job due now, with one more attempt
// allowed (an admin's "try again").
func (s *Store) Retry(ctx context.Context, id int64, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*Job)(nil)).
		Set("state = ?", StateAvailable).Set("run_at = ?", now).Set("updated_at = ?", now).
		Set("finished_at = NULL").Set("max_attempts = least(greatest(max_attempts, attempt + 1), 100)").
		Where("id = ? AND state IN (?)", id, bun.List([]State{StateRetryable, StateDiscarded})).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("retry %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Job returns one job.
func (s *Store) Job(ctx context.Context, id int64) (*Job, error) {
	j := new(Job)
	if err := s.db.NewSelect().Model(j).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	return j, nil
}

// Counts returns how many jobs of each kind are in each state.
func (s *Store) Counts(ctx context.Context) ([]Count, error) {
	var out []Count
	err := s.db.NewSelect().Model((*Job)(nil)).ColumnExpr("kind, state, count(*) AS n").
		Group("kind", "state").Order("kind", "state").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("count: %w", err)
	}
	return out, nil
}

// Waiting counts the jobs due at now and not taken yet, by kind. The
// partial index jobs_due_idx, which includes kind, answers it without
// reading the table (an index-only scan over the waiting jobs alone), so
// a scrape every few seconds costs nothing however many finished jobs
// the table keeps.
func (s *Store) Waiting(ctx context.Context, now time.Time) (map[string]int, error) {
	var rows []struct {
		Kind string `bun:"kind"`
		N    int    `bun:"n"`
	}
	err := s.db.NewRaw(`
		SELECT kind, count(*) AS n FROM jobs
		WHERE state IN ('available', 'retryable') AND run_at <= ?
		GROUP BY kind`, now).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count waiting: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Kind] = r.N
	}
	return out, nil
}

// List returns the newest jobs in state (every state when empty), at most
// limit of them.
func (s *Store) List(ctx context.Context, state State, limit int) ([]Job, error) {
	var out []Job
	q := s.db.NewSelect().Model(&out).OrderExpr("updated_at DESC, id DESC").Limit(limit)
	if state != "" {
		q = q.Where("state = ?", state)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list %s: %w", state, err)
	}
	return out, nil
}

// DeleteFinished deletes completed jobs finished before before; discarded
// ones stay until an admin has had a month to look at them.
func (s *Store) DeleteFinished(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.NewDelete().Model((*Job)(nil)).
		Where("(state = ? AND finished_at < ?) OR (state = ? AND finished_at < ?)",
			StateCompleted, before, StateDiscarded, before.AddDate(0, -1, 0)).
		Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("delete finished: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
