package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
)

// TestReissueOverAPI corrects a certificate through
// POST /api/v1/certificates/{code}/reissue: only admins may, a reason is
// required, a missing field keeps its value, and the answer, the audit
// trail, the verify endpoint and the PDF all carry the correction under
// the same code.
func TestReissueOverAPI(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Joao Conceicao")
	code := e.complete(holder, c, mods)
	adminToken, adminUser := e.token(accounts.RoleAdmin)
	holderToken := e.tokenFor(holder)
	path := "/api/v1/certificates/" + code + "/reissue"
	name := "João Conceição"

	wantStatus(t, e.api(http.MethodPost, path, holderToken, map[string]any{"holder_name": name, "reason": "mine"}), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodPost, path, "", map[string]any{"holder_name": name, "reason": "x"}), http.StatusUnauthorized)

	noReason := e.api(http.MethodPost, path, adminToken, map[string]any{"holder_name": name})
	wantStatus(t, noReason, http.StatusUnprocessableEntity)
	if !strings.Contains(noReason.body, `"reason"`) {
		t.Errorf("422 without the reason field: %s", noReason.body)
	}
	same := e.api(http.MethodPost, path, adminToken, map[string]any{"holder_name": holder.Name, "reason": "nothing"})
	wantStatus(t, same, http.StatusUnprocessableEntity)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates/AULA-2222-2222-22/reissue", adminToken,
		map[string]any{"holder_name": name, "reason": "x"}), http.StatusNotFound)

	res := e.api(http.MethodPost, path, adminToken, map[string]any{"holder_name": "  João   Conceição ", "reason": "Acentos del nombre"})
	wantStatus(t, res, http.StatusOK)
	var cert certificateJSON
	decode(t, res, &cert)
	if cert.Code != code || cert.HolderName != name || cert.Revision != 2 || cert.ReissuedAt == nil ||
		cert.CourseTitle != "Protección Social Básica" || cert.Institution != "Ministério do Desenvolvimento Social" || cert.Status != "valid" {
		t.Errorf("reissue answered %s", res.body)
	}

	show := e.api(http.MethodGet, "/api/v1/certificates/"+code, adminToken, nil)
	wantStatus(t, show, http.StatusOK)
	for _, want := range []string{`"kind":"reissued"`, `"reason":"Acentos del nombre"`, `"actor_name":"` + adminUser.Name + `"`,
		`"holder_name":{"from":"Joao Conceicao","to":"João Conceição"}`} {
		if !strings.Contains(show.body, want) {
			t.Errorf("audit trail lacks %s: %s", want, show.body)
		}
	}
	v := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	if !strings.Contains(v.body, `"holder_name":"João Conceição"`) || !strings.Contains(v.body, `"revision":2`) {
		t.Errorf("verify after reissue %s", v.body)
	}
	pdf := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", holderToken, nil)
	wantStatus(t, pdf, http.StatusOK)
	if text := pdfText(t, []byte(pdf.body)); !strings.Contains(text, name) {
		t.Errorf("the PDF does not carry the correction:\n%s", text)
	}

	// A revoked certificate is not corrected.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates/"+code+"/revoke", adminToken, map[string]string{"reason": "Fraude"}), http.StatusOK)
	revoked := e.api(http.MethodPost, path, adminToken, map[string]any{"course_title": "Otra", "reason": "x"})
	wantStatus(t, revoked, http.StatusConflict)
	if !strings.Contains(revoked.body, `"code":"certificate_revoked"`) {
		t.Errorf("reissue of a revoked certificate %s", revoked.body)
	}
}

// TestReissueWithCurrentIssuer: a certificate keeps the issuer's look
// when the settings change; a reissue over the API or the page that asks
// for the current settings redraws it, and the audit trail says so.
func TestReissueWithCurrentIssuer(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Ana Peña")
	code := e.complete(holder, c, mods)
	holderToken := e.tokenFor(holder)
	adminToken, adminUser := e.token(accounts.RoleAdmin)
	pdfOf := func() string {
		res := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", holderToken, nil)
		wantStatus(t, res, http.StatusOK)
		return pdfText(t, []byte(res.body))
	}
	before := pdfOf()

	if _, err := e.certs.SaveIssuer(context.Background(), certificates.IssuerParams{Name: "Instituto de Previsión Social",
		Signatories: [2]certificates.SignatoryParams{{Name: "Carlos Muñoz", Title: "Director"}}}, adminUser.ID); err != nil {
		t.Fatal(err)
	}
	if after := pdfOf(); after != before || strings.Contains(after, "Carlos Muñoz") {
		t.Errorf("new issuer settings redrew an issued certificate:\n%s", after)
	}
	path := "/api/v1/certificates/" + code + "/reissue"
	res := e.api(http.MethodPost, path, adminToken, map[string]any{"current_issuer": true, "reason": "Nuevo director"})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"issuer":"Instituto de Previsión Social"`) || !strings.Contains(res.body, `"revision":2`) {
		t.Errorf("reissue with the current issuer answered %s", res.body)
	}
	if text := pdfOf(); !strings.Contains(text, "Carlos Muñoz") || !strings.Contains(text, "Instituto de Previsión Social") {
		t.Errorf("the reissued PDF reads:\n%s", text)
	}
	again := e.api(http.MethodPost, path, adminToken, map[string]any{"current_issuer": true, "reason": "otra vez"})
	wantStatus(t, again, http.StatusUnprocessableEntity)

	admin, _ := e.signedIn(accounts.RoleAdmin)
	page := admin.get("/admin/certificates/" + code)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{`name="current_issuer"`, "Signatories: “", "Carlos Muñoz (Director)", "Instituto de Previsión Social"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("admin page lacks %q:\n%s", want, page.body)
		}
	}
}
