package certificates

import (
	"context"
	"time"
)

// IssuerVersion returns the version of the issuer settings.
func (s *Store) IssuerVersion(ctx context.Context) (int64, error) {
	var version int64
	err := s.db.NewSelect().Model((*issuerRow)(nil)).Column("version").Scan(ctx, &version)
	return version, err
}

// Issuer returns the issuer settings with their signatories.
func (s *Store) Issuer(ctx context.Context) (*IssuerSettings, error) {
	row := new(issuerRow)
	if err := s.db.NewSelect().Model(row).Scan(ctx); err != nil {
		return nil, err
	}
	var sigs []signatoryRow
	if err := s.db.NewSelect().Model(&sigs).Order("sig.position").Scan(ctx); err != nil {
		return nil, err
	}
	st := &IssuerSettings{
		Issuer:    Issuer{Name: row.Name, Logo: row.Logo, AccentColor: row.AccentColor},
		Version:   row.Version,
		UpdatedAt: row.UpdatedAt,
	}
	for _, sg := range sigs {
		st.Signatories = append(st.Signatories, Signatory{Name: sg.Name, Title: sg.Title, Signature: sg.Signature})
	}
	return st, nil
}

// LockIssuer locks the issuer settings for the rest of the transaction.
func (s *Store) LockIssuer(ctx context.Context) error {
	_, err := s.db.NewSelect().Model((*issuerRow)(nil)).Column("version").For("UPDATE").Exec(ctx)
	return err
}

// SaveIssuer replaces the issuer settings and signatories with iss, by
// whom and when, and counts one more version.
func (s *Store) SaveIssuer(ctx context.Context, iss Issuer, by int64, now time.Time) error {
	if _, err := s.db.NewUpdate().Model((*issuerRow)(nil)).
		Set("name = ?, accent_color = ?, logo = ?, updated_by = ?", iss.Name, iss.AccentColor, iss.Logo, by).
		Set("version = version + 1, updated_at = ?", now).Where("id").Exec(ctx); err != nil {
		return err
	}
	if _, err := s.db.NewDelete().Model((*signatoryRow)(nil)).Where("true").Exec(ctx); err != nil {
		return err
	}
	for i, sg := range iss.Signatories {
		r := &signatoryRow{Position: i + 1, Name: sg.Name, Title: sg.Title, Signature: sg.Signature}
		if _, err := s.db.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
