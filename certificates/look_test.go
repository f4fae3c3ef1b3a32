package certificates

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pdfTextOf draws c's PDF as the download would and returns its text.
func (f *fixture) pdfTextOf(c *Certificate) (string, string) {
	f.t.Helper()
	ctx := context.Background()
	cur, err := f.svc.Certificate(ctx, c.Code)
	if err != nil {
		f.t.Fatal(err)
	}
	d, err := f.svc.Document(ctx, cur)
	if err != nil {
		f.t.Fatal(err)
	}
	pdf, err := f.svc.PDF(d, d.Hash())
	if err != nil {
		f.t.Fatal(err)
	}
	path := filepath.Join(f.t.TempDir(), "c.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		f.t.Fatal(err)
	}
	return readText(f.t, path), d.Hash()
}

// TestLookIsFrozenAtIssue: a certificate keeps the issuer's name, colour,
// logo and signatories it was issued with when the settings change later;
// new certificates take the new settings; a reissue that asks for them
// redraws an old one and records what changed.
func TestLookIsFrozenAtIssue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.admin()
	if _, err := f.svc.SaveIssuer(ctx, IssuerParams{Name: "Escuela de Protección Social", AccentColor: "#7A1F1F", Logo: testLogo(),
		Signatories: [2]SignatoryParams{{Name: "Ana Beatriz Souza", Title: "Directora académica", Signature: testSignature()}}}, admin.ID); err != nil {
		t.Fatal(err)
	}
	c, mods := f.course(1, nil)
	u := f.user("João Conceição")
	f.complete(u, c, mods)
	old := f.certificatesOf(u.ID, c.ID)[0]
	before, beforeHash := f.pdfTextOf(&old)
	if !strings.Contains(before, "Ana Beatriz Souza") || !strings.Contains(before, "Escuela de Protección Social") {
		t.Fatalf("first PDF reads:\n%s", before)
	}

	if _, err := f.svc.SaveIssuer(ctx, IssuerParams{Name: "Instituto Nacional de Seguridad Social", AccentColor: "#1F7A3A",
		RemoveLogo: true, Signatories: [2]SignatoryParams{{Name: "Carlos Muñoz", Title: "Coordinador", Signature: testSignature()}}}, admin.ID); err != nil {
		t.Fatal(err)
	}
	after, afterHash := f.pdfTextOf(&old)
	if after != before || afterHash != beforeHash {
		t.Errorf("new issuer settings redrew a certificate already given:\n%s", after)
	}
	if strings.Contains(after, "Carlos Muñoz") {
		t.Errorf("the old certificate prints the new signatory")
	}

	u2 := f.user("Maria Peña")
	f.complete(u2, c, mods)
	fresh := f.certificatesOf(u2.ID, c.ID)[0]
	if text, _ := f.pdfTextOf(&fresh); !strings.Contains(text, "Carlos Muñoz") || !strings.Contains(text, "Instituto Nacional de Seguridad Social") ||
		strings.Contains(text, "Ana Beatriz Souza") {
		t.Errorf("a new certificate does not take the new settings:\n%s", text)
	}
	if fresh.IssuerName != "Instituto Nacional de Seguridad Social" || fresh.AccentColor != "#1F7A3A" || fresh.LogoSHA256 != nil {
		t.Errorf("new certificate's look %+v", fresh.Snapshot().Look)
	}

	// Images are stored once however many certificates print them.
	var images int
	if err := f.db.NewRaw(`SELECT count(*) FROM certificate_images`).Scan(ctx, &images); err != nil {
		t.Fatal(err)
	}
	if images != 2 { // the logo and the one signature image both signatories used
		t.Errorf("%d stored images, want 2", images)
	}

	// A reissue redraws the old one with the current settings, on request.
	if _, err := f.svc.Reissue(ctx, fresh.Code, admin.ID, ReissueParams{CurrentIssuer: true, Reason: "x"}); !errors.Is(err, ErrNoChange) {
		t.Errorf("restyling a certificate that has the current look: %v, want ErrNoChange", err)
	}
	re, err := f.svc.Reissue(ctx, old.Code, admin.ID, ReissueParams{CurrentIssuer: true, Reason: "Nueva dirección del instituto"})
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := f.pdfTextOf(re); !strings.Contains(text, "Carlos Muñoz") || strings.Contains(text, "Ana Beatriz Souza") ||
		!strings.Contains(text, "Instituto Nacional de Seguridad Social") {
		t.Errorf("the reissued certificate reads:\n%s", text)
	}
	pub, err := f.svc.PublicKey(ctx, re.KeyID)
	if err != nil {
		t.Fatal(err)
	}
	if p := re.Snapshot().Payload(); p.Issuer != "Instituto Nacional de Seguridad Social" || Verify(pub, p, re.Signature) != nil {
		t.Errorf("the reissue is not signed with the new issuer: %s", p.Canonical())
	}
	events, err := f.svc.Events(ctx, re.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	for _, field := range []string{"issuer_name", "accent_color", "logo", "signatories"} {
		if _, ok := last.Changes[field]; last.Kind != EventReissued || !ok {
			t.Errorf("audit trail lacks the change of %s: %+v", field, last)
		}
	}
	if ch := last.Changes["issuer_name"]; ch.From != "Escuela de Protección Social" || ch.To != "Instituto Nacional de Seguridad Social" {
		t.Errorf("issuer change %+v", ch)
	}
}
