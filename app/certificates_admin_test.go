package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
)

func TestIssueCertificateAPI(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	adminToken, _ := e.token(accounts.RoleAdmin)
	learnerToken, _ := e.token(accounts.RoleLearner)
	u := e.learner("Tallerista Presencial")

	body := map[string]any{"user_id": u.ID, "course_id": c.ID, "completed_on": "2026-10-05"}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates", learnerToken, body), http.StatusForbidden)
	res := e.api(http.MethodPost, "/api/v1/certificates", adminToken, body)
	wantStatus(t, res, http.StatusCreated)
	var cert certificateJSON
	decode(t, res, &cert)
	if cert.UserID != u.ID || cert.CourseID != c.ID || cert.Status != "valid" || cert.HolderName != "Tallerista Presencial" {
		t.Errorf("issued %s", res.body)
	}
	if !strings.Contains(res.body, `"completed_at":"2026-10-05T00:00:00Z"`) {
		t.Errorf("completion date not kept: %s", res.body)
	}
	// One exists: 409, for the same body and for a completion online.
	dup := e.api(http.MethodPost, "/api/v1/certificates", adminToken, map[string]any{"user_id": u.ID, "course_id": c.ID})
	wantStatus(t, dup, http.StatusConflict)
	if !strings.Contains(dup.body, `"code":"certificate_exists"`) {
		t.Errorf("409 body %s", dup.body)
	}
	holder := e.learner("Ya Completó")
	e.complete(holder, c, mods)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates", adminToken, map[string]any{"user_id": holder.ID, "course_id": c.ID}), http.StatusConflict)

	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates", adminToken, map[string]any{"user_id": u.ID, "course_id": 1 << 40}), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates", adminToken, map[string]any{"user_id": u.ID}), http.StatusUnprocessableEntity)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates", adminToken, map[string]any{"user_id": u.ID, "course_id": c.ID, "completed_on": "5/10/2026"}), http.StatusUnprocessableEntity)

	other := e.learner("Otra Persona")
	batch := e.api(http.MethodPost, "/api/v1/certificates/batch", adminToken, map[string]any{"course_id": c.ID, "user_ids": []int64{u.ID, other.ID}})
	wantStatus(t, batch, http.StatusOK)
	var out struct{ Issued, Existing []certificateJSON }
	decode(t, batch, &out)
	if len(out.Issued) != 1 || out.Issued[0].UserID != other.ID || len(out.Existing) != 1 || out.Existing[0].Code != cert.Code {
		t.Errorf("batch %s", batch.body)
	}

	list := e.api(http.MethodGet, "/api/v1/certificates?q=conceicao&course_id="+itoa(c.ID), adminToken, nil)
	wantStatus(t, list, http.StatusOK)
	if !strings.Contains(list.body, `"total":0`) {
		t.Errorf("search found what it should not: %s", list.body)
	}
	list = e.api(http.MethodGet, "/api/v1/certificates?q=OTRA%20persona&course_id="+itoa(c.ID), adminToken, nil)
	if !strings.Contains(list.body, `"total":1`) || !strings.Contains(list.body, other.Name) {
		t.Errorf("search by name: %s", list.body)
	}
}

