package library

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// CitedItem is a published item as a course page lists it ("Further
// reading"): enough to name it and link its page.
type CitedItem struct {
	CourseID int64  `bun:"course_id"`
	ID       int64  `bun:"id"`
	Type     Type   `bun:"type"`
	Title    string `bun:"title"`
	Language string `bun:"language"`
	Year     int    `bun:"year"`
}

// readingTTL is how long the citation index is trusted before it is read
// again. This process drops it at once after every change of its own
// (LinkCourse, UnlinkCourse, UpdateItem, Publish, Withdraw); the TTL
// bounds how long a change made through another `aula serve` process
// stays unseen here.
const readingTTL = time.Minute

// readingIndex is the in-process copy of which published items each
// course cites. The whole index is read in one statement: links are made
// by hand by librarians (hundreds, a few thousand at most), so one copy of
// all of them is small, and a course page never pays a statement for its
// reading list except on the one view per process and TTL that reloads it.
type readingIndex struct {
	load sync.Mutex // one reload at a time; the others wait for it

	mu       sync.Mutex
	byCourse map[int64][]CitedItem
	loadedAt time.Time
	// gen counts the changes: a reload that started before one is not kept.
	gen uint64
}

// invalidate drops the index after a change that may alter it.
func (r *readingIndex) invalidate() {
	r.mu.Lock()
	r.gen++
	r.byCourse, r.loadedAt = nil, time.Time{}
	r.mu.Unlock()
}

// fresh returns the index's list for a course, if the index is fresh at now.
func (r *readingIndex) fresh(courseID int64, now time.Time) ([]CitedItem, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byCourse == nil || now.Sub(r.loadedAt) >= readingTTL {
		return nil, false
	}
	return r.byCourse[courseID], true
}

// CourseReading returns the published items a course cites, newest first,
// for the course page's "Further reading" section. It reads an in-process
// copy of the citation index (see readingIndex), so that the course page
// stays within its statement budget; the lists returned are shared and
// must not be changed.
func (s *Service) CourseReading(ctx context.Context, courseID int64) ([]CitedItem, error) {
	r := &s.reading
	if list, ok := r.fresh(courseID, s.now()); ok {
		return list, nil
	}
	r.load.Lock()
	defer r.load.Unlock()
	if list, ok := r.fresh(courseID, s.now()); ok {
		return list, nil // another request reloaded it meanwhile
	}
	r.mu.Lock()
	gen := r.gen
	r.mu.Unlock()
	rows, err := NewStore(s.db).CitationIndex(ctx)
	if err != nil {
		return nil, fmt.Errorf("library: reading of course %d: %w", courseID, err)
	}
	index := make(map[int64][]CitedItem)
	for _, it := range rows {
		index[it.CourseID] = append(index[it.CourseID], it)
	}
	r.mu.Lock()
	if r.gen == gen {
		r.byCourse, r.loadedAt = index, s.now()
	}
	r.mu.Unlock()
	return index[courseID], nil
}
