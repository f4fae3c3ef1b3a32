package library

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Service applies the library's rules.
type Service struct {
	db             *bun.DB
	blobs          courses.BlobStore
	people         *accounts.Service
	courses        *courses.Service
	now            func() time.Time
	log            *slog.Logger
	uploadMaxBytes int64
	notifier       Notifier
	events         Events
	pdftotext      string
	// reading is the course pages' copy of the citation index.
	reading readingIndex
	themes  keptThemes
	// searches are the searches with words or filters kept for their
	// next pages and sorts (searches_kept.go).
	searches keptSearches
}

// Options configure a Service.
type Options struct {
	// Blobs stores the files, shared with course files (required).
	Blobs courses.BlobStore
	// Accounts names librarians and knows institutions (required).
	Accounts *accounts.Service
	// Courses are the courses items are cited by (required).
	Courses *courses.Service
	// UploadMaxBytes caps one file (courses' default when 0).
	UploadMaxBytes int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger gets the extraction job's messages (slog.Default when nil).
	Logger *slog.Logger
	// PDFToText is the pdftotext program ("pdftotext" on PATH when empty).
	PDFToText string
}

// NewService returns a Service on db. Submissions' decisions notify no
// one until SetNotifier is called, and country pages list no events until
// SetEvents is.
func NewService(db *bun.DB, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.UploadMaxBytes <= 0 {
		opts.UploadMaxBytes = courses.DefaultUploadMaxBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.PDFToText == "" {
		opts.PDFToText = "pdftotext"
	}
	clock := opts.Now
	// PostgreSQL keeps microseconds: times handed back must equal times read back.
	now := func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	return &Service{db: db, blobs: opts.Blobs, people: opts.Accounts, courses: opts.Courses, now: now,
		log: opts.Logger, uploadMaxBytes: opts.UploadMaxBytes, notifier: noNotifier{}, pdftotext: opts.PDFToText}
}

// UploadMaxBytes is the largest file AttachFile accepts.
func (s *Service) UploadMaxBytes() int64 { return s.uploadMaxBytes }

// IsLibrarian reports whether u catalogues the library: admins, and users
// an admin named librarian.
func (s *Service) IsLibrarian(ctx context.Context, u *accounts.User) (bool, error) {
	if u == nil || u.Disabled {
		return false, nil
	}
	if u.IsAdmin() {
		return true, nil
	}
	return s.people.HasPermission(ctx, u.ID, accounts.PermissionLibrarian)
}

// mustCatalogue returns ErrForbidden unless u is a librarian.
func (s *Service) mustCatalogue(ctx context.Context, u *accounts.User) error {
	ok, err := s.IsLibrarian(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// Librarians lists the users an admin named librarian (admins are
// librarians without being listed), for admins.
func (s *Service) Librarians(ctx context.Context, actor *accounts.User) ([]accounts.User, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	return s.people.UsersWithPermission(ctx, accounts.PermissionLibrarian)
}

// NameLibrarian makes a user a librarian; only admins may.
func (s *Service) NameLibrarian(ctx context.Context, actor *accounts.User, userID int64) (*accounts.User, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	u, err := s.people.User(ctx, userID)
	if err != nil {
		return nil, fieldError("user_id", ErrUnknownUser)
	}
	if err := s.people.GrantPermission(ctx, u.ID, accounts.PermissionLibrarian, &actor.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// NameLibrarianByEmail is NameLibrarian for the user with that address.
func (s *Service) NameLibrarianByEmail(ctx context.Context, actor *accounts.User, email string) (*accounts.User, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	u, err := s.people.UserByEmail(ctx, email)
	if err != nil {
		return nil, fieldError("email", ErrUnknownUser)
	}
	return s.NameLibrarian(ctx, actor, u.ID)
}

// RemoveLibrarian takes the librarian's right from a user; only admins may.
func (s *Service) RemoveLibrarian(ctx context.Context, actor *accounts.User, userID int64) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	return s.people.RevokePermission(ctx, userID, accounts.PermissionLibrarian)
}
