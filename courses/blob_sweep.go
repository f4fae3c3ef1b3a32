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

// BlobUser reports which of the given content hashes another part of Aula
// still keeps in the shared blob store (a certificates ZIP file), so the
// sweep leaves them; its store answers with BlobsReferencedBy.
type BlobUser func(ctx context.Context, sums []string) (map[string]bool, error)

// AddBlobUser adds a part of Aula whose content shares the blob store.
// Call it while wiring, before serving.
func (s *Service) AddBlobUser(u BlobUser) { s.blobUsers = append(s.blobUsers, u) }

// SweepBlobs deletes stored content that no course file and no other blob
// user (AddBlobUser) refers to any more (files detached from courses leave
// their bytes behind, as content is shared) and that was last stored more
// than BlobGrace ago. Every app process may run it: two sweeps at once do
// no harm.
func (s *Service) SweepBlobs(ctx context.Context) (int, error) {
	if s.blobs == nil {
		return 0, nil
	}
	n, err := s.blobs.Sweep(ctx, s.now().Add(-BlobGrace), s.BlobsInUse)
	if err != nil {
		return n, fmt.Errorf("courses: sweep files: %w", err)
	}
	return n, nil
}

// BlobsInUse reports which of the given content hashes a course file or
// any blob user (AddBlobUser) still refers to: whatever else sweeps the
// shared store must ask this, not the course files alone.
func (s *Service) BlobsInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := NewStore(s.db).BlobsInUse(ctx, sums)
	if err != nil {
		return nil, err
	}
	for _, u := range s.blobUsers {
		more, err := u(ctx, sums)
		if err != nil {
			return nil, fmt.Errorf("files in use elsewhere: %w", err)
		}
		for sum, ok := range more {
			if ok {
				used[sum] = true
			}
		}
	}
	return used, nil
}
