package courses

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
)

// Languages a course can be taught in, in the order forms offer them.
// They are the interface locales' languages: one list, in package locales.
var Languages = locales.Courses

// Limits of a course's fields; the database checks them too.
const (
	MaxTitleLen   = 200
	MaxSummaryLen = 5000
	MaxWorkload   = 1000
	// MaxCertificateValidity is the longest a certificate may stay valid,
	// in months (ten years): a longer one is a typo for "never expires".
	MaxCertificateValidity = 120
	maxSlugTries           = 100
	maxCreateTries         = 5
)

// CourseParams are the editable fields of a course.
type CourseParams struct {
	Title string
	// Slug is the course's URL name. Empty: made from the title when
	// creating (with -2, -3… if taken), kept as it is when updating.
	Slug          string
	Summary       string
	Language      string
	WorkloadHours int
	// CoverAssetID names an image attached to the course; nil for none.
	CoverAssetID *int64
	// CertificateValidityMonths is how long the course's certificates stay
	// valid after completion, 1 to MaxCertificateValidity; nil or 0: they
	// never expire.
	CertificateValidityMonths *int
	// InstructorIDs are the users who may edit the course besides admins.
	// Creating: empty means the creator. Updating: nil keeps them.
	InstructorIDs []int64
}

func (p *CourseParams) tidy() {
	p.Title = strings.TrimSpace(p.Title)
	p.Slug = strings.TrimSpace(p.Slug)
	p.Summary = strings.TrimSpace(p.Summary)
	p.Language = strings.TrimSpace(p.Language)
	if p.CoverAssetID != nil && *p.CoverAssetID == 0 {
		p.CoverAssetID = nil
	}
	if p.CertificateValidityMonths != nil && *p.CertificateValidityMonths == 0 {
		p.CertificateValidityMonths = nil
	}
}

// check enforces the rules the web layer's validation may not have.
func (p *CourseParams) check() error {
	switch {
	case p.Title == "" || utf8.RuneCountInString(p.Title) > MaxTitleLen:
		return fmt.Errorf("%w: title", ErrInvalidCourse)
	case utf8.RuneCountInString(p.Summary) > MaxSummaryLen:
		return fmt.Errorf("%w: summary", ErrInvalidCourse)
	case !slices.Contains(Languages, p.Language):
		return fmt.Errorf("%w: language %q", ErrInvalidCourse, p.Language)
	case p.WorkloadHours < 1 || p.WorkloadHours > MaxWorkload:
		return fmt.Errorf("%w: workload %d", ErrInvalidCourse, p.WorkloadHours)
	case p.CertificateValidityMonths != nil && (*p.CertificateValidityMonths < 1 || *p.CertificateValidityMonths > MaxCertificateValidity):
		return fmt.Errorf("%w: certificate validity %d months", ErrInvalidCourse, *p.CertificateValidityMonths)
	case p.Slug != "" && !ValidSlug(p.Slug):
		return fmt.Errorf("%w: %q", ErrInvalidSlug, p.Slug)
	}
	return nil
}

// CreateCourse adds a draft course taught by p.InstructorIDs (or by its
// creator). Only instructors and admins create courses; an instructor is
// always among the instructors of the courses they create.
func (s *Service) CreateCourse(ctx context.Context, actor Actor, p CourseParams) (*Course, error) {
	if !actor.CanTeach() {
		return nil, fmt.Errorf("courses: create course: %w", ErrForbidden)
	}
	p.tidy()
	if err := p.check(); err != nil {
		return nil, err
	}
	if p.CoverAssetID != nil {
		// A new course has no files yet.
		return nil, fmt.Errorf("courses: create course: %w", ErrInvalidCover)
	}
	instructors := p.InstructorIDs
	if len(instructors) == 0 || (!actor.IsAdmin() && !slices.Contains(instructors, actor.UserID)) {
		instructors = append([]int64{actor.UserID}, instructors...)
	}
	creator := actor.UserID
	c := &Course{Title: p.Title, Summary: p.Summary, Language: p.Language, WorkloadHours: p.WorkloadHours,
		CertificateValidityMonths: p.CertificateValidityMonths, Status: StatusDraft, CreatedBy: &creator}

	// A generated slug may lose a race with another course taking it
	// between the check and the insert: try the next free one.
	for try := 1; ; try++ {
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			store := NewStore(tx)
			if err := checkTeachers(ctx, store, instructors); err != nil {
				return err
			}
			c.Slug = p.Slug
			if c.Slug == "" {
				slug, err := freeSlug(ctx, store, Slugify(p.Title))
				if err != nil {
					return err
				}
				c.Slug = slug
			}
			if err := store.InsertCourse(ctx, c); err != nil {
				return err
			}
			return store.SetInstructors(ctx, c.ID, instructors)
		})
		if err == nil {
			return c, nil
		}
		if p.Slug != "" || !errors.Is(err, ErrSlugTaken) || try == maxCreateTries {
			return nil, err
		}
	}
}

