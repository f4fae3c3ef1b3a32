package certificates

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestCanonicalWithExpiry: a certificate that expires signs its expiry as
// a last member, in the bytes Python writes for the same object; one that
// never expires signs exactly what every certificate signed before did.
func TestCanonicalWithExpiry(t *testing.T) {
	p := samplePayload()
	exp := time.Date(2027, time.November, 27, 0, 0, 0, 0, time.UTC)
	p.ExpiresAt = &exp
	want, err := os.ReadFile("testdata/canonical_python_expiry.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Canonical(); string(got) != string(want) {
		t.Errorf("Canonical() =\n%s\nwant\n%s", got, want)
	}
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	sig := Sign(priv, p)
	later := exp.AddDate(5, 0, 0)
	for name, change := range map[string]func(*Payload){
		"later expiry": func(p *Payload) { p.ExpiresAt = &later },
		"no expiry":    func(p *Payload) { p.ExpiresAt = nil },
	} {
		altered := p
		change(&altered)
		if err := Verify(pub, altered, sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Verify = %v, want ErrBadSignature", name, err)
		}
	}
	// The PDF's credential and a verify response carry it, and read back.
	back, backSig, err := ParseCredential(Credential(p, sig))
	if err != nil || Verify(pub, back, backSig) != nil || back.ExpiresAt == nil || !back.ExpiresAt.Equal(exp) {
		t.Errorf("credential with expiry does not round-trip: %+v %v", back, err)
	}
	resp := `{"code":"AULA-7KM3-Q9XH-2P","status":"valid","holder_name":"João da Conceição Peña",` +
		`"course_title":"Protección Social Básica","workload_hours":40,"issued_at":"2026-11-27T14:03:09Z",` +
		`"institution":"Ministério do Desenvolvimento Social","issuer":"Aula — Escuela de Protección Social",` +
		`"expires_at":"2027-11-26T21:00:00-03:00","signature":"` + sig + `"}`
	if back, backSig, err := ParseCredential(resp); err != nil || Verify(pub, back, backSig) != nil {
		t.Errorf("verify response with expiry does not verify (%v)", err)
	}
	// Without expiry: the published test vector's bytes, unchanged.
	if !strings.HasSuffix(string(samplePayload().Canonical()), `"issuer":"Aula — Escuela de Protección Social"}`) {
		t.Errorf("a payload without expiry changed: %s", samplePayload().Canonical())
	}
}

// TestPayloadSignsExpiryFromVersion2: certificates of the first layout were
// signed without their expiry and keep verifying; new ones sign it.
func TestPayloadSignsExpiryFromVersion2(t *testing.T) {
	s := testDocument(Spanish).Snapshot
	exp := time.Date(2027, time.November, 27, 0, 0, 0, 0, time.UTC)
	s.ExpiresAt = &exp
	if p := s.Payload(); p.ExpiresAt == nil || !p.ExpiresAt.Equal(exp) {
		t.Errorf("version %d payload without expiry: %+v", s.TemplateVersion, p)
	}
	old := s
	old.TemplateVersion = 1
	if p := old.Payload(); p.ExpiresAt != nil {
		t.Errorf("version 1 payload signs the expiry: %s", p.Canonical())
	}
	if err := old.Validate(); err != nil {
		t.Errorf("a version 1 snapshot no longer renders: %v", err)
	}
}

// TestRenderPrintsExpiry: the expiry date is on the page in the
// certificate's language, and in the credential its metadata carries.
func TestRenderPrintsExpiry(t *testing.T) {
	for lang, want := range map[string]string{
		Spanish:    "Vence el 27 de noviembre de 2027",
		Portuguese: "Expira em 27 de novembro de 2027",
		English:    "Expires on 27 November 2027",
	} {
		d := testDocument(lang)
		if text := readText(t, render(t, d)); strings.Contains(text, want) {
			t.Errorf("%s: a certificate without expiry prints %q", lang, want)
		}
		exp := time.Date(2027, time.November, 27, 0, 0, 0, 0, time.UTC)
		d.Snapshot.ExpiresAt = &exp
		d.Signature = Sign(testKey, d.Snapshot.Payload())
		path := render(t, d)
		if text := readText(t, path); !strings.Contains(text, want) {
			t.Errorf("%s: PDF text lacks %q; it reads:\n%s", lang, want, text)
		}
		info := poppler(t, "pdfinfo", "-enc", "UTF-8", path)
		if !strings.Contains(info, `"expires_at":"2027-11-27T00:00:00Z","signature":"`) {
			t.Errorf("%s: the credential does not sign the expiry:\n%s", lang, info)
		}
	}
}

// TestIssuedExpiryIsSignedAndPrinted: a course valid for 12 months gives a
// certificate whose stored signature covers its expiry and whose PDF
// prints it.
func TestIssuedExpiryIsSignedAndPrinted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.Set(time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC))
	u := f.user("Vence Peña")
	twelve := 12
	c, mods := f.course(1, &twelve)
	f.complete(u, c, mods)
	cert := f.certificatesOf(u.ID, c.ID)[0]
	p := cert.Snapshot().Payload()
	if want := time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC); p.ExpiresAt == nil || !p.ExpiresAt.Equal(want) {
		t.Fatalf("signed payload %s, want expiry %v", p.Canonical(), want)
	}
	pub, err := f.svc.PublicKey(ctx, cert.KeyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, p, cert.Signature); err != nil {
		t.Errorf("stored signature does not cover the expiry: %v", err)
	}
	d, err := f.svc.Document(ctx, &cert)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := f.svc.PDF(d, d.Hash())
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/c.pdf"
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if text := readText(t, path); !strings.Contains(text, "Vence el 3 de marzo de 2027") {
		t.Errorf("PDF lacks the expiry:\n%s", text)
	}
}
