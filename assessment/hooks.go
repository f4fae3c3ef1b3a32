package assessment

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// TimedOutHook runs inside the transaction that closes an attempt because
// its time limit ran out (the learner did not submit it), with the attempt
// as graded: package notify tells the learner their result there.
type TimedOutHook func(ctx context.Context, tx bun.IDB, a Attempt, quiz Quiz, res Result) error

// OnTimedOut registers a hook for attempts closed by their time limit.
// Call it while wiring.
func (s *Service) OnTimedOut(h TimedOutHook) { s.onTimedOut = append(s.onTimedOut, h) }

// timedOut runs the hooks for an attempt closed late in tx.
func (s *Service) timedOut(ctx context.Context, tx bun.IDB, a *Attempt, quiz *Quiz, res Result) error {
	for _, h := range s.onTimedOut {
		if err := h(ctx, tx, *a, *quiz, res); err != nil {
			return fmt.Errorf("timed-out hook for attempt %d: %w", a.ID, err)
		}
	}
	return nil
}
