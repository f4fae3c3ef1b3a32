package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// offerPDF is a small PDF with a marker, so each test's content (and blob)
// is its own.
func offerPDF(marker string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + marker + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

type offerFileOut struct {
	ID       int64  `json:"id"`
	OfferID  int64  `json:"offer_id"`
	FileName string `json:"file_name"`
	SHA256   string `json:"sha256"`
	URL      string `json:"url"`
}

func (x *exchangeEnv) offerFiles(token string, offer int64) []offerFileOut {
	x.t.Helper()
	res := x.api(http.MethodGet, fmt.Sprintf("/api/v1/offers/%d/files", offer), token, nil)
	wantStatus(x.t, res, http.StatusOK)
	var out struct{ Items []offerFileOut }
	decode(x.t, res, &out)
	return out.Items
}

// TestOfferFiles: the offering institution's delegate attaches a file,
// a delegate of another participant reads it on the offer page, the
// matrix and the API; nobody else attaches or deletes, an outsider does
// not see it, and an executable renamed .pdf is refused.
func TestOfferFiles(t *testing.T) {
	x := newExchangeEnv(t)
	filesPath := fmt.Sprintf("/api/v1/offers/%d/files", x.mxOffer)
	pdf := offerPDF(unique("evaluación"))

	res := x.apiUpload(filesPath, x.mxTok, "Evaluación Peña.pdf", pdf)
	wantStatus(t, res, http.StatusCreated)
	var f offerFileOut
	decode(t, res, &f)
	if f.FileName != "Evaluación Peña.pdf" || f.SHA256 != sha256Hex(pdf) || f.OfferID != x.mxOffer {
		t.Fatalf("uploaded %s", res.body)
	}
	// The same content again is the same file.
	res = x.apiUpload(filesPath, x.mxTok, "copia.pdf", pdf)
	wantStatus(t, res, http.StatusCreated)
	var again offerFileOut
	decode(t, res, &again)
	if again.ID != f.ID || len(x.offerFiles(x.mxTok, x.mxOffer)) != 1 {
		t.Errorf("same content twice: %s", res.body)
	}

	// A delegate of another participant downloads it, through the API and
	// the page's link.
	res = x.api(http.MethodGet, fmt.Sprintf("%s/%d", filesPath, f.ID), x.brTok, nil)
	wantStatus(t, res, http.StatusOK)
	if res.body != string(pdf) || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''Evaluaci%C3%B3n%20Pe%C3%B1a.pdf") {
		t.Errorf("download: %q %v", res.body, res.Header)
	}
	if got := x.brBrowser.get(f.URL); got.StatusCode != http.StatusOK || got.body != string(pdf) {
		t.Errorf("download through the page: %d", got.StatusCode)
	}
	if files := x.offerFiles(x.brTok, x.mxOffer); len(files) != 1 || files[0].ID != f.ID {
		t.Errorf("files as read by Brazil: %+v", files)
	}

	// The offer page and the matrix link it; only the offering side gets
	// the upload and delete forms.
	page := x.brBrowser.get(fmt.Sprintf("/offers/%d", x.mxOffer))
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `href="`+f.URL+`"`) || strings.Contains(page.body, `enctype="multipart/form-data"`) {
		t.Errorf("offer page as Brazil: link or form wrong\n%s", page.body)
	}
	res = x.api(http.MethodGet, x.path("/matrix"), x.brTok, nil)
	if !strings.Contains(res.body, `"files":[{"id":`+fmt.Sprint(f.ID)) {
		t.Errorf("the matrix's API does not list the file: %s", res.body)
	}
	matrix := x.brBrowser.get(fmt.Sprintf("/exchanges/%d/matrix", x.id))
	if !strings.Contains(matrix.body, `href="`+f.URL+`"`) || !strings.Contains(matrix.body, fmt.Sprintf(`href="/offers/%d"`, x.mxOffer)) {
		t.Errorf("matrix does not link the offer and its file\n%s", matrix.body)
	}

	// Another participant's delegate may read but not attach or delete:
	// 403. Someone outside the exchange does not know the offer: 404.
	wantStatus(t, x.apiUpload(filesPath, x.brTok, "ajena.pdf", offerPDF(unique("x"))), http.StatusForbidden)
	wantStatus(t, x.api(http.MethodDelete, fmt.Sprintf("%s/%d", filesPath, f.ID), x.brTok, nil), http.StatusForbidden)
	outsider, _ := x.token(accounts.RoleInstructor)
	wantStatus(t, x.api(http.MethodGet, fmt.Sprintf("%s/%d", filesPath, f.ID), outsider, nil), http.StatusNotFound)
	wantStatus(t, x.apiUpload(filesPath, outsider, "intrusa.pdf", offerPDF(unique("x"))), http.StatusNotFound)
	// Nor does a file of one offer answer under another.
	wantStatus(t, x.api(http.MethodGet, fmt.Sprintf("/api/v1/offers/%d/files/%d", x.brOffer, f.ID), x.brTok, nil), http.StatusNotFound)

	// A Windows program renamed .pdf is refused by its content.
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 600)...)
	copy(exe[0x3c:], []byte{0x80, 0, 0, 0})
	copy(exe[0x80:], []byte("PE\x00\x00"))
	res = x.apiUpload(filesPath, x.mxTok, "informe.pdf", exe)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var refusal apiError
	decode(t, res, &refusal)
	if refusal.Error.Code != "file_type" || refusal.Error.Fields["file"] == "" {
		t.Errorf("refusal %s", res.body)
	}
	if files := x.offerFiles(x.mxTok, x.mxOffer); len(files) != 1 {
		t.Errorf("after the refusal: %+v", files)
	}

	// The admin (the secretariat) deletes for any institution.
	wantStatus(t, x.api(http.MethodDelete, fmt.Sprintf("%s/%d", filesPath, f.ID), x.admin, nil), http.StatusNoContent)
	if files := x.offerFiles(x.mxTok, x.mxOffer); len(files) != 0 {
		t.Errorf("after delete: %+v", files)
	}
	wantStatus(t, x.api(http.MethodGet, fmt.Sprintf("%s/%d", filesPath, f.ID), x.brTok, nil), http.StatusNotFound)
}

