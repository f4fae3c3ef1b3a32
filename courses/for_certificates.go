package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Functions the certificates package reads courses' data through, so that
// it never queries courses' tables itself.

// FilesInUse reports which of the given content hashes a course file still
// refers to. Another user of the shared BlobStore (certificates' ZIP files)
// sweeps the store with it, so that its sweep never takes a course's file.
func (s *Service) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	set := make(map[string]bool, len(sums))
	if len(sums) == 0 {
		return set, nil
	}
	var used []string
	if err := s.db.NewSelect().Model((*Asset)(nil)).Column("sha256").Distinct().
		Where("sha256 IN (?)", bun.List(sums)).Scan(ctx, &used); err != nil {
		return nil, fmt.Errorf("courses: files in use: %w", err)
	}
	for _, sum := range used {
		set[sum] = true
	}
	return set, nil
}
