package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
)

type keysJSON struct {
	KeyID        int64  `json:"key_id"`
	Algorithm    string `json:"algorithm"`
	PublicKey    string `json:"public_key"`
	PublicKeyPEM string `json:"public_key_pem"`
	Keys         []struct {
		KeyID     int64   `json:"key_id"`
		PublicKey string  `json:"public_key"`
		RetiredAt *string `json:"retired_at"`
	} `json:"keys"`
}

// TestVerifySignatureOffline checks a certificate the way an outside
// verifier would: the JSON of /api/v1/verify/{code} against the key of
// /api/v1/verify/key, with nothing else from Aula.
func TestVerifySignatureOffline(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	code := e.complete(e.learner("João da Conceição Peña"), c, mods)

	res := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	wantStatus(t, res, http.StatusOK)
	var v struct {
		Code, Status, Signature, Credential string
		KeyID                               int64 `json:"key_id"`
	}
	decode(t, res, &v)
	if v.Code != code || v.Status != "valid" {
		t.Fatalf("verify %s", res.body)
	}
	for _, want := range []string{`"holder_name":"João da Conceição Peña"`, `"course_title":"Protección Social Básica"`,
		`"workload_hours":12`, `"institution":"Ministério do Desenvolvimento Social"`, `"issuer":`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("verify JSON lacks %s: %s", want, res.body)
		}
	}

	keyRes := e.api(http.MethodGet, "/api/v1/verify/key", "", nil)
	wantStatus(t, keyRes, http.StatusOK)
	var keys keysJSON
	decode(t, keyRes, &keys)
	if keys.Algorithm != "Ed25519" || keys.PublicKey == "" || !strings.Contains(keys.PublicKeyPEM, "BEGIN PUBLIC KEY") || len(keys.Keys) == 0 {
		t.Fatalf("key %s", keyRes.body)
	}
	var public string
	for _, k := range keys.Keys {
		if k.KeyID == v.KeyID {
			public = k.PublicKey
		}
	}
	pub, err := certificates.ParsePublicKey(public)
	if err != nil {
		t.Fatalf("key %d of the certificate not published: %v", v.KeyID, err)
	}

	payload, sig, err := certificates.ParseCredential(res.body)
	if err != nil {
		t.Fatal(err)
	}
	if err := certificates.Verify(pub, payload, sig); err != nil {
		t.Errorf("the verify response does not verify: %v", err)
	}
	// The credential field is what the PDF carries; it verifies as well.
	if p2, sig2, err := certificates.ParseCredential(v.Credential); err != nil || certificates.Verify(pub, p2, sig2) != nil {
		t.Errorf("credential %q does not verify (%v)", v.Credential, err)
	}
	// Any change to a field breaks the signature.
	for name, change := range map[string]func(p *certificates.Payload){
		"holder_name":    func(p *certificates.Payload) { p.HolderName = "Joao da Conceicao Pena" },
		"workload_hours": func(p *certificates.Payload) { p.WorkloadHours = 120 },
		"course_title":   func(p *certificates.Payload) { p.CourseTitle += " Avanzada" },
		"issued_at":      func(p *certificates.Payload) { p.IssuedAt = p.IssuedAt.AddDate(-1, 0, 0) },
	} {
		altered := payload
		change(&altered)
		if err := certificates.Verify(pub, altered, sig); err == nil {
			t.Errorf("changing %s kept the signature valid", name)
		}
	}
	// Re-encoding the JSON does not matter: only the fields are signed.
	var generic map[string]any
	if err := json.Unmarshal([]byte(res.body), &generic); err != nil {
		t.Fatal(err)
	}
	reencoded, _ := json.MarshalIndent(generic, "", "  ")
	if p3, sig3, err := certificates.ParseCredential(string(reencoded)); err != nil || certificates.Verify(pub, p3, sig3) != nil {
		t.Errorf("re-encoded JSON does not verify: %v", err)
	}
}

