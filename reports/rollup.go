package reports

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// SyncRollupZone makes the daily rollup's days those of the
// installation's calendar: when the zone recorded with the rollup is not
// the service's (a new installation is in UTC; AULA_TIMEZONE changed),
// the rollups are counted again from the facts, in one transaction that
// holds back concurrent changes' triggers, and the reports' reads, until
// it commits (seconds at 100,000 learners). `aula serve`
// calls it at start, under its setup lock. Two processes started with different zones would rebuild
// in turn: every process of an installation must share one zone.
func (s *Service) SyncRollupZone(ctx context.Context) error {
	zone := s.loc.String()
	current, err := NewStore(s.db).RollupZone(ctx)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	if current == zone {
		return nil
	}
	s.log.Info("reports: counting the daily rollup again in the installation's time zone", "from", current, "to", zone)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewStore(tx).RebuildRollup(ctx, zone)
	})
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	return nil
}
