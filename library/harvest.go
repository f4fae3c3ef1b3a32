package library

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Harvesting (OAI-PMH) and the feed read the library through these.
// A record is an item that was ever published: published ones in full,
// withdrawn ones as deleted (harvesters that copied them must drop
// them). Its datestamp is the item's last change (UpdatedAt).

// HarvestQuery selects records in datestamp order.
type HarvestQuery struct {
	// From and Until bound the datestamp, both inclusive (zero: no bound).
	From, Until time.Time
	// Theme keeps the records of one theme (its slug; "" for all).
	Theme string
	// AfterTime and AfterID are the datestamp and id of the last record
	// of the page before (zero for the first page).
	AfterTime time.Time
	AfterID   int64
	Limit     int
}

// Harvest returns up to q.Limit records after the cursor, with their
// translations, and how many records the whole list has.
func (s *Service) Harvest(ctx context.Context, q HarvestQuery) ([]Item, int, error) {
	return NewStore(s.db).Harvest(ctx, q)
}

// Record returns an item that was ever published (ErrNotFound for drafts
// and unknown ids), with its translations and files.
func (s *Service) Record(ctx context.Context, id int64) (*Item, error) {
	it, err := NewStore(s.db).Item(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.Status == StatusDraft {
		return nil, wrap(ErrNotFound, "record %d is a draft", id)
	}
	return it, nil
}

// EarliestDatestamp is the oldest datestamp of any record (ok false when
// there is none yet).
func (s *Service) EarliestDatestamp(ctx context.Context) (time.Time, bool, error) {
	return NewStore(s.db).EarliestDatestamp(ctx)
}

// Recent returns the newest published items, for the Atom feed.
func (s *Service) Recent(ctx context.Context, n int) ([]Item, error) {
	return NewStore(s.db).Recent(ctx, n)
}

// Harvest selects records (see Service.Harvest).
func (s *Store) Harvest(ctx context.Context, q HarvestQuery) ([]Item, int, error) {
	filter := func(sel *bun.SelectQuery) *bun.SelectQuery {
		sel = sel.Where("li.status <> ?", StatusDraft)
		if !q.From.IsZero() {
			sel = sel.Where("li.updated_at >= ?", q.From)
		}
		if !q.Until.IsZero() {
			sel = sel.Where("li.updated_at <= ?", q.Until)
		}
		if q.Theme != "" {
			sel = sel.Where("li.themes @> ARRAY[(SELECT id FROM library_themes WHERE slug = ?)]", q.Theme)
		}
		return sel
	}
	total, err := filter(s.db.NewSelect().Model((*Item)(nil))).Count(ctx)
	if err != nil {
		return nil, 0, wrap(err, "count records")
	}
	var list []Item
	sel := filter(s.db.NewSelect().Model(&list)).
		Relation("Translations", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("lt.language") }).
		Relation("Files", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.ExcludeColumn("text").OrderExpr("lf.created_at, lf.id")
		}).
		OrderExpr("li.updated_at, li.id").Limit(q.Limit)
	if q.AfterID != 0 {
		sel = sel.Where("(li.updated_at, li.id) > (?, ?)", q.AfterTime, q.AfterID)
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, 0, wrap(err, "harvest")
	}
	return list, total, nil
}

// EarliestDatestamp is the oldest datestamp of a record.
func (s *Store) EarliestDatestamp(ctx context.Context) (time.Time, bool, error) {
	var at *time.Time
	err := s.db.NewSelect().Model((*Item)(nil)).ColumnExpr("min(updated_at)").Where("status <> ?", StatusDraft).Scan(ctx, &at)
	if err != nil {
		return time.Time{}, false, wrap(err, "earliest datestamp")
	}
	if at == nil {
		return time.Time{}, false, nil
	}
	return *at, true, nil
}

// Recent returns the n items published last.
func (s *Store) Recent(ctx context.Context, n int) ([]Item, error) {
	var list []Item
	err := s.db.NewSelect().Model(&list).Where("li.status = ?", StatusPublished).
		OrderExpr("li.published_at DESC, li.id DESC").Limit(n).Scan(ctx)
	return list, wrap(err, "recent items")
}
