package courses

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Asset returns the file with id.
func (s *Store) Asset(ctx context.Context, id int64) (*Asset, error) {
	a := new(Asset)
	if err := s.db.NewSelect().Model(a).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("asset %d: %w", id, notFound(err))
	}
	return a, nil
}

// Assets returns the files attached to a course, newest first.
func (s *Store) Assets(ctx context.Context, courseID int64) ([]Asset, error) {
	var list []Asset
	if err := s.db.NewSelect().Model(&list).Where("a.course_id = ?", courseID).OrderExpr("a.created_at DESC, a.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("assets of %d: %w", courseID, err)
	}
	return list, nil
}

// AssetByContent returns the course's file with this content and name, so
// the same upload sent twice gives one row.
func (s *Store) AssetByContent(ctx context.Context, courseID int64, sum, name string) (*Asset, error) {
	a := new(Asset)
	err := s.db.NewSelect().Model(a).Where("a.course_id = ? AND a.sha256 = ? AND a.file_name = ?", courseID, sum, name).
		OrderExpr("a.id").Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("asset %s of %d: %w", sum, courseID, notFound(err))
	}
	return a, nil
}

// InsertAsset stores a new file row and fills its id.
func (s *Store) InsertAsset(ctx context.Context, a *Asset) error {
	if _, err := s.db.NewInsert().Model(a).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert asset: %w", err)
	}
	return nil
}

// DeleteAsset removes a file row of a course.
func (s *Store) DeleteAsset(ctx context.Context, courseID, id int64) error {
	res, err := s.db.NewDelete().Model((*Asset)(nil)).Where("id = ? AND course_id = ?", id, courseID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete asset %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete asset %d: %w", id, ErrNotFound)
	}
	return nil
}

// BlobsReferencedBy reports which of sums the column of q's table holds:
// the question the blob store's sweep asks every part of Aula whose rows
// name stored content (Service.AddBlobUser). q is a select of that table
// from its owner's store (db.NewSelect().Model(...)), so each store still
// names its own table while the query is written once, here.
func BlobsReferencedBy(ctx context.Context, q *bun.SelectQuery, column string, sums []string) (map[string]bool, error) {
	set := make(map[string]bool, len(sums))
	if len(sums) == 0 {
		return set, nil
	}
	var used []string
	if err := q.Column(column).Distinct().Where("? IN (?)", bun.Ident(column), bun.List(sums)).Scan(ctx, &used); err != nil {
		return nil, err
	}
	for _, sum := range used {
		set[sum] = true
	}
	return set, nil
}

// BlobsInUse returns which of the given contents some course file refers
// to, or is the smaller version for pages of an image a course file still
// has (a rendition whose source is in use).
func (s *Store) BlobsInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	if len(sums) == 0 {
		return map[string]bool{}, nil
	}
	var used []string
	err := s.db.NewRaw(`SELECT sha256 FROM course_assets WHERE sha256 IN (?)
		UNION
		SELECT r.sha256 FROM asset_renditions AS r
		WHERE r.sha256 IN (?) AND EXISTS (SELECT 1 FROM course_assets AS a WHERE a.sha256 = r.source_sha256)`,
		bun.List(sums), bun.List(sums)).Scan(ctx, &used)
	if err != nil {
		return nil, fmt.Errorf("files in use: %w", err)
	}
	set := make(map[string]bool, len(used))
	for _, sum := range used {
		set[sum] = true
	}
	return set, nil
}
