package courses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"
)

// Functions other packages (the knowledge library) store files and read
// courses through, so that they check files as course files are checked
// and never query courses' tables.

// PutChecked stores the file r yields in store after deciding its kind
// from its first bytes (SniffKind): anything a course may not attach is
// refused with ErrFileType before a byte is stored, and a file longer
// than max with ErrTooLarge, keeping nothing. It returns the stored blob
// and the media type to serve it with.
func PutChecked(ctx context.Context, store BlobStore, r io.Reader, max int64) (Blob, string, error) {
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Blob{}, "", fmt.Errorf("courses: read upload: %w", err)
	}
	head = head[:n]
	kind, err := SniffKind(head)
	if err != nil {
		return Blob{}, "", err
	}
	blob, err := store.Put(ctx, io.MultiReader(bytes.NewReader(head), r), max)
	if err != nil {
		return Blob{}, "", err
	}
	return blob, kind, nil
}

// PublishedCourses returns the published courses among ids, by title.
// Only id, slug, title, summary and language are filled.
func (s *Service) PublishedCourses(ctx context.Context, ids []int64) ([]Course, error) {
	var list []Course
	if len(ids) == 0 {
		return list, nil
	}
	if err := s.db.NewSelect().Model(&list).Column("id", "slug", "title", "summary", "language", "status").
		Where("c.id IN (?) AND c.status = ?", bun.List(ids), StatusPublished).
		OrderExpr("c.title, c.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: published courses %v: %w", ids, err)
	}
	return list, nil
}

// SearchText turns what a visitor typed into the text of a PostgreSQL
// tsquery, as the catalogue does (each word a prefix, all required, only
// letters and digits kept), for another package's full-text search with
// its own configurations. It returns "" when no word is left.
func SearchText(q string) string { return searchQuery(q) }
