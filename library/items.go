package library

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/jobs"
)

// CreateItem catalogues a new item as a draft; only librarians may.
func (s *Service) CreateItem(ctx context.Context, actor *accounts.User, p ItemParams) (*Item, error) {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	var out *Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it := &Item{Status: StatusDraft, CreatedBy: &actor.ID}
		var err error
		out, err = s.writeItem(ctx, tx, it, p, true)
		return err
	})
	return out, err
}

// UpdateItem changes an item's fields; only librarians may. A published
// item stays published: harvesters see the new record at its new datestamp.
func (s *Service) UpdateItem(ctx context.Context, actor *accounts.User, id int64, p ItemParams) (*Item, error) {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	var out *Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it, err := NewStore(tx).LockItem(ctx, id)
		if err != nil {
			return err
		}
		out, err = s.writeItem(ctx, tx, it, p, false)
		return err
	})
	if err == nil {
		s.reading.invalidate() // its title, type or year may be on course pages
	}
	return out, err
}

// writeItem checks p, fills it into it and stores it with its
// translations and search vector, in tx.
func (s *Service) writeItem(ctx context.Context, tx bun.IDB, it *Item, p ItemParams, insert bool) (*Item, error) {
	date, err := s.checkParams(ctx, tx, &p)
	if err != nil {
		return nil, err
	}
	store := NewStore(tx)
	it.Type, it.Title, it.Abstract, it.Language, it.Languages = p.Type, p.Title, p.Abstract, p.Language, p.languages()
	it.Countries, it.Region, it.Themes, it.Year, it.Date = p.Countries, p.Region, p.Themes, p.Year, date
	it.Authors, it.InstitutionID, it.TargetPopulation = p.Authors, p.InstitutionID, p.TargetPopulation
	it.DocumentType, it.Licence, it.URL, it.UpdatedAt = p.DocumentType, p.Licence, p.URL, s.now()
	if insert {
		it.CreatedAt = it.UpdatedAt
		err = store.InsertItem(ctx, it)
	} else {
		err = store.UpdateItem(ctx, it)
	}
	if err != nil {
		return nil, err
	}
	ts := make([]Translation, len(p.Translations))
	for i, t := range p.Translations {
		ts[i] = Translation{ItemID: it.ID, Language: t.Language, Title: t.Title, Abstract: t.Abstract}
	}
	if err := store.ReplaceTranslations(ctx, it.ID, ts); err != nil {
		return nil, err
	}
	if err := store.RefreshSearch(ctx, it.ID); err != nil {
		return nil, err
	}
	return store.Item(ctx, it.ID)
}

// checkParams tidies and checks p, its themes and its institution
// included, and returns its date, if any.
func (s *Service) checkParams(ctx context.Context, db bun.IDB, p *ItemParams) (*time.Time, error) {
	date, err := p.check()
	if err != nil {
		return nil, err
	}
	if n, err := NewStore(db).CountThemes(ctx, p.Themes); err != nil {
		return nil, err
	} else if n != len(p.Themes) {
		return nil, fieldError("themes", ErrUnknownTheme)
	}
	if p.InstitutionID != nil {
		if _, err := s.people.Institution(ctx, *p.InstitutionID); err != nil {
			if errors.Is(err, accounts.ErrNotFound) {
				return nil, fieldError("institution_id", ErrUnknownInstitution)
			}
			return nil, err
		}
	}
	return date, nil
}

// Publish puts a draft or withdrawn item in the library, searchable and
// harvested; only librarians may.
func (s *Service) Publish(ctx context.Context, actor *accounts.User, id int64) (*Item, error) {
	return s.transition(ctx, actor, id, func(it *Item, now time.Time) error {
		if it.Status == StatusPublished {
			return nil // publishing twice is publishing once
		}
		if it.PublishedAt == nil {
			it.PublishedAt = &now
		}
		it.Status, it.WithdrawnAt = StatusPublished, nil
		return nil
	})
}

