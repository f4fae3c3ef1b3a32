package app_test

import (
	"archive/zip"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// participation makes holder a certificate of participation the way
// people do: an organiser's event, a registration, attendance marked and
// the event closed. It returns the certificate's code.
func (e *certEnv) participation(holder *accounts.User) string {
	e.t.Helper()
	org, _ := e.token(accounts.RoleInstructor)
	ev := apiEvent(e.t, e.env, org, nil)
	token := e.tokenFor(holder)
	wantStatus(e.t, e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/registrations", token, nil), http.StatusCreated)
	wantStatus(e.t, e.api(http.MethodPut, "/api/v1/sessions/"+itoa(ev.Sessions[0].ID)+"/attendance", org,
		map[string]any{"records": []map[string]any{{"user_id": holder.ID, "status": "present"}}}), http.StatusOK)
	wantStatus(e.t, e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/close", org, nil), http.StatusOK)
	var mine struct {
		Items []struct {
			Code string `json:"code"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	decode(e.t, e.api(http.MethodGet, "/api/v1/me/certificates", token, nil), &mine)
	for _, it := range mine.Items {
		if it.Kind == "participation" {
			return it.Code
		}
	}
	e.t.Fatalf("no certificate of participation for %s", holder.Name)
	return ""
}

// certificateItem is a certificate as the API lists it.
type certificateItem struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	CourseID    *int64 `json:"course_id"`
	EventID     *int64 `json:"event_id"`
	CourseTitle string `json:"course_title"`
	Status      string `json:"status"`
}

// TestParticipationCertificateEverywhere: a certificate of participation
// (no course) is listed, searched and filtered by admins (page and API),
// opens on the admin page, is revoked and corrected (API and page), is
// in "My certificates", downloads as a PDF, verifies (page and API) and
// stays out of a course's ZIP.
func TestParticipationCertificateEverywhere(t *testing.T) {
	e := newCertEnv(t)
	holder := e.learner("Ana Conceição Peña")
	code := e.participation(holder)
	c, mods := e.enrolCourse(1)
	completion := e.complete(holder, c, mods)
	adminToken, _ := e.token(accounts.RoleAdmin)

	// API: the list, a search by the holder's name without accents, and
	// each status filter, name it with its kind and no course.
	for _, q := range []string{"?q=conceicao+pena", "?status=valid", "?q=" + url.QueryEscape(code)} {
		res := e.api(http.MethodGet, "/api/v1/certificates"+q, adminToken, nil)
		wantStatus(t, res, http.StatusOK)
		var got struct{ Items []certificateItem }
		decode(t, res, &got)
		var found *certificateItem
		for i := range got.Items {
			if got.Items[i].Code == code {
				found = &got.Items[i]
			}
		}
		if found == nil || found.Kind != "participation" || found.CourseID != nil || found.EventID == nil || found.CourseTitle != "Taller de Seguridad Social — Peña" {
			t.Errorf("GET /api/v1/certificates%s: %+v\n%s", q, found, res.body)
		}
	}
	// Filtering by a course leaves it out.
	if res := e.api(http.MethodGet, "/api/v1/certificates?course_id="+itoa(c.ID), adminToken, nil); strings.Contains(res.body, code) ||
		!strings.Contains(res.body, completion) {
		t.Errorf("course filter:\n%s", res.body)
	}
	res := e.api(http.MethodGet, "/api/v1/certificates/"+code, adminToken, nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"kind":"participation"`) || !strings.Contains(res.body, `"course_id":null`) {
		t.Errorf("GET /api/v1/certificates/%s:\n%s", code, res.body)
	}

	// Pages: the admin list (plain, searched, filtered) and the certificate.
	admin, _ := e.signedIn(accounts.RoleAdmin)
	for _, q := range []string{"", "?q=conceicao", "?status=valid", "?q=" + code} {
		page := admin.get("/admin/certificates" + q)
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.body, code) || !strings.Contains(page.body, "Taller de Seguridad Social — Peña") ||
			!strings.Contains(page.body, "Certificate of participation") {
			t.Errorf("/admin/certificates%s lacks the participation:\n%s", q, page.body)
		}
	}
	page := admin.get("/admin/certificates/" + code)
	wantStatus(t, page, http.StatusOK)
	// It names an event, its dates and how it was issued, not a course
	// completed.
	for _, want := range []string{"Taller de Seguridad Social — Peña", "Ana Conceição Peña", "Event attended",
		"Event dates", "automatically, when the event closed", `<label for="course_title">Event attended</label>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the admin certificate page lacks %q:\n%s", want, page.body)
		}
	}
	for _, wrong := range []string{"on completing the course", "Completed on", `<th scope="row">Course</th>`} {
		if strings.Contains(page.body, wrong) {
			t.Errorf("the admin certificate page says %q of a participation", wrong)
		}
	}

	// The holder: My certificates (page and API) and the PDF.
	b := e.signedInAs(holder)
	mine := b.get("/my/certificates")
	wantStatus(t, mine, http.StatusOK)
	if !strings.Contains(mine.body, code) || !strings.Contains(mine.body, "Taller de Seguridad Social — Peña") ||
		!strings.Contains(mine.body, "Certificado de participación") {
		t.Errorf("my certificates page:\n%s", mine.body)
	}
	pdf := b.get("/certificates/" + code + ".pdf")
	wantStatus(t, pdf, http.StatusOK)
	text := pdfText(t, []byte(pdf.body))
	for _, want := range []string{"Ana Conceição Peña", "Taller de Seguridad Social — Peña", "Certificado de participación", "participó en", code} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	wantStatus(t, e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", e.tokenFor(holder), nil), http.StatusOK)

	// Verify: page and API.
	v := e.browser().get("/verify/" + code)
	wantStatus(t, v, http.StatusOK)
	if !strings.Contains(v.body, "Taller de Seguridad Social — Peña") || !strings.Contains(v.body, "Ana Conceição Peña") ||
		!strings.Contains(v.body, "Event dates") || strings.Contains(v.body, "Completed on") {
		t.Errorf("verify page:\n%s", v.body)
	}
	res = e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"kind":"participation"`) {
		t.Errorf("verify API:\n%s", res.body)
	}

	// Correct it, through the API and the page, then revoke it.
	res = e.api(http.MethodPost, "/api/v1/certificates/"+code+"/reissue", adminToken, map[string]any{"holder_name": "Ana da Conceição Peña", "reason": "Nombre completo"})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"kind":"participation"`) || !strings.Contains(res.body, "Ana da Conceição Peña") {
		t.Errorf("reissue API:\n%s", res.body)
	}
	admin.get("/admin/certificates/" + code)
	res = admin.post("/admin/certificates/"+code+"/reissue", url.Values{"holder_name": {"Ana María da Conceição Peña"},
		"course_title": {"Taller de Seguridad Social — Peña"}, "institution": {"Ministério do Desenvolvimento Social"}, "reason": {"Segundo nombre"}})
	wantStatus(t, res, http.StatusSeeOther)
	if v := e.browser().get("/verify/" + code); !strings.Contains(v.body, "Ana María da Conceição Peña") {
		t.Errorf("verify after the page's reissue:\n%s", v.body)
	}
	admin.get("/admin/certificates/" + code)
	wantStatus(t, admin.post("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"Emitido por error"}}), http.StatusSeeOther)
	if res := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil); !strings.Contains(res.body, `"status":"revoked"`) {
		t.Errorf("verify after revoking:\n%s", res.body)
	}
	if page := admin.get("/admin/certificates?status=revoked"); !strings.Contains(page.body, code) {
		t.Errorf("the revoked filter lacks it")
	}

	// The course's ZIP holds its completions only.
	zipPath := "/admin/certificates/courses/" + itoa(c.ID) + "/zip"
	admin.get(zipPath)
	wantStatus(t, admin.post(zipPath, nil), http.StatusSeeOther)
	e.workJobs()
	zp := admin.get(zipPath)
	start := strings.Index(zp.body, `href="/admin/certificates/zips/`)
	if start < 0 {
		t.Fatalf("zip page:\n%s", zp.body)
	}
	link := zp.body[start+6 : start+6+strings.Index(zp.body[start+6:], `"`)]
	dl := admin.get(link)
	zr, err := zip.NewReader(strings.NewReader(dl.body), int64(len(dl.body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || !strings.Contains(zr.File[0].Name, completion) && !strings.Contains(zr.File[0].Name, "Ana") {
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		t.Errorf("the course's ZIP holds %v", names)
	}
}
