package certificates

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Payload is what a certificate's signature vouches for: the facts a reader
// of the certificate relies on. Its JSON form carries the same field names
// as GET /api/v1/verify/{code}. The signed bytes are Canonical(), never
// whatever a JSON library happens to produce; docs/certificate-signature.md
// describes them for verifiers in other languages.
type Payload struct {
	Code          string    `json:"code"`
	HolderName    string    `json:"holder_name"`
	CourseTitle   string    `json:"course_title"`
	WorkloadHours int       `json:"workload_hours"`
	IssuedAt      time.Time `json:"issued_at"` // signed as RFC 3339 UTC, whole seconds
	Institution   string    `json:"institution"`
	Issuer        string    `json:"issuer"`
	// ExpiresAt is the first day the certificate no longer stands; nil for
	// a certificate that never expires, whose signed bytes then have no
	// expires_at member at all (as every certificate signed before expiry
	// was signed).
	ExpiresAt *time.Time `json:"expires_at"`
	// Kind is "participation" for a certificate of participation, whose
	// signed bytes then end with kind and started_at (its first day);
	// empty (or "completion") for a completion, signed without either.
	Kind      string     `json:"kind,omitempty"`
	StartedAt *time.Time `json:"started_at,omitempty"`
}

// ErrBadSignature reports a signature that does not match its payload and
// key: the certificate was altered or was not issued with this key.
var ErrBadSignature = errors.New("certificates: signature does not match")

// ErrInvalidKey reports an encoded key that cannot be decoded.
var ErrInvalidKey = errors.New("certificates: invalid signing key")

// Canonical returns the one byte sequence that is signed: a JSON object with
// the keys code, holder_name, course_title, workload_hours, issued_at,
// institution, issuer in that order, then expires_at only when the
// certificate expires, then for a certificate of participation only
// "kind":"participation" and started_at, no whitespace, strings as UTF-8 with
// only '"', '\\' and control characters escaped (\b \t \n \f \r, others
// \u00xx), workload_hours as a decimal integer and issued_at as
// "2006-01-02T15:04:05Z" in UTC (expires_at too). Python's
// json.dumps(obj, ensure_ascii=False, separators=(",", ":")) writes the same
// bytes. Invalid UTF-8 is written as U+FFFD.
func (p Payload) Canonical() []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"code":`...)
	b = appendJSONString(b, p.Code)
	b = append(b, `,"holder_name":`...)
	b = appendJSONString(b, p.HolderName)
	b = append(b, `,"course_title":`...)
	b = appendJSONString(b, p.CourseTitle)
	b = append(b, `,"workload_hours":`...)
	b = strconv.AppendInt(b, int64(p.WorkloadHours), 10)
	b = append(b, `,"issued_at":`...)
	b = appendJSONString(b, canonicalTime(p.IssuedAt))
	b = append(b, `,"institution":`...)
	b = appendJSONString(b, p.Institution)
	b = append(b, `,"issuer":`...)
	b = appendJSONString(b, p.Issuer)
	if p.ExpiresAt != nil {
		b = append(b, `,"expires_at":`...)
		b = appendJSONString(b, canonicalTime(*p.ExpiresAt))
	}
	if p.Kind == string(KindParticipation) && p.StartedAt != nil {
		b = append(b, `,"kind":"participation","started_at":`...)
		b = appendJSONString(b, canonicalTime(*p.StartedAt))
	}
	return append(b, '}')
}

// canonicalTime drops what a JSON round trip or a database may not keep
// (sub-second digits, the location) so a verifier can rebuild the same text.
func canonicalTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

// Sign signs p.Canonical() with Ed25519 and returns the signature in
// unpadded base64url (86 characters). Ed25519 is deterministic: the same key
// and payload always give the same signature.
func Sign(priv ed25519.PrivateKey, p Payload) string {
	return base64.RawURLEncoding.EncodeToString(ed25519.Sign(priv, p.Canonical()))
}

// Verify checks that sig, as returned by Sign, is pub's signature of p. It
// returns ErrBadSignature when the payload was changed, the signature was
// made with another key, or sig is not a signature at all.
func Verify(pub ed25519.PublicKey, p Payload, sig string) error {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(sig, "="))
	if err != nil || len(raw) != ed25519.SignatureSize {
		return fmt.Errorf("%w: malformed signature for %s", ErrBadSignature, p.Code)
	}
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("certificates: verify %s: %w: public key of %d bytes", p.Code, ErrInvalidKey, len(pub))
	}
	if !ed25519.Verify(pub, p.Canonical(), raw) {
		return fmt.Errorf("%w: certificate %s", ErrBadSignature, p.Code)
	}
	return nil
}

// GenerateKey returns a new Ed25519 signing key from crypto/rand. Its
// public half is priv.Public().(ed25519.PublicKey).
func GenerateKey() ed25519.PrivateKey {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		// crypto/rand cannot fail since Go 1.24; keep the check for readers.
		panic(fmt.Sprintf("certificates: generate key: %v", err))
	}
	return priv
}

// EncodePrivateKey returns priv's 32-byte seed as unpadded base64url, the
// form to store. Treat it like a password: whoever has it can issue
// certificates that verify.
func EncodePrivateKey(priv ed25519.PrivateKey) string {
	return base64.RawURLEncoding.EncodeToString(priv.Seed())
}

// ParsePrivateKey decodes a key written by EncodePrivateKey.
func ParsePrivateKey(s string) (ed25519.PrivateKey, error) {
	seed, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: private key is not a base64url 32-byte seed", ErrInvalidKey)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// EncodePublicKey returns pub's 32 bytes as unpadded base64url, the form
// GET /api/v1/verify/key publishes.
func EncodePublicKey(pub ed25519.PublicKey) string {
	return base64.RawURLEncoding.EncodeToString(pub)
}

// ParsePublicKey decodes a key written by EncodePublicKey or PublicKeyPEM.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if block, _ := pem.Decode([]byte(s)); block != nil {
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if pub, ok := key.(ed25519.PublicKey); err == nil && ok {
			return pub, nil
		}
		return nil, fmt.Errorf("%w: PEM block is not an Ed25519 public key", ErrInvalidKey)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: public key is not base64url of 32 bytes", ErrInvalidKey)
	}
	return ed25519.PublicKey(raw), nil
}

// PublicKeyPEM returns pub as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo), the
// form openssl and most crypto libraries read.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		// Only unknown key types fail; an ed25519.PublicKey never does.
		panic(fmt.Sprintf("certificates: encode public key: %v", err))
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// Credential is the self-contained, signed form of a certificate that the
// PDF carries in its metadata: p.Canonical() with a last "signature" member
// added, e.g. {"code":"AULA-…",…,"issuer":"…","signature":"…"}. It has the
// shape of GET /api/v1/verify/{code} (less "status"), so one verifier reads
// both.
func Credential(p Payload, sig string) string {
	c := p.Canonical()
	c = append(c[:len(c)-1], `,"signature":`...)
	c = appendJSONString(c, sig)
	return string(append(c, '}'))
}

// ParseCredential splits a Credential (or a verify response) into the
// payload and signature to pass to Verify.
func ParseCredential(s string) (Payload, string, error) {
	var c struct {
		Payload
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return Payload{}, "", fmt.Errorf("certificates: parse credential: %w", err)
	}
	if c.Signature == "" {
		return Payload{}, "", fmt.Errorf("certificates: parse credential: %w: no signature", ErrBadSignature)
	}
	return c.Payload, c.Signature, nil
}