func TestVerifyPages(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	code := e.complete(e.learner("Pedro Peña"), c, mods)
	b := e.browser()
	b.lang = "es"

	res := b.get("/verify/" + code)
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"Este certificado es válido.", "Pedro Peña", "Protección Social Básica", "12 horas",
		"Ministério do Desenvolvimento Social", code, "No vence"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("verify page lacks %q:\n%s", want, res.body)
		}
	}

	// Lower case without dashes: the canonical page.
	loose := b.get("/verify/" + strings.ToLower(strings.ReplaceAll(code, "-", "")))
	wantStatus(t, loose, http.StatusMovedPermanently)
	if loc := loose.Header.Get("Location"); loc != "/verify/"+code {
		t.Errorf("loose code redirects to %q", loc)
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/verify/"+strings.ToLower(strings.ReplaceAll(code, "-", "")), "", nil), http.StatusOK)

	// The form sends a typed code to its page.
	form := b.get("/verify")
	wantStatus(t, form, http.StatusOK)
	typed := b.get("/verify?code=" + strings.ToLower(code))
	wantStatus(t, typed, http.StatusSeeOther)
	if loc := typed.Header.Get("Location"); loc != "/verify/"+code {
		t.Errorf("typed code redirects to %q", loc)
	}
	bad := b.get("/verify?code=hello")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "no es un código de certificado") || !strings.Contains(bad.body, `value="hello"`) {
		t.Errorf("bad code form:\n%s", bad.body)
	}

	// Unknown and impossible codes: the 404 page, in the visitor's language.
	for _, path := range []string{"/verify/AULA-2222-2222-22", "/verify/not-a-code"} {
		res := b.get(path)
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.body, "<html") {
			t.Errorf("%s: not an HTML page", path)
		}
	}
	notFound := e.api(http.MethodGet, "/api/v1/verify/AULA-2222-2222-22", "", nil)
	wantStatus(t, notFound, http.StatusNotFound)
	if !strings.Contains(notFound.body, `"code":"not_found"`) {
		t.Errorf("unknown code JSON %s", notFound.body)
	}
}

func TestRevokeThenVerify(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	code := e.complete(e.learner("Revocada Peña"), c, mods)
	adminToken, _ := e.token(accounts.RoleAdmin)
	learnerToken, _ := e.token(accounts.RoleLearner)

	path := "/api/v1/certificates/" + code + "/revoke"
	wantStatus(t, e.api(http.MethodPost, path, learnerToken, map[string]string{"reason": "x"}), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodPost, path, adminToken, map[string]string{"reason": " "}), http.StatusUnprocessableEntity)
	res := e.api(http.MethodPost, path, adminToken, map[string]string{"reason": "Plagio comprobado en la evaluación"})
	wantStatus(t, res, http.StatusOK)
	var cert certificateJSON
	decode(t, res, &cert)
	if cert.Status != "revoked" || cert.RevokedAt == nil {
		t.Errorf("revoke answered %s", res.body)
	}
	wantStatus(t, e.api(http.MethodPost, path, adminToken, map[string]string{"reason": "again"}), http.StatusConflict)

	v := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	wantStatus(t, v, http.StatusOK)
	if !strings.Contains(v.body, `"status":"revoked"`) || !strings.Contains(v.body, `"revocation_reason":"Plagio comprobado en la evaluación"`) ||
		!strings.Contains(v.body, `"revoked_at":"`) {
		t.Errorf("verify JSON after revocation %s", v.body)
	}
	b := e.browser()
	b.lang = "pt"
	page := b.get("/verify/" + code)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Este certificado foi revogado em") || !strings.Contains(page.body, "Plagio comprobado en la evaluación") ||
		strings.Contains(page.body, "Este certificado é válido") {
		t.Errorf("verify page after revocation:\n%s", page.body)
	}
}

func TestVerifyRateLimit(t *testing.T) {
	e := newCertEnv(t)
	n := seq.Add(1)
	ip := fmt.Sprintf("10.250.%d.%d", n>>8&255, n&255) // an address no other test uses
	var last response
	for i := 0; i <= 60; i++ {
		last = e.api(http.MethodGet, "/api/v1/verify/AULA-2222-2222-22", "", nil, "X-Forwarded-For", ip)
		if i < 60 && last.StatusCode != http.StatusNotFound {
			t.Fatalf("lookup %d: %d before the limit", i+1, last.StatusCode)
		}
	}
	wantStatus(t, last, http.StatusTooManyRequests)
	if last.Header.Get("Retry-After") == "" || !strings.Contains(last.body, `"code":"rate_limited"`) {
		t.Errorf("429 without Retry-After or code: %v %s", last.Header, last.body)
	}
	// The page counts against the same address.
	b := e.browser()
	b.ip = ip
	wantStatus(t, b.get("/verify/AULA-2222-2222-22"), http.StatusTooManyRequests)
}
