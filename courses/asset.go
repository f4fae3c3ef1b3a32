package courses

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"
)

// UploadMaxBytes is the largest file UploadAsset accepts.
func (s *Service) UploadMaxBytes() int64 { return s.uploadMaxBytes }

// UploadAsset attaches a file to a course. Its type is decided by its
// content (SniffKind), never by name: anything but images, PDFs, office
// documents and plain text or CSV is refused with ErrFileType. A file over
// the upload limit is refused with ErrTooLarge and nothing of it is kept.
// The name is cleaned (CleanFileName); the bytes are stored once however
// many courses attach them, and the same file uploaded twice under the
// same name gives the same asset.
func (s *Service) UploadAsset(ctx context.Context, actor Actor, courseID int64, name string, r io.Reader) (*Asset, error) {
	if s.blobs == nil {
		return nil, errors.New("courses: upload: no blob store configured")
	}
	// Check before reading the content, so an outsider's upload is
	// refused without storing anything.
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if err := acc.mayEdit(); err != nil {
		return nil, fmt.Errorf("courses: upload to %d: %w", courseID, err)
	}

	blob, kind, err := PutChecked(ctx, s.blobs, r, s.uploadMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("courses: upload to %d: %w", courseID, err)
	}

	uploader := actor.UserID
	a := &Asset{CourseID: courseID, SHA256: blob.SHA256, FileName: CleanFileName(name), ContentType: kind,
		SizeBytes: blob.Size, UploadedBy: &uploader}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Check again under the course's lock: the uploader may have
		// lost their rights while the file came in.
		if _, err := s.editable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		store := NewStore(tx)
		same, err := store.AssetByContent(ctx, courseID, a.SHA256, a.FileName)
		if err == nil {
			a = same
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		return store.InsertAsset(ctx, a)
	})
	if err != nil {
		// The stored bytes stay: other rows may share them, and an
		// unreferenced blob costs only disk space.
		return nil, err
	}
	return a, nil
}

// Assets returns the files attached to a course, for its editors.
func (s *Service) Assets(ctx context.Context, actor Actor, courseID int64) ([]Asset, error) {
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, err
	}
	if err := acc.mayEdit(); err != nil {
		return nil, fmt.Errorf("courses: assets of %d: %w", courseID, err)
	}
	return NewStore(s.db).Assets(ctx, courseID)
}

// Asset returns a file of a course for downloading, with the actor's
// access to the course. A course's files are for those who may read its
// modules (its editors, and learners enrolled once it is published), as
// the files are part of the modules; only the course's cover image, which
// the catalogue and the course page show to everyone who sees the course,
// is for anyone who may see the course (Access.PublicFile). Others get
// ErrForbidden (ErrNotFound when they may not see the course, or the file
// is not the course's), so sequential file ids open nothing.
func (s *Service) Asset(ctx context.Context, actor Actor, courseID, id int64) (*Asset, *Access, error) {
	a, err := NewStore(s.db).Asset(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if a.CourseID != courseID {
		return nil, nil, fmt.Errorf("courses: asset %d of %d: %w", id, courseID, ErrNotFound)
	}
	acc, err := s.Access(ctx, actor, courseID)
	if err != nil {
		return nil, nil, err
	}
	if !acc.CanRead() && !acc.IsCover(id) {
		return nil, nil, fmt.Errorf("courses: asset %d of %d: %w", id, courseID, errors.Join(ErrNotEnrolled, ErrForbidden))
	}
	return a, acc, nil
}

// OpenAsset returns the content of a file. The caller closes it.
func (s *Service) OpenAsset(ctx context.Context, a *Asset) (io.ReadSeekCloser, error) {
	if s.blobs == nil {
		return nil, errors.New("courses: open asset: no blob store configured")
	}
	return s.blobs.Open(ctx, a.SHA256)
}

// DeleteAsset detaches a file from a course. Links to it in modules stop
// working; a cover it was becomes none. The bytes stay in the blob store,
// as other courses may share them.
func (s *Service) DeleteAsset(ctx context.Context, actor Actor, courseID, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.editable(ctx, tx, actor, courseID); err != nil {
			return err
		}
		return NewStore(tx).DeleteAsset(ctx, courseID, id)
	})
}
