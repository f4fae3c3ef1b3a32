package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// TestExpiryOnThePDFAndSigned: a certificate of a course valid for a year
// prints its expiry date in its language, and an outside verifier checks
// the expiry with the signature, from the verify answer and from the PDF.
func TestExpiryOnThePDFAndSigned(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	if _, err := e.db.NewUpdate().Model((*courses.Course)(nil)).Set("certificate_validity_months = 12").
		Where("id = ?", c.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	holder := e.learner("Vence Conceição")
	code := e.complete(holder, c, mods)

	v := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	wantStatus(t, v, http.StatusOK)
	var got struct {
		ExpiresAt  *string `json:"expires_at"`
		Credential string  `json:"credential"`
		KeyID      int64   `json:"key_id"`
		PublicKey  string  `json:"public_key"`
	}
	decode(t, v, &got)
	if got.ExpiresAt == nil || !strings.Contains(got.Credential, `"expires_at":"`+*got.ExpiresAt+`"`) {
		t.Fatalf("the credential does not carry the expiry: %s", v.body)
	}
	pub, err := certificates.ParsePublicKey(got.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, cred := range map[string]string{"verify answer": v.body, "credential": got.Credential} {
		p, sig, err := certificates.ParseCredential(cred)
		if err != nil || certificates.Verify(pub, p, sig) != nil {
			t.Errorf("%s does not verify (%v)", name, err)
		}
		later := p.ExpiresAt.AddDate(10, 0, 0)
		p.ExpiresAt = &later
		if certificates.Verify(pub, p, sig) == nil {
			t.Errorf("%s: a later expiry keeps the signature valid", name)
		}
	}

	pdf := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", e.tokenFor(holder), nil)
	wantStatus(t, pdf, http.StatusOK)
	text := pdfText(t, []byte(pdf.body))
	cert, err := e.certs.Certificate(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Vence el " + certificates.FormatDate(cert.ExpiresAt.UTC(), "es"); !strings.Contains(text, want) {
		t.Errorf("PDF lacks %q:\n%s", want, text)
	}
}
