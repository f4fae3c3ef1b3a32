package certificates

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// maxReasonRunes caps the reason given for a revocation or a correction.
const maxReasonRunes = 1000

// Revoke revokes the certificate with code, for a reason that the verify
// page shows. The record stays: the certificate keeps its code and
// snapshot, and verifying it says "revoked", when and why. Revoking twice
// is ErrRevoked.
func (s *Service) Revoke(ctx context.Context, code string, by int64, reason string) (*Certificate, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	code, err = NormalizeCode(code)
	if err != nil {
		return nil, ErrNotFound
	}
	var c *Certificate
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		var err error
		if c, err = st.LockCertificate(ctx, code); err != nil {
			return err
		}
		if c.RevokedAt != nil {
			return ErrRevoked
		}
		now := s.now()
		c.RevokedAt, c.RevokedBy, c.RevokeReason = &now, &by, &reason
		if err := st.UpdateCertificate(ctx, c, "revoked_at", "revoked_by", "revoke_reason"); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, &Event{CertificateID: c.ID, Kind: EventRevoked, ActorID: &by, At: now, Reason: reason}); err != nil {
			return err
		}
		return s.changed(ctx, tx, EventRevoked, c, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: revoke %s: %w", code, err)
	}
	return c, nil
}

// ReissueParams are the corrections of a reissue. A nil field keeps its
// value.
type ReissueParams struct {
	HolderName  *string
	CourseTitle *string
	Institution *string
	// CurrentIssuer redraws the certificate with the issuer's current name
	// and look (colour, logo, signatories) instead of those it was issued
	// with; the audit trail records what they changed.
	CurrentIssuer bool
	// Reason says why, for the audit trail (required).
	Reason string
}

// Reissue corrects a certificate — most often the spelling of its holder's
// name — keeping its code, so links and QR codes already shared still
// work. The snapshot is replaced and signed again with the current key,
// the revision grows, and the audit trail records who changed what, from
// what, when and why. The verify page then shows the corrected snapshot
// and says the certificate was reissued; a PDF printed before no longer
// matches it. A reissue may also take the issuer's current name and look
// (CurrentIssuer), the one way a certificate's look changes after issue. A revoked certificate cannot be reissued (ErrRevoked); one
// without a change is ErrNoChange.
func (s *Service) Reissue(ctx context.Context, code string, by int64, p ReissueParams) (*Certificate, error) {
	reason, err := checkReason(p.Reason)
	if err != nil {
		return nil, err
	}
	code, err = NormalizeCode(code)
	if err != nil {
		return nil, ErrNotFound
	}
	var c *Certificate
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		var err error
		if c, err = st.LockCertificate(ctx, code); err != nil {
			return err
		}
		if c.RevokedAt != nil {
			return ErrRevoked
		}
		changes := map[string]Change{}
		correct := func(field string, dst *string, v *string) {
			if v == nil {
				return
			}
			if nv := strings.Join(strings.Fields(*v), " "); nv != *dst {
				changes[field] = Change{From: *dst, To: nv}
				*dst = nv
			}
		}
		correct("holder_name", &c.HolderName, p.HolderName)
		correct("course_title", &c.CourseTitle, p.CourseTitle)
		correct("institution", &c.Institution, p.Institution)
		if p.CurrentIssuer {
			iss, err := s.issuerIn(ctx, tx)
			if err != nil {
				return err
			}
			restyle(c, iss, changes)
		}
		if len(changes) == 0 {
			return ErrNoChange
		}
		snap := c.Snapshot()
		if err := snap.Validate(); err != nil {
			return err
		}
		for field, ch := range changes {
			if utf8.RuneCountInString(ch.To) > 200 {
				return fmt.Errorf("%w: %s longer than 200 characters", ErrInvalidSnapshot, field)
			}
		}
		key, priv, err := currentKey(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		c.Signature, c.KeyID = Sign(priv, snap.Payload()), key.ID
		c.Revision++
		c.ReissuedAt = &now
		if err := st.UpdateCertificate(ctx, c, "holder_name", "course_title", "institution", "issuer_name",
			"accent_color", "logo_sha256", "signatories", "signature", "key_id", "revision", "reissued_at"); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, &Event{CertificateID: c.ID, Kind: EventReissued, ActorID: &by, At: now, Reason: reason, Changes: changes}); err != nil {
			return err
		}
		return s.changed(ctx, tx, EventReissued, c, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: reissue %s: %w", code, err)
	}
	return c, nil
}

// restyle gives c the issuer's current name and look, adding to changes
// what differs from the ones it was issued with.
func restyle(c *Certificate, iss *IssuerSettings, changes map[string]Change) {
	old := c.Snapshot().Look
	look, _ := LookOf(iss.Issuer)
	for field, ch := range map[string]Change{
		"issuer_name":  {From: c.IssuerName, To: iss.Name},
		"accent_color": {From: old.AccentColor, To: look.AccentColor},
		"logo":         {From: shortSum(old.LogoSHA256), To: shortSum(look.LogoSHA256)},
		"signatories":  {From: describeSignatories(old.Signatories), To: describeSignatories(look.Signatories)},
	} {
		if ch.From != ch.To {
			changes[field] = ch
		}
	}
	c.IssuerName = iss.Name
	c.AccentColor, c.LogoSHA256, c.Signatories = look.AccentColor, look.LogoSHA256, look.Signatories
}

// shortSum names an image in the audit trail by the start of its hash.
func shortSum(sum *string) string {
	if sum == nil {
		return ""
	}
	return "sha256:" + (*sum)[:12]
}

// describeSignatories writes signatories for the audit trail, with their
// images, so a new signature image under the same name shows as a change.
func describeSignatories(list []SignatoryRef) string {
	parts := make([]string, len(list))
	for i, sg := range list {
		parts[i] = sg.Name
		if sg.Title != "" {
			parts[i] += " (" + sg.Title + ")"
		}
		if sg.SignatureSHA256 != nil {
			parts[i] += " " + shortSum(sg.SignatureSHA256)
		}
	}
	return strings.Join(parts, "; ")
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", ErrInvalidReason
	}
	if utf8.RuneCountInString(reason) > maxReasonRunes {
		return "", fmt.Errorf("%w: at most %d characters", ErrInvalidReason, maxReasonRunes)
	}
	return reason, nil
}