func TestReissueKeepsCodeWithAuditTrail(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Joao da Conceicao")
	code := e.complete(holder, c, mods)
	admin, adminUser := e.signedIn(accounts.RoleAdmin)
	holderToken := e.tokenFor(holder)
	before := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", holderToken, nil)
	wantStatus(t, before, http.StatusOK)

	// The account is corrected first; the admin page points out the difference.
	if _, err := e.db.NewUpdate().Model((*accounts.User)(nil)).Set("name = ?", "João da Conceição").Where("id = ?", holder.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/certificates/" + code)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "The account&#39;s name is now “João da Conceição”") {
		t.Errorf("admin page does not show the account's new name:\n%s", page.body)
	}

	// Without a reason: the form again, with the admin's input.
	form := url.Values{"holder_name": {"João da Conceição"}, "course_title": {"Protección Social Básica"}, "institution": {"Ministério do Desenvolvimento Social"}}
	res := admin.post("/admin/certificates/"+code+"/reissue", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `value="João da Conceição"`) || !strings.Contains(res.body, "field-error") {
		t.Errorf("422 form:\n%s", res.body)
	}
	form.Set("reason", "Faltaban los acentos del nombre")
	res = admin.post("/admin/certificates/"+code+"/reissue", form)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/admin/certificates/"+code {
		t.Errorf("redirect to %q", loc)
	}
	// The list says so too, with the new name.
	list := admin.get("/admin/certificates?q=" + url.QueryEscape("joão da conceição"))
	if !strings.Contains(list.body, "<code>"+code+"</code></a></td>\n    <td>João da Conceição</td>") ||
		!strings.Contains(list.body, `<td>Valid <span class="badge">reissued</span></td>`) {
		t.Errorf("the list after the reissue:\n%s", list.body)
	}
	page = admin.get("/admin/certificates/" + code)
	for _, want := range []string{"Corrected and reissued", adminUser.Name, "Faltaban los acentos del nombre",
		"Holder: “Joao da Conceicao” → “João da Conceição”"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, page.body)
		}
	}

	// Same code, new snapshot, new signature; the verify page says so.
	v := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	if !strings.Contains(v.body, `"holder_name":"João da Conceição"`) || !strings.Contains(v.body, `"reissued":true`) ||
		!strings.Contains(v.body, `"revision":2`) || !strings.Contains(v.body, `"status":"valid"`) {
		t.Errorf("verify after reissue %s", v.body)
	}
	b := e.browser()
	vp := b.get("/verify/" + code)
	if !strings.Contains(vp.body, "corrected and reissued on") || !strings.Contains(vp.body, "João da Conceição") {
		t.Errorf("verify page does not say it was reissued:\n%s", vp.body)
	}
	after := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", holderToken, nil)
	wantStatus(t, after, http.StatusOK)
	if after.Header.Get("ETag") == before.Header.Get("ETag") {
		t.Error("the corrected certificate kept the ETag of the old PDF")
	}
	if text := pdfText(t, []byte(after.body)); !strings.Contains(text, "João da Conceição") || !strings.Contains(text, code) {
		t.Errorf("corrected PDF reads:\n%s", text)
	}
	// A stale cached copy is not served: the old tag is not "not modified".
	wantStatus(t, e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", holderToken, nil, "If-None-Match", before.Header.Get("ETag")), http.StatusOK)

	var events []certificates.Event
	if err := e.db.NewSelect().Model(&events).Join("JOIN certificates AS c ON c.id = ev.certificate_id").
		Where("c.code = ?", code).Order("ev.id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Kind != certificates.EventReissued || *events[1].ActorID != adminUser.ID ||
		events[1].Changes["holder_name"] != (certificates.Change{From: "Joao da Conceicao", To: "João da Conceição"}) {
		t.Errorf("stored audit trail %+v", events)
	}
}

func TestRevokePage(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	code := e.complete(e.learner("Revocar Página"), c, mods)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	admin.get("/admin/certificates/" + code)
	res := admin.post("/admin/certificates/"+code+"/revoke", url.Values{"reason": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	res = admin.post("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"Duplicado"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := admin.get("/admin/certificates/" + code)
	if !strings.Contains(page.body, "This certificate was revoked on") || strings.Contains(page.body, `action="/admin/certificates/`+code+`/revoke"`) {
		t.Errorf("page after revoking:\n%s", page.body)
	}
	if list := admin.get("/admin/certificates?q=" + code); !strings.Contains(list.body, "<td>Revoked</td>") {
		t.Errorf("the list after revoking:\n%s", list.body)
	}
	// Learners have no access to administration.
	learner, _ := e.signedIn(accounts.RoleLearner)
	wantStatus(t, learner.get("/admin/certificates/"+code), http.StatusForbidden)
}

func TestIssueCertificatesPage(t *testing.T) {
	e := newCertEnv(t)
	c, _ := e.enrolCourse(1)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	a, b := e.learner("Ana Peña"), e.learner("Bruno Conceição")
	wantStatus(t, admin.get("/admin/certificates/issue?course_id="+itoa(c.ID)), http.StatusOK)

	form := url.Values{"course_id": {itoa(c.ID)}, "emails": {a.Email + "\nnadie@example.org; " + strings.ToUpper(b.Email)}}
	res := admin.post("/admin/certificates/issue", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "nadie@example.org") {
		t.Errorf("unknown email not named:\n%s", res.body)
	}
	if n, _ := e.db.NewSelect().Model((*certificates.Certificate)(nil)).Where("course_id = ?", c.ID).Count(context.Background()); n != 0 {
		t.Fatalf("%d certificates issued from a list with an unknown email", n)
	}
	form.Set("emails", a.Email+"\n"+strings.ToUpper(b.Email)+", "+a.Email)
	res = admin.post("/admin/certificates/issue", form)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "2 certificates issued; 0 people had one already.") || !strings.Contains(res.body, "Bruno Conceição") {
		t.Errorf("result page:\n%s", res.body)
	}
	res = admin.post("/admin/certificates/issue", form)
	if !strings.Contains(res.body, "0 certificates issued; 2 people had one already.") {
		t.Errorf("second submit:\n%s", res.body)
	}
	list := admin.get("/admin/certificates?course_id=" + itoa(c.ID) + "&q=conceicao")
	if !strings.Contains(list.body, "Bruno Conceição") || strings.Contains(list.body, "Ana Peña") {
		t.Errorf("accent-insensitive search:\n%s", list.body)
	}
}

func testPNG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.SetNRGBA(x, h/2, color.NRGBA{20, 20, 80, 255})
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// postMultipart sends a form with files, with the CSRF token of the last page seen.
func (c *client) postMultipart(path string, fields map[string]string, files map[string][]byte) response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields["csrf"] = c.csrf
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for field, data := range files {
		fw, _ := mw.CreateFormFile(field, field+".png")
		_, _ = fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestIssuerSettingsPage(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Settings Holder")
	code := e.complete(holder, c, mods)
	token := e.tokenFor(holder)
	before := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", token, nil)

	admin, _ := e.signedIn(accounts.RoleAdmin)
	wantStatus(t, admin.get("/admin/certificates/settings"), http.StatusOK)
	fields := map[string]string{"name": "Escuela Regional de Protección Social", "accent_color": "#7a1f1f",
		"sig1_name": "Ana Beatriz Souza", "sig1_title": "Directora académica"}
	// A file named .png that is not an image is refused by its content.
	res := admin.postMultipart("/admin/certificates/settings", fields, map[string][]byte{"logo": []byte("<svg onload=alert(1)>")})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Choose a PNG or JPEG image") || !strings.Contains(res.body, `value="Ana Beatriz Souza"`) {
		t.Errorf("bad logo form:\n%s", res.body)
	}
	res = admin.postMultipart("/admin/certificates/settings", fields, map[string][]byte{"logo": testPNG(300, 100), "sig1_image": testPNG(200, 60)})
	wantStatus(t, res, http.StatusSeeOther)
	page := admin.get("/admin/certificates/settings")
	if !strings.Contains(page.body, `/admin/certificates/settings/images/logo`) || !strings.Contains(page.body, `/admin/certificates/settings/images/signature-1`) {
		t.Errorf("settings page lacks the saved images:\n%s", page.body)
	}
	img := admin.get("/admin/certificates/settings/images/logo")
	wantStatus(t, img, http.StatusOK)
	if img.Header.Get("Content-Type") != "image/png" {
		t.Errorf("logo served as %q", img.Header.Get("Content-Type"))
	}
	wantStatus(t, admin.get("/admin/certificates/settings/images/signature-2"), http.StatusNotFound)

	// A certificate issued before keeps its look: the same PDF, same ETag.
	after := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", token, nil)
	wantStatus(t, after, http.StatusOK)
	if after.Header.Get("ETag") != before.Header.Get("ETag") || after.body != before.body {
		t.Error("new issuer settings redrew a certificate issued before")
	}
	// Certificates issued from now on have the new look: the signatory.
	newer := e.learner("Settings Newcomer")
	newCode := e.complete(newer, c, mods)
	fresh := e.api(http.MethodGet, "/api/v1/certificates/"+newCode+".pdf", e.tokenFor(newer), nil)
	wantStatus(t, fresh, http.StatusOK)
	if text := pdfText(t, []byte(fresh.body)); !strings.Contains(text, "Ana Beatriz Souza") || !strings.Contains(text, "Directora académica") {
		t.Errorf("PDF issued after the settings changed:\n%s", text)
	}
	// Back to the plain look for the other tests of this database.
	admin.get("/admin/certificates/settings")
	res = admin.postMultipart("/admin/certificates/settings", map[string]string{"name": "Aula", "remove_logo": "true"}, nil)
	wantStatus(t, res, http.StatusSeeOther)
}

func TestCertificatesZip(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	for _, name := range []string{"Ana Peña", "João Conceição", "Carlos Muñoz"} {
		e.complete(e.learner(name), c, mods)
	}
	admin, _ := e.signedIn(accounts.RoleAdmin)
	path := "/admin/certificates/courses/" + itoa(c.ID) + "/zip"
	page := admin.get(path)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Prepare the ZIP file") {
		t.Fatalf("zip page:\n%s", page.body)
	}
	res := admin.post(path, nil)
	wantStatus(t, res, http.StatusSeeOther)
	page = admin.get(path)
	if page.Header.Get("Refresh") == "" || !strings.Contains(page.body, "<progress") {
		t.Errorf("a pending job's page does not refresh itself with progress: %v\n%s", page.Header, page.body)
	}
	// A worker (of any process) takes the job.
	if n := e.workJobs(); n == 0 {
		t.Fatal("no job made the ZIP")
	}
	page = admin.get(path)
	if page.Header.Get("Refresh") != "" || !strings.Contains(page.body, "Ready: 3 certificates") {
		t.Fatalf("finished zip page:\n%s", page.body)
	}
	start := strings.Index(page.body, `href="/admin/certificates/zips/`)
	link := page.body[start+6 : start+6+strings.Index(page.body[start+6:], `"`)]
	dl := admin.get(link)
	wantStatus(t, dl, http.StatusOK)
	if dl.Header.Get("Content-Type") != "application/zip" || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download headers %v", dl.Header)
	}
	zr, err := zip.NewReader(strings.NewReader(dl.body), int64(len(dl.body)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	joined := strings.Join(names, "|")
	if len(names) != 3 || !strings.Contains(joined, "João Conceição.pdf") || !strings.Contains(joined, "Carlos Muñoz.pdf") {
		t.Errorf("ZIP holds %v", names)
	}
	learner, _ := e.signedIn(accounts.RoleLearner)
	wantStatus(t, learner.get(link), http.StatusForbidden)
}
