package certificates

import (
	"context"

	"github.com/uptrace/bun"
)

// PutImages stores images by their hashes; ones stored already are left.
func (s *Store) PutImages(ctx context.Context, images map[string][]byte) error {
	rows := make([]storedImage, 0, len(images))
	for sum, b := range images {
		rows = append(rows, storedImage{SHA256: sum, Data: b})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := s.db.NewInsert().Model(&rows).On("CONFLICT (sha256) DO NOTHING").Exec(ctx)
	return err
}

// Images returns the bytes of the stored images with the given hashes.
func (s *Store) Images(ctx context.Context, sums []string) (map[string][]byte, error) {
	var rows []storedImage
	if err := s.db.NewSelect().Model(&rows).Where("img.sha256 IN (?)", bun.List(sums)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(rows))
	for _, r := range rows {
		out[r.SHA256] = r.Data
	}
	return out, nil
}
