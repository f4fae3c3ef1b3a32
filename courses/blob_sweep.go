package courses

import (
	"context"
	"fmt"
	"time"
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
	n, err := s.blobs.Sweep(ctx, s.now().Add(-BlobGrace), NewStore(s.db).BlobsInUse)
	if err != nil {
		return n, fmt.Errorf("courses: sweep files: %w", err)
	}
	return n, nil
}
