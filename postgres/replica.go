package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// DefaultReplicaMaxLag is how far behind the primary a replica may be and
// still be read, when the operator sets no bound: a report a few seconds
// old is as good as a fresh one, one from before the morning's
// enrolments is not.
const DefaultReplicaMaxLag = 30 * time.Second

// replicaCheckEvery is how long a measure of the replica's lag is
// trusted: reads in between use the last decision without asking.
const replicaCheckEvery = 2 * time.Second

// replicaCheckTimeout bounds one measure, so a frozen replica delays a
// report by at most this before it goes to the primary.
const replicaCheckTimeout = time.Second

// Replica sends reads that may be a little stale (reports, exports) to a
// streaming replica, and to the primary whenever the replica is down,
// not a replica (promoted, or pointing elsewhere), or further behind than
// its bound. A nil *Replica, or one without a replica, reads the primary.
type Replica struct {
	primary, replica *bun.DB
	maxLag           time.Duration
	log              *slog.Logger

	mu       sync.Mutex
	checked  time.Time
	checking bool
	use      bool          // the last measure found the replica usable
	lag      time.Duration // the last measured lag; -1 when unknown
}

// NewReplica returns the chooser between primary and replica (which may
// be nil: every read goes to the primary). maxLag 0 means
// DefaultReplicaMaxLag.
func NewReplica(primary, replica *bun.DB, maxLag time.Duration, log *slog.Logger) *Replica {
	if maxLag <= 0 {
		maxLag = DefaultReplicaMaxLag
	}
	if log == nil {
		log = slog.Default()
	}
	return &Replica{primary: primary, replica: replica, maxLag: maxLag, log: log, lag: -1}
}

// DB returns the database to read from now: the replica while its last
// measure (at most replicaCheckEvery old) found it within the bound, else
// the primary.
func (r *Replica) DB(ctx context.Context) bun.IDB {
	if r.onReplica(ctx) {
		return r.replica
	}
	return r.primary
}

// Read runs fn on the database DB chooses. When fn fails on the replica
// because the replica went away (Unavailable), the replica is marked
// down until its next measure and fn runs again on the primary: fn must
// only read.
func (r *Replica) Read(ctx context.Context, fn func(db bun.IDB) error) error {
	if !r.onReplica(ctx) {
		return fn(r.primary)
	}
	err := fn(r.replica)
	if err == nil || !Unavailable(err) || ctx.Err() != nil {
		return err
	}
	r.log.WarnContext(ctx, "read replica failed; reading the primary", "error", err)
	r.mu.Lock()
	r.use, r.lag, r.checked = false, -1, time.Now()
	r.mu.Unlock()
	return fn(r.primary)
}

// Lag returns the replica's last measured lag, and false when there is
// no replica or it could not be measured (down, not a replica).
func (r *Replica) Lag() (time.Duration, bool) {
	if r == nil || r.replica == nil {
		return 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lag, r.lag >= 0
}

// Using reports whether reads go to the replica now.
func (r *Replica) Using(ctx context.Context) bool { return r.onReplica(ctx) }

// onReplica measures the replica when the last measure is stale (one
// caller measures, the others keep the last decision meanwhile) and
// reports whether it is to be read.
func (r *Replica) onReplica(ctx context.Context) bool {
	if r == nil || r.replica == nil {
		return false
	}
	r.mu.Lock()
	if r.checking || time.Since(r.checked) < replicaCheckEvery {
		use := r.use
		r.mu.Unlock()
		return use
	}
	r.checking = true
	was := r.use
	r.mu.Unlock()

	lag, err := r.measure(ctx)
	use := err == nil && lag <= r.maxLag
	switch {
	case err != nil && was:
		r.log.WarnContext(ctx, "read replica unusable; reports read the primary", "error", err)
	case err == nil && !use && was:
		r.log.WarnContext(ctx, "read replica too far behind; reports read the primary", "lag", lag.String(), "max_lag", r.maxLag.String())
	case use && !was:
		r.log.InfoContext(ctx, "reports read the replica", "lag", lag.String())
	}
	r.mu.Lock()
	r.checking, r.checked, r.use = false, time.Now(), use
	r.lag = lag
	if err != nil {
		r.lag = -1
	}
	r.mu.Unlock()
	return use
}

// errNotReplica: the replica's server is not in recovery, so it is no
// (longer a) copy of the primary, and reading it could show other data.
var errNotReplica = errors.New("postgres: the replica's server is not a streaming replica (promoted, or another server)")

// measure returns how far the replica is behind the primary. It first
// reads the primary's WAL position, then the replica's: a replica that
// has replayed up to there is caught up (lag 0), whatever time its last
// transaction bears; otherwise the lag is the age of the last
// transaction it replayed, which is how old its data may be.
func (r *Replica) measure(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckTimeout)
	defer cancel()
	var primaryLSN string
	if err := r.primary.QueryRowContext(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&primaryLSN); err != nil {
		return 0, fmt.Errorf("postgres: replica lag: primary position: %w", err)
	}
	var (
		inRecovery, caughtUp bool
		seconds              *float64
	)
	err := r.replica.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false),
		extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8`, primaryLSN).
		Scan(&inRecovery, &caughtUp, &seconds)
	if err != nil {
		return 0, fmt.Errorf("postgres: replica lag: %w", err)
	}
	switch {
	case !inRecovery:
		return 0, errNotReplica
	case caughtUp:
		return 0, nil
	case seconds == nil:
		return 0, errors.New("postgres: replica lag: the replica has replayed no transaction yet")
	}
	return time.Duration(max(*seconds, 0) * float64(time.Second)), nil
}
