package certificates

import (
	"context"
	"fmt"
)

// ZipFilesInUse reports which of the given content hashes a ZIP job still
// keeps in the shared blob store, so that the course files' sweep leaves
// them (wired with courses.Service.AddBlobUser).
func (s *Service) ZipFilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := NewStore(s.db).ZipBlobsInUse(ctx, sums)
	if err != nil {
		return nil, fmt.Errorf("certificates: zip files in use: %w", err)
	}
	return used, nil
}
