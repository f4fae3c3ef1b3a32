// Package wiring builds Aula's domain services and connects them, once,
// for `aula serve`, every other command and every test. It is the one
// place that says how the domains work together:
//
//   - a course is complete when its modules are done and, through
//     courses.Requirement, its required quizzes passed (assessment);
//   - completing a course issues its certificate inside the completion
//     transaction, through courses.CompletionHook (certificates).
//
// A feature to come hooks in here the same way: its service is built in
// New, and it registers the hooks of the domains it reacts to (an event's
// attendance issuing a certificate of participation, a reply notifying
// the followers of a topic), each running in the transaction of the write
// that causes it.
package wiring

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/assessment"
	"github.com/aula-platform/aula/assets"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
)

// Options configure the services for one installation.
type Options struct {
	// Blobs stores uploaded files (required).
	Blobs courses.BlobStore
	// UploadMaxBytes caps one uploaded course file (courses' default when 0).
	UploadMaxBytes int64
	// BaseURL is the site's public root; certificates' QR codes point to it
	// (required).
	BaseURL string
	// Location is the installation's time zone (UTC when nil).
	Location *time.Location
	// Logger gets the background workers' messages (slog.Default when nil).
	Logger *slog.Logger
	// Now is the clock of every service (time.Now when nil); tests move it.
	Now func() time.Time
	// PDFCacheBytes bounds the in-process cache of certificate PDFs
	// (certificates' default when 0; negative: no cache).
	PDFCacheBytes int64
	// TokenLifetime and TokenMaxLifetime are how long a new API token
	// works by default and at most (accounts' defaults when 0).
	TokenLifetime, TokenMaxLifetime time.Duration
}

// Services are the domain services of one installation, wired together.
type Services struct {
	Accounts     *accounts.Service
	Courses      *courses.Service
	Assessment   *assessment.Service
	Certificates *certificates.Service
	Library      *library.Service
	// Blobs is the file storage the services write to, for readiness.
	Blobs courses.BlobStore
}

// New builds every domain service on db and registers every cross-domain
// hook.
func New(db *bun.DB, opts Options) (*Services, error) {
	if db == nil {
		return nil, errors.New("wiring: no database")
	}
	if opts.Blobs == nil {
		return nil, errors.New("wiring: no blob store for course files")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	renderer, err := certificateRenderer()
	if err != nil {
		return nil, err
	}

	svc := &Services{Accounts: accounts.NewService(db, opts.Now), Blobs: opts.Blobs}
	if err := svc.Accounts.SetTokenLifetimes(opts.TokenLifetime, opts.TokenMaxLifetime); err != nil {
		return nil, err
	}
	svc.Courses = courses.NewService(db, courses.Options{Blobs: opts.Blobs, UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now})
	svc.Assessment = assessment.NewService(db, svc.Courses, assessment.Options{Now: opts.Now})
	svc.Certificates, err = certificates.NewService(db, certificates.Options{
		Renderer: renderer, BaseURL: opts.BaseURL, Logger: opts.Logger, Location: opts.Location, Now: opts.Now,
		PDFCacheBytes: opts.PDFCacheBytes,
		// ZIP files of certificates live in the storage course files use.
		Blobs: opts.Blobs, FilesInUse: svc.Courses.FilesInUse,
	})
	if err != nil {
		return nil, err
	}

	// A course is complete only when its required quizzes are passed too.
	svc.Courses.AddRequirement(svc.Assessment.RequiredQuizzes)
	// Completing a course issues its certificate, in the same transaction.
	svc.Courses.OnCompleted(svc.Certificates.IssueOnCompletion)
	// Certificates' ZIP files share the blob store with course files: the
	// course files' sweep must leave those still downloadable.
	svc.Courses.AddBlobUser(svc.Certificates.ZipFilesInUse)

	// The knowledge library keeps its files in the same store.
	svc.Library = library.NewService(db, library.Options{Blobs: opts.Blobs, Accounts: svc.Accounts, Courses: svc.Courses,
		UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now, Logger: opts.Logger})
	svc.Courses.AddBlobUser(svc.Library.FilesInUse)
	return svc, nil
}

// certificateRenderer loads the certificate fonts from the binary once per
// process: parsing them takes tens of milliseconds, and tests build many
// installations.
var certificateRenderer = sync.OnceValues(func() (*certificates.Renderer, error) {
	fonts, err := fs.Sub(assets.Fonts, "fonts")
	if err != nil {
		return nil, fmt.Errorf("wiring: certificate fonts: %w", err)
	}
	return certificates.NewRenderer(fonts)
})