// Withdraw takes a published item out of the library: it leaves search
// and the feed, its page answers "not found" to readers, and harvesters
// see it deleted. Only librarians may.
func (s *Service) Withdraw(ctx context.Context, actor *accounts.User, id int64) (*Item, error) {
	return s.transition(ctx, actor, id, func(it *Item, now time.Time) error {
		switch it.Status {
		case StatusWithdrawn:
			return nil
		case StatusDraft:
			return fmt.Errorf("library: withdraw draft %d: %w", id, ErrInvalidTransition)
		}
		it.Status, it.WithdrawnAt = StatusWithdrawn, &now
		return nil
	})
}

func (s *Service) transition(ctx context.Context, actor *accounts.User, id int64, change func(*Item, time.Time) error) (*Item, error) {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	var out *Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		it, err := store.LockItem(ctx, id)
		if err != nil {
			return err
		}
		before := it.Status
		now := s.now()
		if err := change(it, now); err != nil {
			return err
		}
		if it.Status != before {
			it.UpdatedAt = now
			if err := store.SetStatus(ctx, it); err != nil {
				return err
			}
		}
		out, err = store.Item(ctx, id)
		return err
	})
	if err == nil {
		s.reading.invalidate() // course pages list published items only
	}
	return out, err
}

// Item returns an item with its translations and files. Readers see
// published items only; librarians see every item (ErrNotFound otherwise,
// so ids reveal nothing).
func (s *Service) Item(ctx context.Context, actor *accounts.User, id int64) (*Item, error) {
	it, err := NewStore(s.db).Item(ctx, id)
	if err != nil {
		return nil, err
	}
	if it.Status != StatusPublished {
		if ok, err := s.IsLibrarian(ctx, actor); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("library: item %d is %s: %w", id, it.Status, ErrNotFound)
		}
	}
	return it, nil
}

// Catalogue lists items for librarians, latest change first: status
// keeps one status (every one when empty); after is the last item of the
// previous page (nil for the first).
func (s *Service) Catalogue(ctx context.Context, actor *accounts.User, status Status, after *Item, limit int) ([]Item, error) {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	var at time.Time
	var id int64
	if after != nil {
		at, id = after.UpdatedAt, after.ID
	}
	return NewStore(s.db).Catalogue(ctx, status, at, id, limit)
}

// ExtractTextKind is the job that reads the text of an attached PDF so
// that search finds words inside it (ExtractText does it).
const ExtractTextKind = "library.extract_text"

// extractArgs are ExtractTextKind's arguments.
type extractArgs struct {
	FileID int64 `json:"file_id"`
}

// Upload is a file as it arrives: its name as sent, and its content.
type Upload struct {
	Name string
	Body io.Reader
}

// AttachFile adds a file to an item; only librarians may. open is called
// only once the actor may attach (a multipart body is read then, not
// before), and the content is checked as course files are
// (courses.PutChecked): office documents, PDFs, text and images, by
// content not name; over UploadMaxBytes is ErrTooLarge. The bytes go to
// the shared blob store, so the same file uploaded twice is stored once,
// and attached twice to one item is one file. A PDF's text is extracted
// by a job enqueued in the same transaction.
func (s *Service) AttachFile(ctx context.Context, actor *accounts.User, itemID int64, open func() (*Upload, error)) (*File, error) {
	if s.blobs == nil {
		return nil, errors.New("library: attach file: no blob store configured")
	}
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return nil, err
	}
	if _, err := NewStore(s.db).Item(ctx, itemID); err != nil {
		return nil, err
	}
	up, err := open()
	if err != nil {
		return nil, err
	}
	blob, kind, err := courses.PutChecked(ctx, s.blobs, up.Body, s.uploadMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("library: attach to %d: %w", itemID, err)
	}
	f := &File{ItemID: itemID, SHA256: blob.SHA256, FileName: courses.CleanFileName(up.Name),
		ContentType: kind, SizeBytes: blob.Size, UploadedBy: &actor.ID, CreatedAt: s.now()}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		it, err := store.LockItem(ctx, itemID)
		if err != nil {
			return err
		}
		if err := store.InsertFile(ctx, f); err != nil {
			return err
		}
		// A new file is a change of the record harvesters see.
		if err := store.Touch(ctx, it.ID, s.now()); err != nil {
			return err
		}
		if !f.IsPDF() || f.ExtractedAt != nil {
			return nil
		}
		_, _, err = jobs.Enqueue(ctx, tx, jobs.EnqueueParams{Kind: ExtractTextKind, Args: extractArgs{FileID: f.ID},
			UniqueKey: fmt.Sprintf("%s:%d", ExtractTextKind, f.ID), MaxAttempts: 5})
		return err
	})
	if err != nil {
		// The stored bytes stay: other files may share them, and the
		// sweep takes them once nothing refers to them.
		return nil, err
	}
	return f, nil
}

