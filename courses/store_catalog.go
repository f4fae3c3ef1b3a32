package courses

import (
	"context"
	"fmt"
)

// Catalog returns a page of published courses matching q and how many
// match. The full-text condition is on the generated search column, so
// PostgreSQL answers it from the GIN index courses_search_idx.
func (s *Store) Catalog(ctx context.Context, q CatalogQuery) ([]Course, int, error) {
	var list []Course
	sel := s.db.NewSelect().Model(&list).Where("c.status = ?", StatusPublished).Limit(q.Limit).Offset(q.Offset)
	if q.Language != "" {
		sel = sel.Where("c.language = ?", q.Language)
	}
	if tsq := searchQuery(q.Query); tsq != "" {
		sel = sel.Where("c.search @@ to_tsquery('aula_search', ?)", tsq).
			OrderExpr("ts_rank(c.search, to_tsquery('aula_search', ?)) DESC", tsq)
	}
	sel = sel.OrderExpr("c.published_at DESC NULLS LAST, c.id DESC")
	total, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("catalog %q: %w", q.Query, err)
	}
	return list, total, nil
}
