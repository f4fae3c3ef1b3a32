package certificates

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // Issuer images may be JPEG
	_ "image/png"  // or PNG
	"strconv"
	"strings"
	"time"
)

// Languages a certificate can be written in, as stored in Snapshot.Language.
const (
	Spanish    = "es"
	Portuguese = "pt"
	English    = "en"
)

// TemplateVersion is the certificate layout Render draws. A new Snapshot
// records it so that a future layout can tell old certificates apart.
//
//   - 1: the first layout. Its signed payload has no expiry.
//   - 2: the expiry date is printed and signed (Payload.ExpiresAt).
const TemplateVersion = 2

// signedExpirySince is the first template version whose payload signs
// the expiry: certificates of version 1 were signed without it and must
// keep verifying.
const signedExpirySince = 2

// renderRevision changes whenever Render's output changes for the same
// inputs (a layout fix, new fonts), so cached PDFs keyed by Document.Hash
// are drawn again.
const renderRevision = 2

// Snapshot is the immutable record of everything a certificate states, taken
// when it is issued. Renaming a course or a learner later does not change a
// certificate already given, so the PDF is drawn from the snapshot, never
// from live data.
type Snapshot struct {
	Code          string `json:"code"` // as given by NewCode
	HolderName    string `json:"holder_name"`
	CourseTitle   string `json:"course_title"`
	WorkloadHours int    `json:"workload_hours"` // 0 leaves the workload off the certificate
	// CompletedAt is a date: the certificate prints its calendar day in its
	// own location.
	CompletedAt     time.Time `json:"completed_at"`
	IssuedAt        time.Time `json:"issued_at"`
	Institution     string    `json:"institution"` // the holder's institution; optional
	IssuerName      string    `json:"issuer_name"` // the organisation granting the certificate
	Language        string    `json:"language"`    // Spanish, Portuguese or English
	TemplateVersion int       `json:"template_version"`
	// ExpiresAt is a date, like CompletedAt: the day the certificate stops
	// standing (CompletedAt plus the course's validity), nil for never.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Kind says whether the certificate is of a course completed or an
	// event attended; StartedAt is an event's first day, a date like
	// CompletedAt (its last), nil for a completion.
	Kind      Kind       `json:"kind"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	// Look is how the issuer's settings made the certificate look when it
	// was issued; later settings do not change it (only a reissue that
	// asks for them does). The wording is the template version's.
	Look Look `json:"look"`
}

// Look is the issuer's colour, logo and signatories as a certificate was
// issued with them. Images are named by the SHA-256 of their bytes, which
// are stored once however many certificates print them.
type Look struct {
	AccentColor string         `json:"accent_color"` // "#RRGGBB"; empty gives a dark blue
	LogoSHA256  *string        `json:"logo_sha256,omitempty"`
	Signatories []SignatoryRef `json:"signatories,omitempty"` // at most two
}

// SignatoryRef is a signatory as a certificate records them.
type SignatoryRef struct {
	Name            string  `json:"name"`
	Title           string  `json:"title"`
	SignatureSHA256 *string `json:"signature_sha256"`
}

// LookOf returns the look iss gives a certificate, and the images it
// names by their hashes.
func LookOf(iss Issuer) (Look, map[string][]byte) {
	images := map[string][]byte{}
	ref := func(b []byte) *string {
		if len(b) == 0 {
			return nil
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])
		images[h] = b
		return &h
	}
	l := Look{AccentColor: iss.AccentColor, LogoSHA256: ref(iss.Logo), Signatories: []SignatoryRef{}}
	for _, sg := range iss.Signatories {
		l.Signatories = append(l.Signatories, SignatoryRef{Name: sg.Name, Title: sg.Title, SignatureSHA256: ref(sg.Signature)})
	}
	return l, images
}

// sums returns the hashes of every image l prints.
func (l Look) sums() []string {
	var out []string
	if l.LogoSHA256 != nil {
		out = append(out, *l.LogoSHA256)
	}
	for _, sg := range l.Signatories {
		if sg.SignatureSHA256 != nil {
			out = append(out, *sg.SignatureSHA256)
		}
	}
	return out
}

// issuer returns the Issuer that draws l, named name, with the image
// bytes taken from images; a missing image is an error.
func (l Look) issuer(name string, images map[string][]byte) (Issuer, error) {
	get := func(sum *string) ([]byte, error) {
		if sum == nil {
			return nil, nil
		}
		b, ok := images[*sum]
		if !ok {
			return nil, fmt.Errorf("certificates: image %s not stored", *sum)
		}
		return b, nil
	}
	logo, err := get(l.LogoSHA256)
	if err != nil {
		return Issuer{}, err
	}
	iss := Issuer{Name: name, Logo: logo, AccentColor: l.AccentColor}
	for _, sg := range l.Signatories {
		sig, err := get(sg.SignatureSHA256)
		if err != nil {
			return Issuer{}, err
		}
		iss.Signatories = append(iss.Signatories, Signatory{Name: sg.Name, Title: sg.Title, Signature: sig})
	}
	return iss, nil
}

// Issuer holds the issuing organisation's settings that shape a certificate's
// look. Unlike a Snapshot they may change; a certificate keeps the look
// they gave it when it was issued (Snapshot.Look).
type Issuer struct {
	// Name is the organisation's name, copied into Snapshot.IssuerName when a
	// certificate is issued; Render prints the snapshot's copy.
	Name        string
	Logo        []byte      // PNG or JPEG; optional
	AccentColor string      // "#RRGGBB"; empty gives a dark blue
	Signatories []Signatory // at most two
}

// Signatory is a person who signs certificates on the issuer's behalf.
type Signatory struct {
	Name      string
	Title     string // the position, e.g. "Directora académica"
	Signature []byte // PNG or JPEG image of the handwritten signature; optional
}

// Document is what one certificate PDF is drawn from.
type Document struct {
	Snapshot Snapshot
	Issuer   Issuer
	// BaseURL is the site's public root, e.g. "https://aula.example.org"; the
	// QR code and the printed link point to VerifyURL(BaseURL, Snapshot.Code).
	BaseURL string
	// Signature is Sign(key, Snapshot.Payload()); the PDF carries it with the
	// payload in its metadata (see Credential) for offline verification.
	Signature string
	// Location is the installation's time zone, in which the issue date is
	// printed (nil: UTC). The completion date is a calendar day already.
	Location *time.Location
}

// location returns where d's dates are printed.
func (d Document) location() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// ErrInvalidSnapshot reports a snapshot that cannot make a certificate, such
// as one without a holder name or in an unsupported language.
var ErrInvalidSnapshot = errors.New("certificates: invalid certificate snapshot")

// ErrInvalidIssuer reports unusable issuer settings: a malformed colour, an
// image that is neither PNG nor JPEG, more than two signatories.
var ErrInvalidIssuer = errors.New("certificates: invalid issuer settings")

// maxSignatories is how many signatures fit at the foot of the page.
const maxSignatories = 2

// defaultAccent is a dark blue that prints well in colour and in grey.
const defaultAccent = "#1F4E79"

// VerifyURL returns the public page that confirms a certificate, the QR
// code's target: base "https://aula.example.org" and code "AULA-7KM3-Q9XH-2P"
// give "https://aula.example.org/verify/AULA-7KM3-Q9XH-2P".
func VerifyURL(base, code string) string {
	return strings.TrimRight(base, "/") + "/verify/" + code
}

// Payload returns the facts of s that its signature covers. IssuedAt is cut
// to whole seconds in UTC, as it is signed, so that the payload's JSON and
// the verify endpoint show exactly the signed value.
func (s Snapshot) Payload() Payload {
	p := Payload{
		Code:          s.Code,
		HolderName:    s.HolderName,
		CourseTitle:   s.CourseTitle,
		WorkloadHours: s.WorkloadHours,
		IssuedAt:      s.IssuedAt.UTC().Truncate(time.Second),
		Institution:   s.Institution,
		Issuer:        s.IssuerName,
	}
	if s.ExpiresAt != nil && s.TemplateVersion >= signedExpirySince {
		exp := s.ExpiresAt.UTC().Truncate(time.Second)
		p.ExpiresAt = &exp
	}
	if s.Kind == KindParticipation {
		p.Kind, p.StartedAt = string(s.Kind), utcTime(s.StartedAt)
	}
	return p
}

// Validate reports, wrapping ErrInvalidSnapshot, the first reason s cannot
// be drawn as a certificate.
func (s Snapshot) Validate() error {
	var problem string
	switch {
	case s.Code == "":
		problem = "no code"
	case strings.TrimSpace(s.HolderName) == "":
		problem = "no holder name"
	case strings.TrimSpace(s.CourseTitle) == "":
		problem = "no course title"
	case s.WorkloadHours < 0:
		problem = "negative workload " + strconv.Itoa(s.WorkloadHours)
	case s.CompletedAt.IsZero():
		problem = "no completion date"
	case s.IssuedAt.IsZero():
		problem = "no issue date"
	case strings.TrimSpace(s.IssuerName) == "":
		problem = "no issuer name"
	case !supportedLanguage(s.Language):
		problem = fmt.Sprintf("unsupported language %q", s.Language)
	case s.TemplateVersion < 1 || s.TemplateVersion > TemplateVersion:
		problem = fmt.Sprintf("unknown template version %d", s.TemplateVersion)
	case s.ExpiresAt != nil && !s.ExpiresAt.After(s.CompletedAt):
		problem = "expires before it was completed"
	case s.Kind == KindParticipation && (s.StartedAt == nil || s.StartedAt.After(s.CompletedAt)):
		problem = "participation without a first day before its last"
	}
	if problem != "" {
		return fmt.Errorf("%w: certificate %q: %s", ErrInvalidSnapshot, s.Code, problem)
	}
	if code, err := NormalizeCode(s.Code); err != nil || code != s.Code {
		return fmt.Errorf("%w: malformed code %q", ErrInvalidSnapshot, s.Code)
	}
	return nil
}

// Validate reports, wrapping ErrInvalidIssuer, the first setting that would
// make Render fail. Check settings with it when they are saved, not when the
// first certificate is drawn.
func (iss Issuer) Validate() error {
	if _, err := parseColor(iss.AccentColor); err != nil {
		return err
	}
	if len(iss.Signatories) > maxSignatories {
		return fmt.Errorf("%w: %d signatories, at most %d fit", ErrInvalidIssuer, len(iss.Signatories), maxSignatories)
	}
	if len(iss.Logo) > 0 {
		if err := checkImage(iss.Logo); err != nil {
			return fmt.Errorf("%w: logo: %w", ErrInvalidIssuer, err)
		}
	}
	for i, sg := range iss.Signatories {
		if strings.TrimSpace(sg.Name) == "" {
			return fmt.Errorf("%w: signatory %d has no name", ErrInvalidIssuer, i+1)
		}
		if len(sg.Signature) > 0 {
			if err := checkImage(sg.Signature); err != nil {
				return fmt.Errorf("%w: signature of %s: %w", ErrInvalidIssuer, sg.Name, err)
			}
		}
	}
	return nil
}

// checkImage accepts PNG and JPEG images that decode.
func checkImage(b []byte) error {
	_, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("not a PNG or JPEG image: %w", err)
	}
	if format != "png" && format != "jpeg" {
		return fmt.Errorf("%s image, want PNG or JPEG", format)
	}
	return nil
}

// parseColor reads "#RRGGBB"; the empty string gives defaultAccent.
func parseColor(s string) (rgb, error) {
	if s == "" {
		s = defaultAccent
	}
	raw, err := hex.DecodeString(strings.TrimPrefix(s, "#"))
	if err != nil || len(raw) != 3 || !strings.HasPrefix(s, "#") {
		return rgb{}, fmt.Errorf("%w: accent colour %q, want #RRGGBB", ErrInvalidIssuer, s)
	}
	return rgb{int(raw[0]), int(raw[1]), int(raw[2])}, nil
}

// Hash identifies the PDF that Render draws from d: equal documents give
// equal hashes, and a change to anything the PDF shows or carries — a
// snapshot field, the logo, the colour, a signatory, the link, the
// signature, the renderer itself — gives a new one. Use it as the key of a
// PDF cache. It is 64 hexadecimal characters.
func (d Document) Hash() string {
	h := sha256.New()
	var n [8]byte
	// Every value is length-prefixed so that no two documents' fields can
	// run together into the same bytes.
	raw := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	str := func(s string) { raw([]byte(s)) }
	num := func(i int) { str(strconv.Itoa(i)) }
	str("aula certificate pdf")
	num(renderRevision)
	s := d.Snapshot
	str(s.Code)
	str(s.HolderName)
	str(s.CourseTitle)
	num(s.WorkloadHours)
	str(s.CompletedAt.Format(time.RFC3339Nano))
	str(s.IssuedAt.Format(time.RFC3339Nano))
	str(d.location().String())
	str(s.Institution)
	str(s.IssuerName)
	str(s.Language)
	num(s.TemplateVersion)
	if s.ExpiresAt != nil {
		str(s.ExpiresAt.Format(time.RFC3339Nano))
	} else {
		str("")
	}
	if s.Kind == KindParticipation && s.StartedAt != nil { // completions keep the hashes they had
		str(string(s.Kind))
		str(s.StartedAt.Format(time.RFC3339Nano))
	}
	str(d.Issuer.Name)
	raw(d.Issuer.Logo)
	str(d.Issuer.AccentColor)
	num(len(d.Issuer.Signatories))
	for _, sg := range d.Issuer.Signatories {
		str(sg.Name)
		str(sg.Title)
		raw(sg.Signature)
	}
	str(VerifyURL(d.BaseURL, s.Code))
	str(d.Signature)
	return hex.EncodeToString(h.Sum(nil))
}
