package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/certificates"
)

// verifyCertificate answers the public verification of a code (API).
func (s *server) verifyCertificate(c *fiber.Ctx) error {
	if err := s.verifyAllowed(c); err != nil {
		return err
	}
	v, err := s.certs.Lookup(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	cert := v.Certificate
	p := cert.Snapshot().Payload()
	c.Set(fiber.HeaderCacheControl, "no-store") // a revocation shows at once
	return c.JSON(verifyJSON{
		Code:             p.Code,
		Status:           string(v.Status),
		HolderName:       p.HolderName,
		CourseTitle:      p.CourseTitle,
		WorkloadHours:    p.WorkloadHours,
		IssuedAt:         p.IssuedAt,
		Institution:      p.Institution,
		Issuer:           p.Issuer,
		Signature:        cert.Signature,
		KeyID:            v.Key.ID,
		PublicKey:        v.Key.Public,
		Credential:       certificates.Credential(p, cert.Signature),
		CompletedOn:      cert.CompletedAt.UTC().Format(time.DateOnly),
		Language:         cert.Language,
		TemplateVersion:  cert.TemplateVersion,
		ExpiresAt:        utcTime(cert.ExpiresAt),
		RevokedAt:        utcTime(cert.RevokedAt),
		RevocationReason: cert.Reason(),
		Reissued:         cert.Reissued(),
		ReissuedAt:       utcTime(cert.ReissuedAt),
		Revision:         cert.Revision,
		VerifyURL:        s.certs.VerifyURL(cert.Code),
		Kind:             cert.Kind(),
		EventID:          cert.EventID,
		EventTitle:       eventTitleOf(cert),
		StartedAt:        p.StartedAt,
	})
}

// verifyKey publishes the current public key, and every key ever used in
// "keys" so that certificates signed before a rotation still verify (API).
func (s *server) verifyKey(c *fiber.Ctx) error {
	keys, err := s.certs.Keys(c.UserContext())
	if err != nil {
		return err
	}
	if len(keys) == 0 || keys[0].RetiredAt != nil {
		// Never after `aula serve` started; make the first key rather than fail.
		if _, err := s.certs.EnsureKey(c.UserContext()); err != nil {
			return err
		}
		if keys, err = s.certs.Keys(c.UserContext()); err != nil {
			return err
		}
	}
	out := struct {
		keyJSON
		Keys []keyJSON `json:"keys"`
	}{}
	for _, k := range keys {
		pub, err := certificates.ParsePublicKey(k.Public)
		if err != nil {
			return err
		}
		out.Keys = append(out.Keys, keyJSON{KeyID: k.ID, Algorithm: "Ed25519", PublicKey: k.Public,
			PublicKeyPEM: certificates.PublicKeyPEM(pub), CreatedAt: k.CreatedAt.UTC(), RetiredAt: utcTime(k.RetiredAt)})
	}
	out.keyJSON = out.Keys[0]
	// Briefly cacheable: after a rotation, new certificates name a key that
	// clients must be able to fetch soon.
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.JSON(out)
}
