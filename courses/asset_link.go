package courses

import (
	"context"
	"fmt"
)

// Presigner is a BlobStore that can sign a link by which a browser
// downloads content straight from it (S3Store with presign= in its URL).
type Presigner interface {
	// PresignGet returns the link, with the name and type the store is to
	// answer with; ok is false when the store gives no links.
	PresignGet(ctx context.Context, sum, fileName, contentType, disposition string) (link string, ok bool, err error)
}

// AssetLink returns a link by which the user, already allowed to read
// the file (Asset decided), downloads it straight from the store, so a
// large file never passes through Aula's processes. ok is false when the
// store gives no links, and for images: they are small, shown inside
// pages (whose Content-Security-Policy names Aula, not the store) and
// cached by browsers, which a link that expires would defeat.
func (s *Service) AssetLink(ctx context.Context, a *Asset, disposition string) (link string, ok bool, err error) {
	p, can := s.blobs.(Presigner)
	if !can || a.IsImage() {
		return "", false, nil
	}
	link, ok, err = p.PresignGet(ctx, a.SHA256, a.FileName, a.ContentType, disposition)
	if err != nil {
		return "", false, fmt.Errorf("courses: link to file %d: %w", a.ID, err)
	}
	return link, ok, nil
}
