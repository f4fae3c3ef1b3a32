package certificates

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// IssuerSettings are the issuing organisation's stored settings.
type IssuerSettings struct {
	Issuer
	// Version grows with every save; cached copies compare it.
	Version   int64
	UpdatedAt time.Time
}

// Signatory returns the signatory printed in position i (0 or 1), or the
// zero Signatory.
func (st *IssuerSettings) Signatory(i int) Signatory {
	if i < len(st.Signatories) {
		return st.Signatories[i]
	}
	return Signatory{}
}

// MaxImageBytes caps an uploaded logo or signature image. A certificate
// prints them a few centimetres wide: 2 MB is plenty for print quality.
const MaxImageBytes = 2 << 20

// IssuerParams are the settings an admin saves.
type IssuerParams struct {
	Name        string
	AccentColor string // "#RRGGBB", or "" for the default dark blue
	// Logo replaces the current logo when not nil; RemoveLogo drops it.
	Logo        []byte
	RemoveLogo  bool
	Signatories [maxSignatories]SignatoryParams
}

// SignatoryParams describe the signatory in one position. An empty Name
// leaves the position empty.
type SignatoryParams struct {
	Name  string
	Title string
	// Signature replaces the image of this position when not nil;
	// RemoveSignature drops it.
	Signature       []byte
	RemoveSignature bool
}

// IssuerSettings returns the current issuer settings. They are cached in the
// process and read again only when their version in the database changed,
// so drawing a PDF does not fetch the logo and signature images each time.
func (s *Service) IssuerSettings(ctx context.Context) (*IssuerSettings, error) {
	return s.issuerIn(ctx, s.db)
}

// issuerIn is IssuerSettings read in db, a transaction when issuing inside
// one.
func (s *Service) issuerIn(ctx context.Context, db bun.IDB) (*IssuerSettings, error) {
	version, err := NewStore(db).IssuerVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("issuer version: %w", err)
	}
	if cached := s.cachedIssuer(version); cached != nil {
		return cached, nil
	}
	st, err := loadIssuer(ctx, db)
	if err != nil {
		return nil, err
	}
	s.issuerMu.Lock()
	if s.issuer == nil || s.issuer.Version < st.Version {
		s.issuer = st
	}
	s.issuerMu.Unlock()
	return st, nil
}

// cachedIssuer returns the cached settings if they have the given version.
func (s *Service) cachedIssuer(version int64) *IssuerSettings {
	s.issuerMu.Lock()
	defer s.issuerMu.Unlock()
	if s.issuer != nil && version != 0 && s.issuer.Version == version {
		return s.issuer
	}
	return nil
}

// loadIssuer reads the settings in db.
func loadIssuer(ctx context.Context, db bun.IDB) (*IssuerSettings, error) {
	st, err := NewStore(db).Issuer(ctx)
	if err != nil {
		return nil, fmt.Errorf("load issuer: %w", err)
	}
	return st, nil
}

// SaveIssuer stores new issuer settings. They shape the certificates
// issued from now on; those issued before keep the name and look they were
// issued with, unless an admin reissues one with the current settings.
// Its images are stored by their hash too, for the certificates that will
// print them. Unusable settings —
// no name, a malformed colour, an image that is not a PNG or JPEG — are
// ErrInvalidIssuer and nothing is saved.
func (s *Service) SaveIssuer(ctx context.Context, p IssuerParams, by int64) (*IssuerSettings, error) {
	var saved *IssuerSettings
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if err := st.LockIssuer(ctx); err != nil {
			return err
		}
		cur, err := loadIssuer(ctx, tx)
		if err != nil {
			return err
		}
		next, err := p.apply(cur)
		if err != nil {
			return err
		}
		if err := st.SaveIssuer(ctx, next, by, s.now()); err != nil {
			return err
		}
		if _, images := LookOf(next); len(images) > 0 {
			if err := st.PutImages(ctx, images); err != nil {
				return err
			}
		}
		saved, err = loadIssuer(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: save issuer: %w", err)
	}
	return saved, nil
}

// apply returns cur changed by p, checked.
func (p IssuerParams) apply(cur *IssuerSettings) (Issuer, error) {
	next := Issuer{
		Name:        strings.TrimSpace(p.Name),
		AccentColor: strings.ToUpper(strings.TrimSpace(p.AccentColor)),
		Logo:        cur.Logo,
	}
	switch {
	case p.RemoveLogo:
		next.Logo = nil
	case p.Logo != nil:
		next.Logo = p.Logo
	}
	if len(next.Logo) > MaxImageBytes {
		return Issuer{}, fmt.Errorf("%w: the logo is larger than %d bytes", ErrInvalidIssuer, MaxImageBytes)
	}
	if next.Name == "" || utf8.RuneCountInString(next.Name) > 200 {
		return Issuer{}, fmt.Errorf("%w: the organisation's name must have 1 to 200 characters", ErrInvalidIssuer)
	}
	for i, sp := range p.Signatories {
		name := strings.TrimSpace(sp.Name)
		if name == "" {
			continue
		}
		sg := Signatory{Name: name, Title: strings.TrimSpace(sp.Title), Signature: cur.Signatory(i).Signature}
		if utf8.RuneCountInString(sg.Name) > 120 || utf8.RuneCountInString(sg.Title) > 120 {
			return Issuer{}, fmt.Errorf("%w: signatory %d: name and title have at most 120 characters", ErrInvalidIssuer, i+1)
		}
		switch {
		case sp.RemoveSignature:
			sg.Signature = nil
		case sp.Signature != nil:
			sg.Signature = sp.Signature
		}
		if len(sg.Signature) > MaxImageBytes {
			return Issuer{}, fmt.Errorf("%w: signature %d is larger than %d bytes", ErrInvalidIssuer, i+1, MaxImageBytes)
		}
		next.Signatories = append(next.Signatories, sg)
	}
	if err := next.Validate(); err != nil {
		return Issuer{}, err
	}
	return next, nil
}
