package library

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Store runs the library's queries on a database or inside a transaction.
type Store struct{ db bun.IDB }

// NewStore returns a Store on db (a *bun.DB or a bun.Tx).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// Themes returns the vocabulary in its order.
func (s *Store) Themes(ctx context.Context) ([]Theme, error) {
	var list []Theme
	if err := s.db.NewSelect().Model(&list).OrderExpr("th.position, th.id").Scan(ctx); err != nil {
		return nil, wrap(err, "themes")
	}
	return list, nil
}

// CountThemes returns how many of ids are themes.
func (s *Store) CountThemes(ctx context.Context, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	n, err := s.db.NewSelect().Model((*Theme)(nil)).Where("id IN (?)", bun.List(ids)).Count(ctx)
	return n, wrap(err, "count themes")
}

// InsertItem stores a new item and fills its id.
func (s *Store) InsertItem(ctx context.Context, it *Item) error {
	_, err := s.db.NewInsert().Model(it).Returning("id, created_at, updated_at").Exec(ctx)
	return wrap(err, "insert item %q", it.Title)
}

// itemFields are the columns an edit changes.
var itemFields = []string{"type", "title", "abstract", "language", "languages", "countries", "region", "themes",
	"year", "date", "authors", "institution_id", "target_population", "document_type", "licence", "url", "updated_at"}

// UpdateItem writes an item's fields (not its status).
func (s *Store) UpdateItem(ctx context.Context, it *Item) error {
	_, err := s.db.NewUpdate().Model(it).Column(itemFields...).WherePK().Exec(ctx)
	return wrap(err, "update item %d", it.ID)
}

// Touch records that an item changed at (a file added or removed).
func (s *Store) Touch(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.NewUpdate().Model((*Item)(nil)).Set("updated_at = ?", at).Where("id = ?", id).Exec(ctx)
	return wrap(err, "touch item %d", id)
}

// SetStatus writes an item's status and the times that go with it.
func (s *Store) SetStatus(ctx context.Context, it *Item) error {
	_, err := s.db.NewUpdate().Model(it).Column("status", "published_at", "withdrawn_at", "updated_at").WherePK().Exec(ctx)
	return wrap(err, "set status of item %d", it.ID)
}

// ReplaceTranslations makes ts the item's translations.
func (s *Store) ReplaceTranslations(ctx context.Context, itemID int64, ts []Translation) error {
	if _, err := s.db.NewDelete().Model((*Translation)(nil)).Where("item_id = ?", itemID).Exec(ctx); err != nil {
		return wrap(err, "delete translations of %d", itemID)
	}
	if len(ts) == 0 {
		return nil
	}
	_, err := s.db.NewInsert().Model(&ts).Exec(ctx)
	return wrap(err, "insert translations of %d", itemID)
}

// RefreshSearch recomputes an item's search vector from its fields,
// translations and files' text (library_item_search, in SQL, so that
// every language's stemming is in one place).
func (s *Store) RefreshSearch(ctx context.Context, itemID int64) error {
	_, err := s.db.NewUpdate().Model((*Item)(nil)).Set("search = library_item_search(?)", itemID).
		Where("id = ?", itemID).Exec(ctx)
	return wrap(err, "refresh search of %d", itemID)
}

// Item returns an item with its translations and files (without their
// extracted text).
func (s *Store) Item(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	err := s.db.NewSelect().Model(it).
		Relation("Translations", func(q *bun.SelectQuery) *bun.SelectQuery { return q.OrderExpr("lt.language") }).
		Relation("Files", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.ExcludeColumn("text").OrderExpr("lf.created_at, lf.id")
		}).
		Where("li.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, wrap(notFound(err), "item %d", id)
	}
	return it, nil
}

// LockItem returns an item locked for update until the transaction ends,
// without its relations.
func (s *Store) LockItem(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := s.db.NewSelect().Model(it).Where("li.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, wrap(notFound(err), "lock item %d", id)
	}
	return it, nil
}

// Items returns items by ids, without relations, in no order.
func (s *Store) Items(ctx context.Context, ids []int64) ([]Item, error) {
	var list []Item
	if len(ids) == 0 {
		return list, nil
	}
	err := s.db.NewSelect().Model(&list).Where("li.id IN (?)", bun.List(ids)).Scan(ctx)
	return list, wrap(err, "items %v", ids)
}

// Catalogue returns librarians' view of items, newest change first, in
// status (every status when empty), keyset-paged after the item whose
// change time and id are given (zero: the first page).
func (s *Store) Catalogue(ctx context.Context, status Status, afterTime time.Time, afterID int64, limit int) ([]Item, error) {
	var list []Item
	q := s.db.NewSelect().Model(&list).OrderExpr("li.updated_at DESC, li.id DESC").Limit(limit)
	if status != "" {
		q = q.Where("li.status = ?", status)
	}
	if afterID != 0 {
		q = q.Where("(li.updated_at, li.id) < (?, ?)", afterTime, afterID)
	}
	return list, wrap(q.Scan(ctx), "catalogue")
}

