package certificates

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// ChangeHook runs inside the transaction that issues, revokes or reissues
// (corrects) a certificate, after its audit event is recorded: package
// notify tells the holder there, so the notice commits with the change.
// kind is EventIssued, EventRevoked or EventReissued; reason is the
// admin's, for a revocation or correction.
type ChangeHook func(ctx context.Context, tx bun.IDB, kind EventKind, c Certificate, reason string) error

// OnChanged registers a hook for certificates issued, revoked and
// corrected. Call it while wiring.
func (s *Service) OnChanged(h ChangeHook) { s.onChanged = append(s.onChanged, h) }

// changed runs the hooks for a change of c made in tx.
func (s *Service) changed(ctx context.Context, tx bun.IDB, kind EventKind, c *Certificate, reason string) error {
	for _, h := range s.onChanged {
		if err := h(ctx, tx, kind, *c, reason); err != nil {
			return fmt.Errorf("%s hook for %s: %w", kind, c.Code, err)
		}
	}
	return nil
}
