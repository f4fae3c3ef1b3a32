package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"
)

// RateLimiter counts hits per key in fixed time windows kept in PostgreSQL,
// so every app process behind a load balancer shares the same counters.
type RateLimiter struct {
	db  *bun.DB
	now func() time.Time
}

// NewRateLimiter returns a limiter on db.
func NewRateLimiter(db *bun.DB, now func() time.Time) *RateLimiter {
	return &RateLimiter{db: db, now: now}
}

// Allow records a hit on key and reports whether it is within limit hits
// per window, and when the window ends.
func (l *RateLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.now()
	start := now.Truncate(window)
	var hits int
	err := l.db.NewRaw(`INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
		RETURNING hits`, key, start).Scan(ctx, &hits)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	// Old windows are swept now and then by whoever passes by, rather than
	// by a timer in every process.
	if rand.IntN(200) == 0 {
		if _, err := l.db.NewDelete().Table("rate_limits").Where("window_start < ?", now.Add(-time.Hour)).Exec(ctx); err != nil {
			return false, 0, fmt.Errorf("rate limit sweep: %w", err)
		}
	}
	return hits <= limit, start.Add(window).Sub(now), nil
}

// Hits returns how many hits key has in the current window, without
// adding one.
func (l *RateLimiter) Hits(ctx context.Context, key string, window time.Duration) (int, error) {
	var hits int
	err := l.db.NewRaw(`SELECT coalesce(sum(hits), 0) FROM rate_limits WHERE key = ? AND window_start = ?`,
		key, l.now().Truncate(window)).Scan(ctx, &hits)
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	return hits, nil
}
