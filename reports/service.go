package reports

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrForbidden: the actor may not see this report.
	ErrForbidden = errors.New("reports: not allowed")
	// ErrBadCursor: a page cursor that this package did not write.
	ErrBadCursor = errors.New("reports: bad page cursor")
)

// Service answers the reports.
type Service struct {
	db      *bun.DB
	courses *courses.Service
	loc     *time.Location
	now     func() time.Time
}

// NewService returns the reports of the installation on db; courses
// decides who may follow a course's learners. loc is the installation's
// time zone, whose calendar the figures per month and year follow (UTC
// when nil); now is the clock (time.Now when nil).
func NewService(db *bun.DB, c *courses.Service, loc *time.Location, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{db: db, courses: c, loc: loc, now: now}
}

// MaxPage is the most rows one page of a report holds.
const MaxPage = 100

// chunk is how many rows an export reads per query: enough to keep the
// number of queries small, few enough to keep memory flat.
const chunk = 500

func pageSize(n int) int {
	if n < 1 || n > MaxPage {
		return 50
	}
	return n
}

// ErrInvalidFilter: a report was asked for with a sort, status or year it
// does not know.
var ErrInvalidFilter = errors.New("reports: invalid filter")
