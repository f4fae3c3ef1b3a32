package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/courses/s3test"
)

// s3CoursesEnv is Aula with its files in a real S3 bucket (versitygw).
func s3CoursesEnv(t *testing.T, extra ...string) (*coursesEnv, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	store, err := courses.NewS3Store(context.Background(), srv.URL(extra...))
	if err != nil {
		t.Fatal(err)
	}
	e, svc := newInstallation(t, installation{store: store})
	return &coursesEnv{env: e, courses: svc.Courses}, srv
}

// samplePDF is a PDF file of about size bytes, with accents in it.
func samplePDF(size int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%% %06d Guía del afiliado — João Conceição Peña\n", i)
	}
	b.WriteString("%%EOF\n")
	return b.Bytes()
}

// learnerWithFiles makes a published course with a PDF and an image, and
// a learner enrolled in it, signed in.
func (e *coursesEnv) learnerWithFiles(t *testing.T, pdf []byte) (*client, string, string) {
	t.Helper()
	ctx := context.Background()
	teacher := e.user(accounts.RoleInstructor)
	c, _ := e.course(teacher, "Archivos en S3", true, "Módulo 1")
	doc, err := e.courses.UploadAsset(ctx, courses.ActorFor(teacher), c.ID, "guía-peña.pdf", bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	img, err := e.courses.UploadAsset(ctx, courses.ActorFor(teacher), c.ID, "portada.png", bytes.NewReader(pngImage(t)))
	if err != nil {
		t.Fatal(err)
	}
	b, learner := e.signedIn(accounts.RoleLearner)
	e.enrol(learner, c.ID)
	return b, fmt.Sprintf("/courses/%d/files/%d", c.ID, doc.ID), fmt.Sprintf("/courses/%d/files/%d", c.ID, img.ID)
}

// TestCourseFilesFromS3: files kept in a bucket download whole and by
// byte range through Aula, as from the folder store.
func TestCourseFilesFromS3(t *testing.T) {
	e, _ := s3CoursesEnv(t)
	pdf := samplePDF(200 << 10)
	b, docPath, _ := e.learnerWithFiles(t, pdf)

	res := b.get(docPath)
	wantStatus(t, res, http.StatusOK)
	if res.body != string(pdf) {
		t.Errorf("download has %d bytes, want the %d uploaded", len(res.body), len(pdf))
	}
	req := httptest.NewRequest(http.MethodGet, docPath, nil)
	req.Header.Set("Range", "bytes=150000-150099")
	part := b.do(req)
	wantStatus(t, part, http.StatusPartialContent)
	if part.body != string(pdf[150000:150100]) || part.Header.Get("Content-Range") != fmt.Sprintf("bytes 150000-150099/%d", len(pdf)) {
		t.Errorf("range answered %q with %q", part.Header.Get("Content-Range"), part.body)
	}
}

// TestCourseFilesByPresignedLink: with presign= in the storage URL, a
// learner allowed to read a document is sent to a signed link and gets
// it straight from the store, ranges included; images are still served
// by Aula, and a visitor who may not read the file gets no link.
func TestCourseFilesByPresignedLink(t *testing.T) {
	e, srv := s3CoursesEnv(t, "presign=5m")
	pdf := samplePDF(64 << 10)
	b, docPath, imgPath := e.learnerWithFiles(t, pdf)

	res := b.get(docPath)
	wantStatus(t, res, http.StatusFound)
	link := res.Header.Get("Location")
	if !strings.HasPrefix(link, srv.Endpoint+"/") || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("redirect to %q with Cache-Control %q", link, res.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest(http.MethodGet, link, nil)
	req.Header.Set("Range", "bytes=1000-1999")
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != http.StatusPartialContent || !bytes.Equal(body, pdf[1000:2000]) {
		t.Errorf("signed link with a range: %d, %d bytes", got.StatusCode, len(body))
	}
	if cd := got.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "gu%C3%ADa-pe%C3%B1a.pdf") {
		t.Errorf("the store names the file %q", cd)
	}

	if img := b.get(imgPath); img.StatusCode != http.StatusOK || img.body != string(pngImage(t)) {
		t.Errorf("image through Aula: %d", img.StatusCode)
	}
	if anon := e.browser().get(docPath); anon.StatusCode == http.StatusFound {
		t.Error("a visitor who may not read the file got a link to it")
	}
}
