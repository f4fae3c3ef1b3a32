package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// BlobGrace is how long stored content is kept after its last Put even
// when no file refers to it: far longer than an upload takes to be
// recorded, so the sweep never races a request.
const BlobGrace = 24 * time.Hour

// SweepBlobs deletes stored content no course file refers to any more
// (files detached from courses leave their bytes behind, as content is
// shared) and that was last stored more than BlobGrace ago. Every app
// process may run it: two sweeps at once do no harm.
func (s *Service) SweepBlobs(ctx context.Context) (int, error) {
	if s.blobs == nil {
		return 0, nil
	}
	n, err := s.blobs.Sweep(ctx, s.now().Add(-BlobGrace), func(ctx context.Context, sums []string) (map[string]bool, error) {
		var used []string
		if err := s.db.NewSelect().Model((*Asset)(nil)).Column("sha256").Distinct().
			Where("sha256 IN (?)", bun.List(sums)).Scan(ctx, &used); err != nil {
			return nil, fmt.Errorf("files in use: %w", err)
		}
		set := make(map[string]bool, len(used))
		for _, sum := range used {
			set[sum] = true
		}
		return set, nil
	})
	if err != nil {
		return n, fmt.Errorf("courses: sweep files: %w", err)
	}
	return n, nil
}
