package certificates

import (
	"bytes"
	"context"
	"fmt"
	"sync"
)

// Downloadable returns the certificate with code if viewer may download its
// PDF: its holder, or an admin. Anyone else gets ErrNotFound, as if the
// code did not exist, so codes reveal nothing through this door (the
// verify page is the public one). The holder of a revoked certificate
// gets ErrRevoked: a revoked certificate is not handed out again, while
// admins keep access to the record.
func (s *Service) Downloadable(ctx context.Context, code string, viewerID int64, admin bool) (*Certificate, error) {
	c, err := s.Certificate(ctx, code)
	if err != nil {
		return nil, err
	}
	switch {
	case admin:
		return c, nil
	case c.UserID != viewerID:
		return nil, fmt.Errorf("certificates: download %s: %w", c.Code, ErrNotFound)
	case c.RevokedAt != nil:
		return nil, fmt.Errorf("certificates: download %s: %w", c.Code, ErrRevoked)
	}
	return c, nil
}

// Document returns what the PDF of c is drawn from: its snapshot and
// signature, the issuer's look it was issued with and the site's address.
// Its Hash names the PDF; compare it with a browser's ETag before drawing
// anything.
func (s *Service) Document(ctx context.Context, c *Certificate) (Document, error) {
	snap := c.Snapshot()
	images, err := s.images.get(ctx, NewStore(s.db), snap.Look.sums())
	if err != nil {
		return Document{}, fmt.Errorf("certificates: images of %s: %w", c.Code, err)
	}
	iss, err := snap.Look.issuer(snap.IssuerName, images)
	if err != nil {
		return Document{}, fmt.Errorf("certificates: look of %s: %w", c.Code, err)
	}
	return Document{Snapshot: snap, Issuer: iss, BaseURL: s.baseURL, Signature: c.Signature, Location: s.loc}, nil
}

// imageBytes keeps the bytes of stored issuer images in the process. An
// image is named by its hash, so a cached copy is never stale; an issuer
// has a logo and a signature or two, and certificates issued over the
// years a few more, so a small cache holds them all.
type imageBytes struct {
	mu sync.Mutex
	m  map[string][]byte
}

const imageBytesSize = 32

// get returns the bytes of the images with the given hashes, reading the
// ones it lacks from st.
func (c *imageBytes) get(ctx context.Context, st *Store, sums []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(sums))
	var missing []string
	c.mu.Lock()
	for _, sum := range sums {
		if b, ok := c.m[sum]; ok {
			out[sum] = b
		} else {
			missing = append(missing, sum)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	loaded, err := st.Images(ctx, missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(loaded) > imageBytesSize {
		c.m = make(map[string][]byte, imageBytesSize)
	}
	for sum, b := range loaded {
		c.m[sum] = b
		out[sum] = b
	}
	return out, nil
}

// PDF returns the PDF of d, drawn once and then served from a cache keyed
// by hash, which must be d.Hash(). The bytes are shared with the cache:
// never modify them.
func (s *Service) PDF(d Document, hash string) ([]byte, error) {
	if pdf, ok := s.pdfs.get(hash); ok {
		return pdf, nil
	}
	pdf, err := s.render(d)
	if err != nil {
		return nil, err
	}
	s.pdfs.put(hash, pdf)
	return pdf, nil
}

// render draws d without the cache.
func (s *Service) render(d Document) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(64 << 10)
	if err := s.renderer.Render(&b, d); err != nil {
		return nil, err
	}
	// The buffer grew past the PDF (64 kB at least, often twice the
	// PDF's size): kept as it is, every cached PDF held its whole buffer,
	// and a 64 MB cache about 250 MB of heap (bench at scale, peak RSS
	// 340 MB after drawing 2,400 certificates). An exact copy costs a
	// fraction of drawing it.
	return bytes.Clone(b.Bytes()), nil
}

// FileName is the name a certificate's PDF is saved under.
func FileName(c *Certificate) string { return c.Code + ".pdf" }