// TestOfferFilePages: the delegate attaches and deletes a file through
// the offer page's forms (CSRF tokens included); a refused file is shown
// next to the field with 422.
func TestOfferFilePages(t *testing.T) {
	x := newExchangeEnv(t)
	offer := fmt.Sprintf("/offers/%d", x.mxOffer)
	page := x.mxBrowser.get(offer)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `enctype="multipart/form-data"`) {
		t.Fatalf("no upload form for the offering delegate\n%s", page.body)
	}
	res := x.mxBrowser.upload(offer+"/files", "Folleto Conceição.pdf", offerPDF(unique("folleto")))
	wantStatus(t, res, http.StatusSeeOther)
	files := x.offerFiles(x.mxTok, x.mxOffer)
	if len(files) != 1 || files[0].FileName != "Folleto Conceição.pdf" {
		t.Fatalf("files %+v", files)
	}
	page = x.mxBrowser.get(offer)
	if !strings.Contains(page.body, "Folleto Conceição.pdf") {
		t.Errorf("the file is not listed\n%s", page.body)
	}
	res = x.mxBrowser.upload(offer+"/files", "texto.pdf", []byte("MZ\x90\x00 not a pdf at all\x00\x01\x02"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `aria-invalid="true"`) {
		t.Errorf("refusal not shown at the field\n%s", res.body)
	}
	x.mxBrowser.get(offer)
	wantStatus(t, x.mxBrowser.post(fmt.Sprintf("%s/files/%d/delete", offer, files[0].ID), nil), http.StatusSeeOther)
	if files := x.offerFiles(x.mxTok, x.mxOffer); len(files) != 0 {
		t.Errorf("after delete: %+v", files)
	}
}

// TestOfferFileTooLarge: a file over the upload limit is 413 and nothing
// of it is kept.
func TestOfferFileTooLarge(t *testing.T) {
	e, _ := newInstallation(t, installation{uploadMax: 64 << 10})
	x := exchangeEnvOn(t, e)
	big := append(offerPDF("grande"), bytes.Repeat([]byte("0"), 100<<10)...)
	res := x.apiUpload(fmt.Sprintf("/api/v1/offers/%d/files", x.mxOffer), x.mxTok, "grande.pdf", big)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	var refusal apiError
	decode(t, res, &refusal)
	if refusal.Error.Code != "too_large" {
		t.Errorf("refusal %s", res.body)
	}
	if files := x.offerFiles(x.mxTok, x.mxOffer); len(files) != 0 {
		t.Errorf("kept %+v", files)
	}
}

// TestOfferFilesSurviveTheSweep: the shared blob store's sweep keeps an
// offer's file a day later, and takes it once the file is deleted.
func TestOfferFilesSurviveTheSweep(t *testing.T) {
	var shift atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	e, svc := newInstallation(t, installation{clock: clock})
	x := exchangeEnvOn(t, e)
	filesPath := fmt.Sprintf("/api/v1/offers/%d/files", x.mxOffer)
	pdf := offerPDF(unique("barrido"))
	res := x.apiUpload(filesPath, x.mxTok, "barrido.pdf", pdf)
	wantStatus(t, res, http.StatusCreated)
	var f offerFileOut
	decode(t, res, &f)

	shift.Store(int64(courses.BlobGrace + time.Hour))
	if _, err := svc.Courses.SweepBlobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	res = x.api(http.MethodGet, fmt.Sprintf("%s/%d", filesPath, f.ID), x.brTok, nil)
	if res.StatusCode != http.StatusOK || res.body != string(pdf) {
		t.Fatalf("after the sweep: %d", res.StatusCode)
	}
	wantStatus(t, x.api(http.MethodDelete, fmt.Sprintf("%s/%d", filesPath, f.ID), x.mxTok, nil), http.StatusNoContent)
	if n, err := svc.Courses.SweepBlobs(context.Background()); err != nil || n != 1 {
		t.Errorf("sweep after delete: %d, %v", n, err)
	}
}
