package certificates

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func samplePayload() Payload {
	return Payload{
		Code:          "AULA-7KM3-Q9XH-2P",
		HolderName:    "João da Conceição Peña",
		CourseTitle:   "Protección Social Básica",
		WorkloadHours: 40,
		IssuedAt:      time.Date(2026, time.November, 27, 14, 3, 9, 0, time.UTC),
		Institution:   "Ministério do Desenvolvimento Social",
		Issuer:        "Aula — Escuela de Protección Social",
	}
}

func TestSignVerify(t *testing.T) {
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	p := samplePayload()
	sig := Sign(priv, p)
	if len(sig) != 86 || strings.ContainsAny(sig, "+/=") {
		t.Errorf("Sign() = %q, want 86 characters of unpadded base64url", sig)
	}
	if err := Verify(pub, p, sig); err != nil {
		t.Fatalf("Verify(own signature) = %v", err)
	}
	if again := Sign(priv, p); again != sig {
		t.Errorf("Sign is not deterministic: %q then %q", sig, again)
	}
}

func TestVerifyRejectsAnyChange(t *testing.T) {
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	sig := Sign(priv, samplePayload())
	changes := map[string]func(*Payload){
		"code":           func(p *Payload) { p.Code = "AULA-7KM3-Q9XH-2Q" },
		"holder_name":    func(p *Payload) { p.HolderName = "Joao da Conceicao Pena" },
		"course_title":   func(p *Payload) { p.CourseTitle += " II" },
		"workload_hours": func(p *Payload) { p.WorkloadHours = 400 },
		"issued_at":      func(p *Payload) { p.IssuedAt = p.IssuedAt.AddDate(0, 0, -1) },
		"institution":    func(p *Payload) { p.Institution = "" },
		"issuer":         func(p *Payload) { p.Issuer = "Other School" },
	}
	for field, change := range changes {
		p := samplePayload()
		change(&p)
		if err := Verify(pub, p, sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify after changing %s = %v, want ErrBadSignature", field, err)
		}
	}
}

func TestVerifyRejectsOtherKeyAndGarbage(t *testing.T) {
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	p := samplePayload()
	sig := Sign(priv, p)
	other := GenerateKey().Public().(ed25519.PublicKey)
	if err := Verify(other, p, sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify with another key = %v, want ErrBadSignature", err)
	}
	flipped := []byte(sig)
	flipped[10] ^= 1 // still base64url, different bytes
	for _, bad := range []string{"", "not base64!", sig[:80], string(flipped), sig + "AA"} {
		if err := Verify(pub, p, bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("Verify(%q) = %v, want ErrBadSignature", bad, err)
		}
	}
	if err := Verify(pub[:16], p, sig); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Verify with a short key = %v, want ErrInvalidKey", err)
	}
}

// TestCanonical checks the escaping rules against
// testdata/canonical_python.json, written by Python's
// json.dumps(obj, ensure_ascii=False, separators=(",", ":")), which the
// documentation promises verifiers they can use.
func TestCanonical(t *testing.T) {
	p := Payload{
		Code:          "AULA-7KM3-Q9XH-2P",
		HolderName:    "João \"Zé\" Peña\\",
		CourseTitle:   "Línea 1\nLínea 2\t<b>&</b>\u2028\x01\b\f\r\x1f\x7f",
		WorkloadHours: 8,
		// Sub-second digits and the location are not part of the signed date.
		IssuedAt:    time.Date(2026, time.November, 27, 11, 3, 9, 987654321, time.FixedZone("BRT", -3*60*60)),
		Institution: "",
		Issuer:      "Aula\xff", // invalid UTF-8 is signed as U+FFFD
	}
	want, err := os.ReadFile("testdata/canonical_python.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Canonical(); string(got) != string(want) {
		t.Errorf("Canonical() =\n%q\nwant\n%q", got, want)
	}
	var back map[string]any
	if err := json.Unmarshal(p.Canonical(), &back); err != nil {
		t.Fatalf("Canonical() is not JSON: %v", err)
	}
	if back["holder_name"] != p.HolderName || back["course_title"] != p.CourseTitle {
		t.Errorf("Canonical() reads back as %v", back)
	}
}

