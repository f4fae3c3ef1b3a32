package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

type certificateJSON struct {
	Code        string  `json:"code"`
	UserID      int64   `json:"user_id"`
	CourseID    int64   `json:"course_id"`
	Status      string  `json:"status"`
	HolderName  string  `json:"holder_name"`
	CourseTitle string  `json:"course_title"`
	Institution string  `json:"institution"`
	IssuedAt    string  `json:"issued_at"`
	ExpiresAt   *string `json:"expires_at"`
	RevokedAt   *string `json:"revoked_at"`
	Revision    int     `json:"revision"`
	ReissuedAt  *string `json:"reissued_at"`
	PDFURL      string  `json:"pdf_url"`
	VerifyURL   string  `json:"verify_url"`
}

// TestCertificateOnceUnderConcurrentCompletion has a learner's client
// finish the last modules of a course in many requests at once.
func TestCertificateOnceUnderConcurrentCompletion(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(4)
	u := e.learner("Maria Peña")
	token := e.tokenFor(u)
	res := e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments", token, nil)
	wantStatus(t, res, http.StatusCreated)
	var en struct{ ID int64 }
	decode(t, res, &en)
	wantStatus(t, e.api(http.MethodPost, fmt.Sprintf("/api/v1/enrolments/%d/modules/%d/complete", en.ID, mods[0]), token, nil), http.StatusOK)

	var wg sync.WaitGroup
	statuses := make(chan int, 30)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := fmt.Sprintf("/api/v1/enrolments/%d/modules/%d/complete", en.ID, mods[1+i%3])
			req := newJSONRequest(http.MethodPost, path, token)
			r, err := e.app.Test(req, -1)
			if err != nil {
				statuses <- 0
				return
			}
			r.Body.Close()
			statuses <- r.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("a concurrent completion answered %d", s)
		}
	}
	n, err := e.db.NewSelect().Model((*certificates.Certificate)(nil)).Where("user_id = ? AND course_id = ?", u.ID, c.ID).Count(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("%d certificates after concurrent completion, want exactly 1 (%v)", n, err)
	}
	mine := e.api(http.MethodGet, "/api/v1/me/certificates", token, nil)
	wantStatus(t, mine, http.StatusOK)
	var list struct {
		Items []certificateJSON
		Total int
	}
	decode(t, mine, &list)
	if list.Total != 1 || list.Items[0].CourseID != c.ID || list.Items[0].Status != "valid" ||
		list.Items[0].VerifyURL != "http://aula.test/verify/"+list.Items[0].Code ||
		list.Items[0].PDFURL != "http://aula.test/api/v1/certificates/"+list.Items[0].Code+".pdf" {
		t.Errorf("my certificates %s", mine.body)
	}
}

func TestCertificatePDF(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("João da Conceição Peña")
	code := e.complete(holder, c, mods)
	token := e.tokenFor(holder)

	res := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", token, nil)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	pdf := []byte(res.body)
	text := pdfText(t, pdf)
	verifyURL := "http://aula.test/verify/" + code
	for _, want := range []string{"João da Conceição Peña", "Protección Social Básica", code, verifyURL,
		"Ministério do Desenvolvimento Social", "Certificado de conclusión", "12 horas"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q; it reads:\n%s", want, text)
		}
	}
	if got := pdfQRCode(t, pdf); got != verifyURL {
		t.Errorf("QR code reads %q, want %q", got, verifyURL)
	}

	// Its ETag lets a browser revalidate without a new PDF being drawn.
	etag := res.Header.Get("ETag")
	if len(etag) != 66 {
		t.Fatalf("ETag %q, want the quoted document hash", etag)
	}
	again := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", token, nil, "If-None-Match", etag)
	wantStatus(t, again, http.StatusNotModified)

	// The browser route, signed in with a session, serves the same file.
	b := e.signedInAs(holder)
	page := b.get("/certificates/" + code + ".pdf?download=1")
	wantStatus(t, page, http.StatusOK)
	if page.body != res.body || !strings.HasPrefix(page.Header.Get("Content-Disposition"), `attachment; filename="`+code+`.pdf"`) {
		t.Errorf("page download differs or is not an attachment: %q", page.Header.Get("Content-Disposition"))
	}

	// A code typed in lower case without dashes finds it too.
	loose := strings.ToLower(strings.ReplaceAll(code, "-", ""))
	wantStatus(t, e.api(http.MethodGet, "/api/v1/certificates/"+loose+".pdf", token, nil), http.StatusOK)
}

