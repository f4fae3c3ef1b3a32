package app_test

import (
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/courses"
)

// certEnv is a running Aula with certificates wired as `aula serve` wires
// them: issued on completion, pages and API served.
type certEnv struct {
	*env
	certs   *certificates.Service
	courses *courses.Service
}

func newCertEnv(t *testing.T) *certEnv {
	t.Helper()
	e, svc := newInstallation(t, installation{database: "app_certificates"})
	return &certEnv{env: e, certs: svc.Certificates, courses: svc.Courses}
}

// learner creates a learner of a new institution, with an accented name.
func (e *certEnv) learner(name string) *accounts.User {
	e.t.Helper()
	ctx := context.Background()
	inst := &accounts.Institution{Name: "Ministério do Desenvolvimento Social", Acronym: unique("MDS"), Country: "BR"}
	if err := accounts.NewStore(e.db).InsertInstitution(ctx, inst); err != nil {
		e.t.Fatal(err)
	}
	u := &accounts.User{Email: unique("holder") + "@example.org", Name: name, Role: accounts.RoleLearner,
		Locale: "es", InstitutionID: &inst.ID, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(e.db).InsertUser(ctx, u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// complete enrols u in c and completes every module; the completion issues
// the certificate, whose code it returns.
func (e *certEnv) complete(u *accounts.User, c *courses.Course, modules []int64) string {
	e.t.Helper()
	ctx := context.Background()
	en, err := e.courses.Enrol(ctx, u.ID, c.ID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range modules {
		if _, err := e.courses.CompleteModule(ctx, u.ID, en.ID, m); err != nil {
			e.t.Fatal(err)
		}
	}
	var code string
	err = e.db.NewSelect().Model((*certificates.Certificate)(nil)).Column("code").
		Where("user_id = ? AND course_id = ? AND revoked_at IS NULL", u.ID, c.ID).Scan(ctx, &code)
	if err != nil {
		e.t.Fatalf("no certificate after completing course %d: %v", c.ID, err)
	}
	return code
}

// signedInAs returns a browser signed in as u.
func (e *certEnv) signedInAs(u *accounts.User) *client {
	e.t.Helper()
	b := e.browser()
	if res := b.signIn(u.Email, testPassword); res.StatusCode != 303 {
		e.t.Fatalf("sign in as %s: %d", u.Email, res.StatusCode)
	}
	return b
}

// poppler runs a poppler-utils command on a PDF written to a temporary
// file, named by the argument "PDF", in that file's directory. A missing
// command fails: skipping would let the suite pass without ever reading a
// PDF back.
func poppler(t *testing.T, pdf []byte, name string, args ...string) (string, string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install poppler-utils to run the certificate tests", name)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "certificate.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	for i, a := range args {
		if a == "PDF" {
			args[i] = path
		}
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), dir
}

// pdfText is the text of a PDF as pdftotext reads it, spaces normalised.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	out, _ := poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "-nopgbrk", "PDF", "-")
	return strings.Join(strings.Fields(out), " ")
}

// pdfQRCode decodes the QR code on the first page of a PDF.
func pdfQRCode(t *testing.T, pdf []byte) string {
	t.Helper()
	_, dir := poppler(t, pdf, "pdftoppm", "-r", "150", "-png", "-singlefile", "PDF", "page")
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code on the page at 150 dpi: %v", err)
	}
	return res.GetText()
}

// newJSONRequest is an API request with a bearer token and its own client
// address, for calls made from several goroutines at once (env.api stops
// the test on failure, which only the test's goroutine may do).
func newJSONRequest(method, path, token string) *http.Request {
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.201.%d.%d", seq.Add(1)&255, seq.Add(1)&255))
	return req
}