// TestSignatureVector pins the documented test vectors in
// docs/certificate-signature.md, without and with an expiry: verifiers
// written in other languages check themselves against them, so they must
// never change.
func TestSignatureVector(t *testing.T) {
	withExpiry := samplePayload()
	exp := time.Date(2027, time.November, 27, 0, 0, 0, 0, time.UTC)
	withExpiry.ExpiresAt = &exp
	for file, p := range map[string]Payload{
		"testdata/signature_vector.json":        samplePayload(),
		"testdata/signature_vector_expiry.json": withExpiry,
	} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			PrivateKey string `json:"private_key"`
			PublicKey  string `json:"public_key"`
			Canonical  string `json:"canonical"`
			Signature  string `json:"signature"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		priv, err := ParsePrivateKey(v.PrivateKey)
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodePublicKey(priv.Public().(ed25519.PublicKey)); got != v.PublicKey {
			t.Errorf("%s: public key = %s, want %s", file, got, v.PublicKey)
		}
		if got := string(p.Canonical()); got != v.Canonical {
			t.Errorf("%s: Canonical() = %s, want %s", file, got, v.Canonical)
		}
		if got := Sign(priv, p); got != v.Signature {
			t.Errorf("%s: Sign() = %s, want %s", file, got, v.Signature)
		}
	}
}

func TestCredentialRoundTrip(t *testing.T) {
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	p := samplePayload()
	sig := Sign(priv, p)
	c := Credential(p, sig)
	if !strings.HasPrefix(c, string(p.Canonical()[:len(p.Canonical())-1])) || !strings.HasSuffix(c, `,"signature":"`+sig+`"}`) {
		t.Errorf("Credential() = %s, want the canonical payload plus a signature member", c)
	}
	gotP, gotSig, err := ParseCredential(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, gotP, gotSig); err != nil {
		t.Errorf("Verify(ParseCredential(Credential())) = %v", err)
	}
	// A verify response has the same members plus status.
	resp := `{"code":"AULA-7KM3-Q9XH-2P","status":"valid","holder_name":"João da Conceição Peña",` +
		`"course_title":"Protección Social Básica","workload_hours":40,"issued_at":"2026-11-27T14:03:09Z",` +
		`"institution":"Ministério do Desenvolvimento Social","issuer":"Aula — Escuela de Protección Social","signature":"` + sig + `"}`
	gotP, gotSig, err = ParseCredential(resp)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pub, gotP, gotSig); err != nil {
		t.Errorf("Verify(verify response) = %v", err)
	}
	// The same instant written with an offset still verifies.
	offset := strings.Replace(resp, "2026-11-27T14:03:09Z", "2026-11-27T11:03:09-03:00", 1)
	if gotP, gotSig, err = ParseCredential(offset); err != nil || Verify(pub, gotP, gotSig) != nil {
		t.Errorf("verify response with an offset time does not verify: %v", err)
	}
	if _, _, err := ParseCredential(string(p.Canonical())); !errors.Is(err, ErrBadSignature) {
		t.Errorf("ParseCredential(no signature) = %v, want ErrBadSignature", err)
	}
}

func TestKeyEncoding(t *testing.T) {
	priv := GenerateKey()
	pub := priv.Public().(ed25519.PublicKey)
	back, err := ParsePrivateKey(EncodePrivateKey(priv))
	if err != nil || !back.Equal(priv) {
		t.Errorf("ParsePrivateKey(EncodePrivateKey()) = %v, %v; want the same key", back, err)
	}
	for _, enc := range []string{EncodePublicKey(pub), PublicKeyPEM(pub)} {
		got, err := ParsePublicKey(enc)
		if err != nil || !got.Equal(pub) {
			t.Errorf("ParsePublicKey(%q) = %v, %v; want the same key", enc, got, err)
		}
	}
	if !strings.HasPrefix(PublicKeyPEM(pub), "-----BEGIN PUBLIC KEY-----\n") {
		t.Errorf("PublicKeyPEM() = %q", PublicKeyPEM(pub))
	}
	for _, bad := range []string{"", "abc", EncodePublicKey(pub)[:20], "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := ParsePublicKey(bad); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ParsePublicKey(%q) = %v, want ErrInvalidKey", bad, err)
		}
		if _, err := ParsePrivateKey(bad); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("ParsePrivateKey(%q) = %v, want ErrInvalidKey", bad, err)
		}
	}
}

// TestSnapshotPayload checks that a payload shown through encoding/json (as
// the verify endpoint will) carries exactly the signed issue time, however
// precise and in whatever zone the stored time was.
func TestSnapshotPayload(t *testing.T) {
	s := Snapshot{
		Code:          "AULA-7KM3-Q9XH-2P",
		HolderName:    "João da Conceição Peña",
		CourseTitle:   "Protección Social Básica",
		WorkloadHours: 40,
		IssuedAt:      time.Date(2026, time.November, 27, 11, 3, 9, 123456000, time.FixedZone("BRT", -3*60*60)),
		Institution:   "Ministério do Desenvolvimento Social",
		IssuerName:    "Aula — Escuela de Protección Social",
	}
	p := s.Payload()
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"issued_at":"2026-11-27T14:03:09Z"`) {
		t.Errorf("json.Marshal(Payload()) = %s, want issued_at as signed", js)
	}
	var back Payload
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if string(back.Canonical()) != string(p.Canonical()) {
		t.Errorf("payload changed through JSON:\n%s\n%s", back.Canonical(), p.Canonical())
	}
	if p.Issuer != s.IssuerName || p.HolderName != s.HolderName || p.Institution != s.Institution {
		t.Errorf("Payload() = %+v, does not carry the snapshot's names", p)
	}
}