// freeSlug returns base, or the first of base-2, base-3… that no course
// uses. After maxSlugTries taken candidates it adds a random suffix.
func freeSlug(ctx context.Context, store *Store, base string) (string, error) {
	candidates := make([]string, maxSlugTries)
	for i := range candidates {
		candidates[i] = SlugCandidate(base, i+1)
	}
	taken, err := store.TakenSlugs(ctx, candidates)
	if err != nil {
		return "", err
	}
	for _, c := range candidates {
		if !taken[c] {
			return c, nil
		}
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random slug: %w", err)
	}
	return cutSlug(base, MaxSlugLen-9) + "-" + hex.EncodeToString(b[:]), nil
}

// checkTeachers refuses instructors who are not enabled instructors or admins.
func checkTeachers(ctx context.Context, store *Store, ids []int64) error {
	found, err := store.Teachers(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			return fmt.Errorf("user %d cannot teach: %w", id, ErrInvalidInstructor)
		}
	}
	return nil
}

// UpdateCourse changes a course's fields (all of them: the caller fills p
// from the course for a partial update). Its editors may change it.
func (s *Service) UpdateCourse(ctx context.Context, actor Actor, id int64, p CourseParams) (*Course, error) {
	p.tidy()
	if err := p.check(); err != nil {
		return nil, err
	}
	if p.InstructorIDs != nil && len(p.InstructorIDs) == 0 {
		return nil, fmt.Errorf("courses: update course %d: no instructor: %w", id, ErrInvalidInstructor)
	}
	var c *Course
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if c, err = s.editable(ctx, tx, actor, id); err != nil {
			return err
		}
		store := NewStore(tx)
		if p.CoverAssetID != nil {
			a, err := store.Asset(ctx, *p.CoverAssetID)
			if errors.Is(err, ErrNotFound) || (err == nil && (a.CourseID != id || !a.IsImage())) {
				return fmt.Errorf("courses: cover %d of %d: %w", *p.CoverAssetID, id, ErrInvalidCover)
			}
			if err != nil {
				return err
			}
		}
		c.Title, c.Summary, c.Language, c.WorkloadHours, c.CoverAssetID = p.Title, p.Summary, p.Language, p.WorkloadHours, p.CoverAssetID
		c.CertificateValidityMonths = p.CertificateValidityMonths
		if p.Slug != "" {
			c.Slug = p.Slug
		}
		if err := store.UpdateCourse(ctx, c, "title", "slug", "summary", "language", "workload_hours", "cover_asset_id",
			"certificate_validity_months"); err != nil {
			return err
		}
		if p.InstructorIDs == nil {
			return nil
		}
		if err := checkTeachers(ctx, store, p.InstructorIDs); err != nil {
			return err
		}
		return store.SetInstructors(ctx, id, p.InstructorIDs)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Publish puts a draft (or archived) course in the catalogue. A course
// without a module (not archived) cannot be published: ErrNoModules.
// Publishing a published course changes nothing.
func (s *Service) Publish(ctx context.Context, actor Actor, id int64) (*Course, error) {
	var c *Course
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if c, err = s.editable(ctx, tx, actor, id); err != nil {
			return err
		}
		if c.Status == StatusPublished {
			return nil
		}
		store := NewStore(tx)
		n, err := store.CountModules(ctx, id, false)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("courses: publish %d: %w", id, ErrNoModules)
		}
		return store.SetStatus(ctx, c, StatusPublished, s.now())
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Archive takes a published course out of the catalogue; those enrolled
// keep reading it. Drafts cannot be archived (ErrInvalidTransition):
// nobody but their editors sees them anyway.
func (s *Service) Archive(ctx context.Context, actor Actor, id int64) (*Course, error) {
	var c *Course
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if c, err = s.editable(ctx, tx, actor, id); err != nil {
			return err
		}
		switch c.Status {
		case StatusArchived:
			return nil
		case StatusDraft:
			return fmt.Errorf("courses: archive draft %d: %w", id, ErrInvalidTransition)
		}
		return NewStore(tx).SetStatus(ctx, c, StatusArchived, s.now())
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Teaching returns a page of the courses actor may edit, most recently
// changed first: every course for admins, their own for instructors.
func (s *Service) Teaching(ctx context.Context, actor Actor, limit, offset int) ([]Course, int, error) {
	if !actor.CanTeach() {
		return nil, 0, fmt.Errorf("courses: teaching: %w", ErrForbidden)
	}
	f := CourseFilter{Limit: limit, Offset: offset}
	if !actor.IsAdmin() {
		f.InstructorID = actor.UserID
	}
	return NewStore(s.db).Courses(ctx, f)
}

// Instructors returns who teaches a course, by name.
func (s *Service) Instructors(ctx context.Context, courseID int64) ([]accounts.User, error) {
	return NewStore(s.db).Instructors(ctx, courseID)
}

// HasEnrolments reports whether anyone ever enrolled in a course; its
// modules can then only be archived, not deleted.
func (s *Service) HasEnrolments(ctx context.Context, courseID int64) (bool, error) {
	return NewStore(s.db).HasEnrolments(ctx, courseID)
}
