package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// InsertImport stores an import's report and the accounts it created, and
// fills imp's id.
func (s *Store) InsertImport(ctx context.Context, imp *Import, created []ImportAccount) error {
	if _, err := s.db.NewInsert().Model(imp).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert import: %w", err)
	}
	if len(created) == 0 {
		return nil
	}
	for i := range created {
		created[i].ImportID = imp.ID
	}
	if _, err := s.db.NewInsert().Model(&created).Exec(ctx); err != nil {
		return fmt.Errorf("insert accounts of import %d: %w", imp.ID, err)
	}
	return nil
}

// Imports returns a page of a course's imports, newest first, and how many
// there are.
func (s *Store) Imports(ctx context.Context, courseID, by int64, limit, offset int) ([]Import, int, error) {
	var list []Import
	q := s.db.NewSelect().Model(&list).Where("ei.course_id = ?", courseID)
	if by != 0 {
		q = q.Where("ei.imported_by = ?", by)
	}
	total, err := q.OrderExpr("ei.imported_at DESC, ei.id DESC").Limit(limit).Offset(offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("imports of %d: %w", courseID, err)
	}
	return list, total, nil
}

// ImportReport returns an import of a course with its accounts, by name.
func (s *Store) ImportReport(ctx context.Context, courseID, importID, by int64) (*ImportReport, error) {
	r := new(ImportReport)
	q := s.db.NewSelect().Model(&r.Import).Where("ei.id = ? AND ei.course_id = ?", importID, courseID)
	if by != 0 {
		q = q.Where("ei.imported_by = ?", by)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("import %d: %w", importID, notFound(err))
	}
	if err := s.db.NewSelect().Model(&r.Accounts).Where("eia.import_id = ?", importID).OrderExpr("eia.name, eia.user_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("accounts of import %d: %w", importID, err)
	}
	return r, nil
}

// ForgetImportTokens drops the stored password tokens of the given accounts
// of an import.
func (s *Store) ForgetImportTokens(ctx context.Context, importID int64, userIDs []int64) error {
	if len(userIDs) == 0 {
		return nil
	}
	_, err := s.db.NewUpdate().Model((*ImportAccount)(nil)).Set("password_token = NULL, token_expires_at = NULL").
		Where("import_id = ? AND user_id IN (?)", importID, bun.List(userIDs)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("forget tokens of import %d: %w", importID, err)
	}
	return nil
}

// ForgetExpiredImportTokens drops every stored password token whose link
// has expired.
func (s *Store) ForgetExpiredImportTokens(ctx context.Context, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*ImportAccount)(nil)).Set("password_token = NULL, token_expires_at = NULL").
		Where("password_token IS NOT NULL AND token_expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("forget expired import tokens: %w", err)
	}
	return nil
}
