package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// AccountsHook runs inside a bulk enrolment's transaction with the
// accounts it created and their one-time password tokens: package notify
// invites each person to choose a password there.
type AccountsHook func(ctx context.Context, tx bun.IDB, created []NewLogin) error

// OnAccountsCreated registers a hook for accounts a bulk enrolment
// creates. Call it while wiring.
func (s *Service) OnAccountsCreated(h AccountsHook) { s.onAccounts = append(s.onAccounts, h) }

// accountsCreated runs the hooks for the accounts created in tx.
func (s *Service) accountsCreated(ctx context.Context, tx bun.IDB, created []NewLogin) error {
	if len(created) == 0 {
		return nil
	}
	for _, h := range s.onAccounts {
		if err := h(ctx, tx, created); err != nil {
			return fmt.Errorf("new accounts hook: %w", err)
		}
	}
	return nil
}
