package reports

import (
	"context"
	"errors"
	"log/slog"
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
	blobs   courses.BlobStore
	texts   Texts
	log     *slog.Logger
	loc     *time.Location
	now     func() time.Time
	// inlineRows is the most rows an export streams while its reader
	// waits; a larger one is made by a background job.
	inlineRows int
	reads      Reads
}

// Reads runs a report's reads where they may be a little stale: the
// read replica while it keeps up (postgres.Replica), which runs fn again
// on the primary when the replica fails during it. fn only reads.
type Reads interface {
	Read(ctx context.Context, fn func(db bun.IDB) error) error
}

// primaryReads reads the primary: an installation without a replica.
type primaryReads struct{ db bun.IDB }

func (p primaryReads) Read(_ context.Context, fn func(db bun.IDB) error) error { return fn(p.db) }

// read runs fn on the store of the database reports read now. Pages and
// exports read through it; what a report writes (its exports' rows) and
// the checks of who may see what stay on the primary.
func (s *Service) read(ctx context.Context, fn func(st *Store) error) error {
	return s.reads.Read(ctx, func(db bun.IDB) error { return fn(NewStore(db)) })
}

// Texts translate what a background export writes in the language of
// whoever asked for it (app/i18n.Bundle).
type Texts interface {
	T(lang, key string, args ...any) string
}

// Options configure a Service.
type Options struct {
	// Courses decides who may follow a course's learners (required).
	Courses *courses.Service
	// Blobs keeps the files of background exports (required), the store
	// uploaded files use.
	Blobs courses.BlobStore
	// Texts translate background exports' headers (required).
	Texts Texts
	// Location is the installation's time zone, whose calendar the
	// figures per month and year follow (UTC when nil).
	Location *time.Location
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets what the export jobs did (slog.Default when nil).
	Logger *slog.Logger
	// InlineRows is the most rows an export streams at once
	// (DefaultInlineRows when 0); larger ones become background jobs.
	InlineRows int
	// Reads is where the reports' pages and exports read (the primary
	// when nil): wiring gives the read replica's chooser.
	Reads Reads
}

// DefaultInlineRows is the most rows a CSV export streams while its reader
// waits. The gradebook export writes a few thousand rows a second on a
// busy database, so 5,000 rows answer in a couple of seconds; anything
// larger is made in the background (docs/reports.md).
const DefaultInlineRows = 5000

// NewService returns the reports of the installation on db.
func NewService(db *bun.DB, opts Options) (*Service, error) {
	if opts.Courses == nil || opts.Blobs == nil || opts.Texts == nil {
		return nil, errors.New("reports: courses, blobs and texts are required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.InlineRows <= 0 {
		opts.InlineRows = DefaultInlineRows
	}
	if opts.Reads == nil {
		opts.Reads = primaryReads{db}
	}
	return &Service{db: db, courses: opts.Courses, blobs: opts.Blobs, texts: opts.Texts, log: opts.Logger,
		loc: opts.Location, now: opts.Now, inlineRows: opts.InlineRows, reads: opts.Reads}, nil
}

// MaxPage is the most rows one page of a report holds.
const MaxPage = 100

// chunk is how many rows an export reads per query: enough to keep the
// number of queries small, few enough to keep memory flat.
var chunk = 500

// firstChunk is how many rows an export reads first (Each): a page's.
var firstChunk = 50

func pageSize(n int) int {
	if n < 1 || n > MaxPage {
		return 50
	}
	return n
}

// ErrInvalidFilter: a report was asked for with a sort, status or year it
// does not know.
var ErrInvalidFilter = errors.New("reports: invalid filter")
