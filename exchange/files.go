package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
)

// Files attached to offers: the offering institution's delegates (and
// admins) attach, list and delete them; whoever sees the exchange reads
// them. They are checked by content as course and library files are
// (courses.PutChecked: PDFs, office documents, images, text; never an
// executable, whatever its name) and stored once by content in the blob
// store those files share; FilesInUse tells the store's sweep which
// hashes are exchange's.

// Upload is a file as it arrives: its name as sent, and its content.
type Upload struct {
	Name string
	Body io.Reader
}

// offerFor reads the offer and what actor may do in its exchange; an
// offer of an exchange the actor takes no part in is ErrNotFound.
func (s *Service) offerFor(ctx context.Context, db bun.IDB, actor Actor, offerID int64) (*Offer, *Access, error) {
	o, err := NewStore(db).Offer(ctx, offerID)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.viewing(ctx, db, actor, o.ExchangeID, false)
	if err != nil {
		return nil, nil, err
	}
	return o, acc, nil
}

// AttachFile adds a file to an offer, for a delegate of the offering
// institution or an admin. open is called only once the actor may attach,
// so that a multipart body is read then, not before. Over UploadMaxBytes
// is courses.ErrTooLarge, a kind a course may not attach
// courses.ErrFileType, and nothing is kept of either. The same content
// attached twice to one offer is one file.
func (s *Service) AttachFile(ctx context.Context, actor Actor, offerID int64, open func() (*Upload, error)) (*OfferFile, error) {
	if s.blobs == nil {
		return nil, errors.New("exchange: attach file: no blob store configured")
	}
	o, acc, err := s.offerFor(ctx, s.db, actor, offerID)
	if err != nil {
		return nil, fmt.Errorf("exchange: attach to offer %d: %w", offerID, err)
	}
	if !acc.Delegates(o.InstitutionID) {
		return nil, fmt.Errorf("exchange: attach to offer %d: %w", offerID, ErrForbidden)
	}
	up, err := open()
	if err != nil {
		return nil, err
	}
	blob, kind, err := courses.PutChecked(ctx, s.blobs, up.Body, s.uploadMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("exchange: attach to offer %d: %w", offerID, err)
	}
	f := &OfferFile{OfferID: o.ID, SHA256: blob.SHA256, FileName: courses.CleanFileName(up.Name), ContentType: kind,
		SizeBytes: blob.Size, UploadedBy: &actor.UserID, CreatedAt: s.now()}
	// The stored bytes stay if this fails: other files may share them,
	// and the sweep takes them once nothing refers to them.
	if err := NewStore(s.db).InsertOfferFile(ctx, f); err != nil {
		return nil, fmt.Errorf("exchange: attach to offer %d: %w", offerID, err)
	}
	return f, nil
}

// OfferFiles lists an offer's files, oldest first, for those who see its
// exchange.
func (s *Service) OfferFiles(ctx context.Context, actor Actor, offerID int64) ([]OfferFile, error) {
	if _, _, err := s.offerFor(ctx, s.db, actor, offerID); err != nil {
		return nil, fmt.Errorf("exchange: files of offer %d: %w", offerID, err)
	}
	list, err := NewStore(s.db).OfferFiles(ctx, []int64{offerID})
	if err != nil {
		return nil, fmt.Errorf("exchange: files of offer %d: %w", offerID, err)
	}
	return list, nil
}

// OfferFile returns a file of an offer for downloading, to those who see
// its exchange.
func (s *Service) OfferFile(ctx context.Context, actor Actor, offerID, fileID int64) (*OfferFile, error) {
	if _, _, err := s.offerFor(ctx, s.db, actor, offerID); err != nil {
		return nil, fmt.Errorf("exchange: file %d of offer %d: %w", fileID, offerID, err)
	}
	f, err := NewStore(s.db).OfferFile(ctx, offerID, fileID)
	if err != nil {
		return nil, fmt.Errorf("exchange: file %d of offer %d: %w", fileID, offerID, err)
	}
	return f, nil
}

// OpenFile returns the content of a file. The caller closes it.
func (s *Service) OpenFile(ctx context.Context, f *OfferFile) (io.ReadSeekCloser, error) {
	if s.blobs == nil {
		return nil, errors.New("exchange: open file: no blob store configured")
	}
	return s.blobs.Open(ctx, f.SHA256)
}

// DeleteFile takes a file off an offer, for a delegate of the offering
// institution or an admin. Its bytes stay in the store until its sweep
// finds nothing refers to them.
func (s *Service) DeleteFile(ctx context.Context, actor Actor, offerID, fileID int64) error {
	o, acc, err := s.offerFor(ctx, s.db, actor, offerID)
	if err == nil && !acc.Delegates(o.InstitutionID) {
		err = ErrForbidden
	}
	if err == nil {
		err = NewStore(s.db).DeleteOfferFile(ctx, offerID, fileID)
	}
	if err != nil {
		return fmt.Errorf("exchange: delete file %d of offer %d: %w", fileID, offerID, err)
	}
	return nil
}

// FilesInUse reports which of the given content hashes an offer's file
// refers to; wiring registers it with courses.Service.AddBlobUser so the
// shared store's sweep keeps them.
func (s *Service) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := NewStore(s.db).FilesInUse(ctx, sums)
	if err != nil {
		return nil, fmt.Errorf("exchange: files in use: %w", err)
	}
	return used, nil
}

// UploadMaxBytes is the largest file AttachFile accepts.
func (s *Service) UploadMaxBytes() int64 { return s.uploadMaxBytes }