// InsertFile stores a file of an item, or, when the item has a file with
// the same content already, fills f with that one instead.
func (s *Store) InsertFile(ctx context.Context, f *File) error {
	res, err := s.db.NewInsert().Model(f).On("CONFLICT (item_id, sha256) DO NOTHING").
		ExcludeColumn("text", "text_extracted_at").Returning("id, created_at").Exec(ctx)
	if err != nil {
		return wrap(err, "insert file of %d", f.ItemID)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	err = s.db.NewSelect().Model(f).ExcludeColumn("text").Where("item_id = ? AND sha256 = ?", f.ItemID, f.SHA256).Scan(ctx)
	return wrap(err, "file of %d with %s", f.ItemID, f.SHA256)
}

// File returns a file without its text.
func (s *Store) File(ctx context.Context, id int64) (*File, error) {
	f := new(File)
	if err := s.db.NewSelect().Model(f).ExcludeColumn("text").Where("lf.id = ?", id).Scan(ctx); err != nil {
		return nil, wrap(notFound(err), "file %d", id)
	}
	return f, nil
}

// DeleteFile removes a file from its item.
func (s *Store) DeleteFile(ctx context.Context, itemID, id int64) error {
	res, err := s.db.NewDelete().Model((*File)(nil)).Where("id = ? AND item_id = ?", id, itemID).Exec(ctx)
	if err != nil {
		return wrap(err, "delete file %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrap(ErrNotFound, "delete file %d", id)
	}
	return nil
}

// SetFileText records the text extracted from a file.
func (s *Store) SetFileText(ctx context.Context, id int64, text string, at time.Time) error {
	_, err := s.db.NewUpdate().Model((*File)(nil)).Set("text = ?, text_extracted_at = ?", text, at).
		Where("id = ?", id).Exec(ctx)
	return wrap(err, "set text of file %d", id)
}

// FilesInUse returns which of sums a library file refers to.
func (s *Store) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := courses.BlobsReferencedBy(ctx, s.db.NewSelect().Model((*File)(nil)), "sha256", sums)
	if err != nil {
		return nil, wrap(err, "files in use")
	}
	return used, nil
}

// itemCourse links an item to a course that cites it.
type itemCourse struct {
	bun.BaseModel `bun:"table:library_item_courses,alias:lc"`

	ItemID   int64 `bun:"item_id,pk"`
	CourseID int64 `bun:"course_id,pk"`
}

// LinkCourse records that a course cites an item (again: no change).
func (s *Store) LinkCourse(ctx context.Context, itemID, courseID int64) error {
	_, err := s.db.NewInsert().Model(&itemCourse{ItemID: itemID, CourseID: courseID}).On("CONFLICT DO NOTHING").Exec(ctx)
	return wrap(err, "link item %d to course %d", itemID, courseID)
}

// UnlinkCourse forgets that a course cites an item.
func (s *Store) UnlinkCourse(ctx context.Context, itemID, courseID int64) error {
	_, err := s.db.NewDelete().Model((*itemCourse)(nil)).Where("item_id = ? AND course_id = ?", itemID, courseID).Exec(ctx)
	return wrap(err, "unlink item %d from course %d", itemID, courseID)
}

// CourseIDs returns the ids of the courses citing an item.
func (s *Store) CourseIDs(ctx context.Context, itemID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*itemCourse)(nil)).Column("course_id").Where("item_id = ?", itemID).Scan(ctx, &ids)
	return ids, wrap(err, "courses citing %d", itemID)
}

// CitationIndex returns every published item cited by a course, one row
// per course and item, each course's newest first: the course pages'
// reading lists (Service.CourseReading).
func (s *Store) CitationIndex(ctx context.Context) ([]CitedItem, error) {
	var list []CitedItem
	err := s.db.NewSelect().Model((*itemCourse)(nil)).Column("lc.course_id").
		ColumnExpr("li.id, li.type, li.title, li.language, li.year").
		Join("JOIN library_items AS li ON li.id = lc.item_id").
		Where("li.status = ?", StatusPublished).
		OrderExpr("lc.course_id, li.sort_date DESC, li.id DESC").Scan(ctx, &list)
	return list, wrap(err, "citation index")
}

// CountryCourseIDs returns the ids of the courses citing published items
// about a country.
func (s *Store) CountryCourseIDs(ctx context.Context, country string) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*itemCourse)(nil)).Column("lc.course_id").Distinct().
		Join("JOIN library_items AS li ON li.id = lc.item_id").
		Where("li.status = ? AND li.countries @> ARRAY[?]::text[]", StatusPublished, country).Scan(ctx, &ids)
	return ids, wrap(err, "courses of country %s", country)
}

// ItemIDByOrigin returns the id of the item made from origin, 0 if none.
func (s *Store) ItemIDByOrigin(ctx context.Context, origin string) (int64, error) {
	var ids []int64
	if err := s.db.NewSelect().Model((*Item)(nil)).Column("id").Where("origin = ?", origin).Scan(ctx, &ids); err != nil {
		return 0, wrap(err, "item from %s", origin)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}