// DeleteFile takes a file off an item; only librarians may. Its text
// leaves the item's search at once.
func (s *Service) DeleteFile(ctx context.Context, actor *accounts.User, itemID, fileID int64) error {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		it, err := store.LockItem(ctx, itemID)
		if err != nil {
			return err
		}
		if err := store.DeleteFile(ctx, itemID, fileID); err != nil {
			return err
		}
		if err := store.Touch(ctx, it.ID, s.now()); err != nil {
			return err
		}
		return store.RefreshSearch(ctx, itemID)
	})
}

// File returns a file of an item for downloading, to those who may see
// the item (Item decides).
func (s *Service) File(ctx context.Context, actor *accounts.User, itemID, fileID int64) (*File, error) {
	if _, err := s.Item(ctx, actor, itemID); err != nil {
		return nil, err
	}
	f, err := NewStore(s.db).File(ctx, fileID)
	if err != nil {
		return nil, err
	}
	if f.ItemID != itemID {
		return nil, fmt.Errorf("library: file %d of %d: %w", fileID, itemID, ErrNotFound)
	}
	return f, nil
}

// OpenFile returns the content of a file. The caller closes it.
func (s *Service) OpenFile(ctx context.Context, f *File) (io.ReadSeekCloser, error) {
	return s.blobs.Open(ctx, f.SHA256)
}

// FilesInUse reports which of the given content hashes a library file
// refers to; wiring registers it with courses.Service.AddBlobUser so the
// shared store's sweep keeps them.
func (s *Service) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	return NewStore(s.db).FilesInUse(ctx, sums)
}

// LinkCourse records that a published course cites an item, so each
// page links to the other; only librarians may.
func (s *Service) LinkCourse(ctx context.Context, actor *accounts.User, itemID, courseID int64) error {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return err
	}
	if _, err := NewStore(s.db).Item(ctx, itemID); err != nil {
		return err
	}
	list, err := s.courses.PublishedCourses(ctx, []int64{courseID})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fieldError("course_id", ErrUnknownCourse)
	}
	if err := NewStore(s.db).LinkCourse(ctx, itemID, courseID); err != nil {
		return err
	}
	s.reading.invalidate()
	return nil
}

// UnlinkCourse forgets that a course cites an item; only librarians may.
func (s *Service) UnlinkCourse(ctx context.Context, actor *accounts.User, itemID, courseID int64) error {
	if err := s.mustCatalogue(ctx, actor); err != nil {
		return err
	}
	if err := NewStore(s.db).UnlinkCourse(ctx, itemID, courseID); err != nil {
		return err
	}
	s.reading.invalidate()
	return nil
}

// CitingCourses returns the published courses that cite an item.
func (s *Service) CitingCourses(ctx context.Context, itemID int64) ([]courses.Course, error) {
	ids, err := NewStore(s.db).CourseIDs(ctx, itemID)
	if err != nil {
		return nil, err
	}
	return s.courses.PublishedCourses(ctx, ids)
}

// CitingEvents returns the events that cite an item (none until the
// events package is connected with SetEvents).
func (s *Service) CitingEvents(ctx context.Context, itemID int64) ([]Event, error) {
	if s.events == nil {
		return nil, nil
	}
	return s.events.EventsCiting(ctx, itemID)
}
