package certificates

import (
	"bytes"
	"context"
	"fmt"
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
// signature, the current issuer settings and the site's address. Its Hash
// names the PDF; compare it with a browser's ETag before drawing anything.
func (s *Service) Document(ctx context.Context, c *Certificate) (Document, error) {
	iss := s.cachedIssuer(c.IssuerVersion)
	if iss == nil {
		var err error
		if iss, err = s.IssuerSettings(ctx); err != nil {
			return Document{}, err
		}
	}
	return s.document(c, iss), nil
}

func (s *Service) document(c *Certificate, iss *IssuerSettings) Document {
	return Document{Snapshot: c.Snapshot(), Issuer: iss.Issuer, BaseURL: s.baseURL, Signature: c.Signature, Location: s.loc}
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
	return b.Bytes(), nil
}

// FileName is the name a certificate's PDF is saved under.
func FileName(c *Certificate) string { return c.Code + ".pdf" }
