package app

import (
	"context"

	"github.com/aula-platform/aula/library"
)

// Further reading: the course page lists the published library items the
// course cites (a librarian links them, library.Service.LinkCourse), each
// linking its item page, which links the course back.

// readingSection is the course page's list of cited items.
type readingSection struct {
	Page
	Items []library.CitedItem
}

// courseReading builds the section. It costs the page no statement: the
// library answers from its in-process copy of the citation index, dropped
// on every library change and read again at most once a minute
// (library.Service.CourseReading), which keeps the course page within its
// budget (app/statements_budget_test.go). It is a function of its own so
// that a cache of the whole page can call it or leave it.
func (s *server) courseReading(ctx context.Context, p Page, courseID int64) (readingSection, error) {
	items, err := s.library.CourseReading(ctx, courseID)
	if err != nil {
		return readingSection{}, err
	}
	return readingSection{Page: p, Items: items}, nil
}
