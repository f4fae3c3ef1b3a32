package certificates

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
)

// Service applies the certificate rules: issuing exactly once, revoking,
// correcting, verifying, drawing PDFs and packing them into ZIP files.
type Service struct {
	db       *bun.DB
	renderer *Renderer
	baseURL  string
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger
	pdfs     *pdfCache

	issuerMu sync.Mutex
	issuer   *IssuerSettings // cached; reloaded when its version changes
	images   imageBytes

	blobs courses.BlobStore

	onChanged []ChangeHook // hooks.go

	// courses is the list of every course last read (Courses).
	courses postgres.KeptList[courses.Course]
}

// Options configure a Service.
type Options struct {
	// Renderer draws the PDFs (required).
	Renderer *Renderer
	// BaseURL is the site's public root; QR codes and printed links point
	// to BaseURL/verify/{code} (required).
	BaseURL string
	// PDFCacheBytes bounds the in-process cache of drawn PDFs (default
	// DefaultPDFCacheBytes); a negative value turns the cache off.
	PDFCacheBytes int64
	// Blobs is the file storage ZIP files of certificates are kept in, the
	// one course files use (required). Its sweep is courses' (SweepBlobs),
	// which asks ZipFilesInUse which files a job still has.
	Blobs courses.BlobStore
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets the ZIP worker's messages (slog.Default when nil).
	Logger *slog.Logger
	// Location is the installation's time zone (AULA_TIMEZONE; UTC when
	// nil): a course completed at 22:00 in Lima was completed that day, not
	// on the next day of UTC.
	Location *time.Location
}

// DefaultPDFCacheBytes is the default size of the PDF cache: about a
// thousand certificates of 60 KB.
const DefaultPDFCacheBytes = 64 << 20

// NewService returns a Service on db.
func NewService(db *bun.DB, opts Options) (*Service, error) {
	if opts.Renderer == nil {
		return nil, errors.New("certificates: NewService needs a Renderer")
	}
	if opts.BaseURL == "" {
		return nil, errors.New("certificates: NewService needs the site's base URL")
	}
	if opts.Blobs == nil {
		return nil, errors.New("certificates: NewService needs the file storage")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.PDFCacheBytes == 0 {
		opts.PDFCacheBytes = DefaultPDFCacheBytes
	}
	clock := opts.Now
	return &Service{
		db:       db,
		renderer: opts.Renderer,
		baseURL:  strings.TrimRight(opts.BaseURL, "/"),
		// PostgreSQL keeps microseconds: times handed back must equal times read back.
		now:  func() time.Time { return clock().UTC().Truncate(time.Microsecond) },
		log:  opts.Logger,
		loc:  opts.Location,
		pdfs: newPDFCache(opts.PDFCacheBytes),

		blobs: opts.Blobs,
	}, nil
}

// VerifyURL returns the public page of the certificate with code.
func (s *Service) VerifyURL(code string) string { return VerifyURL(s.baseURL, code) }

// Location is the time zone the installation prints dates in.
func (s *Service) Location() *time.Location { return s.loc }

// CalendarDay is the day t falls on in loc, as midnight UTC: certificates
// state completion as a date, and the date must not move with the reader's
// or the server's time zone.
func CalendarDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