func TestCertificatePDFAccess(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder, other := e.learner("Ana Souza"), e.learner("Otro Alumno")
	code := e.complete(holder, c, mods)
	adminToken, _ := e.token(accounts.RoleAdmin)
	instructorToken, _ := e.token(accounts.RoleInstructor)
	otherToken := e.tokenFor(other)

	path := "/api/v1/certificates/" + code + ".pdf"
	wantStatus(t, e.api(http.MethodGet, path, "", nil), http.StatusUnauthorized)
	wantStatus(t, e.api(http.MethodGet, path, otherToken, nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodGet, path, instructorToken, nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/certificates/"+code, otherToken, nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodGet, path, adminToken, nil), http.StatusOK)
	// Another learner's browser gets the 404 page too.
	b := e.signedInAs(other)
	res := b.get("/certificates/" + code + ".pdf")
	wantStatus(t, res, http.StatusNotFound)
	if strings.HasPrefix(res.body, "%PDF") {
		t.Error("the 404 page is a PDF")
	}

	// Once revoked, the holder no longer gets the PDF; an admin does.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/certificates/"+code+"/revoke", adminToken, map[string]string{"reason": "Error de emisión"}), http.StatusOK)
	gone := e.api(http.MethodGet, path, e.tokenFor(holder), nil)
	wantStatus(t, gone, http.StatusGone)
	if !strings.Contains(gone.body, `"code":"certificate_revoked"`) {
		t.Errorf("revoked download %s", gone.body)
	}
	wantStatus(t, e.api(http.MethodGet, path, adminToken, nil), http.StatusOK)
}

func TestCertificateSnapshotSurvivesCourseRename(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Beatriz Conceição")
	code := e.complete(holder, c, mods)
	ctx := context.Background()
	if _, err := e.db.NewUpdate().Model((*courses.Course)(nil)).Set("title = ?, workload_hours = 99", "Curso renombrado").Where("id = ?", c.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	res := e.api(http.MethodGet, "/api/v1/verify/"+code, "", nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"course_title":"Protección Social Básica"`) || !strings.Contains(res.body, `"workload_hours":12`) {
		t.Errorf("verify after the course was renamed: %s", res.body)
	}
	pdf := e.api(http.MethodGet, "/api/v1/certificates/"+code+".pdf", e.tokenFor(holder), nil)
	wantStatus(t, pdf, http.StatusOK)
	if text := pdfText(t, []byte(pdf.body)); !strings.Contains(text, "Protección Social Básica") || strings.Contains(text, "renombrado") {
		t.Errorf("the PDF follows the renamed course: %s", text)
	}
}

func TestMyCertificatesPage(t *testing.T) {
	e := newCertEnv(t)
	c, mods := e.enrolCourse(1)
	holder := e.learner("Luísa Peña")
	b := e.signedInAs(holder)
	empty := b.get("/my/certificates")
	wantStatus(t, empty, http.StatusOK)
	if !strings.Contains(empty.body, "Todavía no tiene certificados") {
		t.Errorf("empty page:\n%s", empty.body)
	}
	code := e.complete(holder, c, mods)
	res := b.get("/my/certificates")
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"Protección Social Básica", code, `href="/certificates/` + code + `.pdf?download=1"`,
		`value="http://aula.test/verify/` + code + `"`, "Válido", "Descargar PDF"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("my certificates page lacks %q:\n%s", want, res.body)
		}
	}
	// Signed out, the page asks to sign in.
	out := e.browser().get("/my/certificates")
	wantStatus(t, out, http.StatusSeeOther)
}
