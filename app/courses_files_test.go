package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

var uploadedURL = regexp.MustCompile(`id="uploaded-url" readonly value="([^"]+)"`)

func TestUploadAndServeFiles(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	visitor := e.browser()
	co, _ := e.course(authorUser, "Con archivos", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	img := pngImage(t)

	// Upload through the dashboard: the page then shows the stable URL
	// and the Markdown to paste.
	res := author.upload(manage+"/files", "Gráfico (cobertura).png", img)
	wantStatus(t, res, http.StatusSeeOther)
	page := author.get(res.Header.Get("Location"))
	wantStatus(t, page, http.StatusOK)
	m := uploadedURL.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no URL shown after upload:\n%.3000s", page.body)
	}
	fileURL := m[1]
	if want := fmt.Sprintf("/courses/%d/files/", co.ID); !strings.HasPrefix(fileURL, want) || !strings.HasSuffix(fileURL, "/Gr%C3%A1fico%20%28cobertura%29.png") {
		t.Errorf("file URL %q", fileURL)
	}
	wantBody(t, page, "![Gráfico (cobertura).png]("+fileURL+")")

	// The draft's file is its editors' only.
	got := author.get(fileURL)
	wantStatus(t, got, http.StatusOK)
	if got.body != string(img) {
		t.Error("served bytes differ from the upload")
	}
	etag := got.Header.Get("ETag")
	for header, want := range map[string]string{
		"Content-Type":           "image/png",
		"ETag":                   `"` + sha256Hex(img) + `"`,
		"Cache-Control":          "private, no-cache",
		"X-Content-Type-Options": "nosniff",
	} {
		if got.Header.Get(header) != want {
			t.Errorf("%s: %q, want %q", header, got.Header.Get(header), want)
		}
	}
	if cd := got.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline") {
		t.Errorf("image served as %q, want inline", cd)
	}
	wantStatus(t, visitor.get(fileURL), http.StatusNotFound)
	wantStatus(t, learner.get(fileURL), http.StatusNotFound)

	// Asked again with its ETag: 304, no body.
	req, _ := http.NewRequest(http.MethodGet, fileURL, nil)
	req.Header.Set("If-None-Match", etag)
	res = author.do(req)
	if res.StatusCode != http.StatusNotModified || res.body != "" {
		t.Errorf("revalidation: %d with %d bytes", res.StatusCode, len(res.body))
	}

	// Published: the file is part of the modules, so it is for those who
	// may read them, and caches other than the browser's keep nothing.
	if _, err := e.courses.Publish(context.Background(), courses.ActorFor(authorUser), co.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, visitor.get(fileURL), http.StatusUnauthorized)
	wantStatus(t, learner.get(fileURL), http.StatusForbidden)
	e.enrol(learnerUser, co.ID)
	got = learner.get(fileURL)
	wantStatus(t, got, http.StatusOK)
	if cc := got.Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("a module's file Cache-Control %q", cc)
	}

	// A PDF with accents downloads under its name, RFC 5987 encoded.
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	res = author.upload(manage+"/files", `C:\Documentos\Guía de Conceição.pdf`, pdf)
	wantStatus(t, res, http.StatusSeeOther)
	m = uploadedURL.FindStringSubmatch(author.get(res.Header.Get("Location")).body)
	if m == nil {
		t.Fatal("no URL after the PDF upload")
	}
	got = learner.get(m[1])
	wantStatus(t, got, http.StatusOK)
	if ct := got.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("pdf Content-Type %q", ct)
	}
	want := `attachment; filename="Guia de Conceicao.pdf"; filename*=UTF-8''Gu%C3%ADa%20de%20Concei%C3%A7%C3%A3o.pdf`
	if cd := got.Header.Get("Content-Disposition"); cd != want {
		t.Errorf("Content-Disposition %q\nwant %q", cd, want)
	}
	// The name in the URL is only for people: the ids find the file.
	wantStatus(t, learner.get(fmt.Sprintf("/courses/%d/files/%s/otro-nombre.pdf", co.ID, strings.Split(m[1], "/")[4])), http.StatusOK)
	// Through another course, the file is not there.
	other, _ := e.course(authorUser, "Otro", true, "Uno")
	e.enrol(learnerUser, other.ID)
	wantStatus(t, learner.get(fmt.Sprintf("/courses/%d/files/%s/x.pdf", other.ID, strings.Split(m[1], "/")[4])), http.StatusNotFound)
}

// TestCourseFilesNeedEnrolment: a published course's files open for those
// who may read its modules, whatever their id; only its cover image, shown
// on the catalogue and the course page, is for everyone, and may be cached
// anywhere. Withdrawing closes the files again.
func TestCourseFilesNeedEnrolment(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	visitor := e.browser()
	co, _ := e.course(authorUser, "Archivos privados", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	urlOf := func(name string, content []byte) string { return author.uploadFile(manage, name, content) }
	cover := urlOf("portada.png", pngImage(t))
	handout := urlOf("Guía del módulo.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"))
	coverID := strings.Split(cover, "/")[4]
	ctx := context.Background()
	if _, err := e.courses.UpdateCourse(ctx, courses.ActorFor(authorUser), co.ID, courses.CourseParams{Title: co.Title, Summary: co.Summary,
		Language: co.Language, WorkloadHours: co.WorkloadHours, CoverAssetID: ptr(parseID(t, coverID))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.courses.Publish(ctx, courses.ActorFor(authorUser), co.ID); err != nil {
		t.Fatal(err)
	}

	page := visitor.get("/courses/" + co.Slug)
	wantBody(t, page, fmt.Sprintf(`src="/courses/%d/files/%s/cover"`, co.ID, coverID))
	got := visitor.get(fmt.Sprintf("/courses/%d/files/%s/cover", co.ID, coverID))
	wantStatus(t, got, http.StatusOK)
	if cc := got.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("cover Cache-Control %q", cc)
	}
	wantStatus(t, visitor.get(handout), http.StatusUnauthorized)
	wantStatus(t, learner.get(handout), http.StatusForbidden)
	// By slug, as in a module's links, the same rule.
	bySlug := strings.Replace(handout, fmt.Sprintf("/courses/%d/", co.ID), "/courses/"+co.Slug+"/", 1)
	wantStatus(t, learner.get(bySlug), http.StatusForbidden)

	e.enrol(learnerUser, co.ID)
	wantStatus(t, learner.get(handout), http.StatusOK)
	wantStatus(t, learner.get(bySlug), http.StatusOK)
	var enrolmentID int64
	if err := e.db.NewSelect().Model((*courses.Enrolment)(nil)).Column("id").Where("course_id = ? AND user_id = ?", co.ID, learnerUser.ID).Scan(ctx, &enrolmentID); err != nil {
		t.Fatal(err)
	}
	if err := e.courses.Withdraw(ctx, learnerUser.ID, enrolmentID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, learner.get(handout), http.StatusForbidden)
}

func ptr[T any](v T) *T { return &v }

func parseID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestUploadRefusesDisguisedHTML: an HTML page renamed .png is refused by
// its content, on the page and in the API, and nothing is kept.
func TestUploadRefusesDisguisedHTML(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	author.speak("es")
	token, _ := e.token(accounts.RoleAdmin)
	co, _ := e.course(authorUser, "Sin disfraces", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	htmlPage := []byte("<!DOCTYPE html>\n<html><body><script>fetch('/api/v1/me')</script></body></html>")

	res := author.upload(manage+"/files", "foto.png", htmlPage)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantBody(t, res, "No se puede adjuntar este tipo de archivo.", `aria-invalid="true"`)

	res = e.apiUpload(fmt.Sprintf("/api/v1/courses/%d/assets", co.ID), token, "foto.png", htmlPage)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var body apiError
	decode(t, res, &body)
	if body.Error.Code != "file_type" || body.Error.Fields["file"] == "" {
		t.Errorf("API refusal %s", res.body)
	}
	// No file at all: 422 on the field.
	res = author.upload(manage+"/files", "", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)

	if files := e.storedBlobs(); len(files) != 0 {
		t.Errorf("stored: %v", files)
	}
	if n := e.assetRows(co.ID); n != 0 {
		t.Errorf("%d rows", n)
	}
	// A real PNG through the API works, with its URL.
	res = e.apiUpload(fmt.Sprintf("/api/v1/courses/%d/assets", co.ID), token, "logo.png", pngImage(t))
	wantStatus(t, res, http.StatusCreated)
	wantBody(t, res, `"content_type":"image/png"`, `"url":"http://aula.test/courses/`, `"markdown":"![logo.png](/courses/`)
}

// rawPost sends a request with a body of size bytes to a real listener
// and returns the status. The body is written while the answer is read:
// a server that refuses from the headers answers before taking it all.
func rawPost(t *testing.T, addr, path, contentType string, body io.Reader, size int64) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: aula.test\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", path, contentType, size)
	go func() { _, _ = io.Copy(conn, body) }() // fails once the server hangs up, as it should
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestUploadOverTheLimit: a 21 MB upload (the limit is 20 MB) gets 413 and
// leaves no file and no row, on the API and on the page.
func TestUploadOverTheLimit(t *testing.T) {
	e := newCoursesEnv(t, 0) // the default: 20 MB
	token, tokenUser := e.token(accounts.RoleInstructor)
	co, _ := e.course(tokenUser, "Archivos grandes", false, "Uno")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Listener(ln) //nolint:errcheck // ends with the test binary
	t.Cleanup(func() { _ = e.app.ShutdownWithTimeout(5 * time.Second) })

	big := append(pngImage(t), bytes.Repeat([]byte{0}, 21<<20)...)
	body, ctype := multipartBody(t, nil, "enorme.png", big)
	apiPath := fmt.Sprintf("/api/v1/courses/%d/assets", co.ID)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	// Announced and sent whole, with a valid token: still refused.
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: aula.test\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		apiPath, token, ctype, len(body))
	go func() { _, _ = conn.Write(body) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	conn.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("21 MB upload to the API: %d, want 413", res.StatusCode)
	}

	// The same through the page's form.
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	page, _ := e.course(authorUser, "Archivos grandes (página)", false, "Uno")
	author.get(fmt.Sprintf("/manage/courses/%d", page.ID))
	body, ctype = multipartBody(t, url.Values{"csrf": {author.csrf}}, "enorme.png", big)
	if status := rawPost(t, ln.Addr().String(), fmt.Sprintf("/manage/courses/%d/files", page.ID), ctype, bytes.NewReader(body), int64(len(body))); status != http.StatusRequestEntityTooLarge {
		t.Errorf("21 MB upload through the page: %d, want 413", status)
	}

	if files := e.storedBlobs(); len(files) != 0 {
		t.Errorf("stored: %v", files)
	}
	if n := e.assetRows(co.ID) + e.assetRows(page.ID); n != 0 {
		t.Errorf("%d rows", n)
	}

	// Other routes keep the 1 MB limit: a 2 MB form is refused too.
	if status := rawPost(t, ln.Addr().String(), "/manage/courses", "application/x-www-form-urlencoded",
		strings.NewReader("title="+strings.Repeat("a", 2<<20)), 2<<20+6); status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB form to a non-upload route: %d, want 413", status)
	}
}

// TestUploadLimitInTheService: a file over the configured limit (here
// 2 MB) in a body the server still reads (up to 3 MB: the limit and the
// 1 MB of any request) is refused by the service as it stores it, with
// 413 and nothing kept; a 1.5 MB file, under the limit but over the 1 MB
// other routes take, is accepted.
func TestUploadLimitInTheService(t *testing.T) {
	e := newCoursesEnv(t, 2<<20)
	token, u := e.token(accounts.RoleInstructor)
	co, _ := e.course(u, "Límite", false, "Uno")
	path := fmt.Sprintf("/api/v1/courses/%d/assets", co.ID)
	img := pngImage(t)

	res := e.apiUpload(path, token, "grande.png", append(img, bytes.Repeat([]byte{1}, 2<<20+1000)...))
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	var body apiError
	decode(t, res, &body)
	if body.Error.Code != "too_large" {
		t.Errorf("refusal %s", res.body)
	}
	if files := e.storedBlobs(); len(files) != 0 {
		t.Errorf("stored: %v", files)
	}
	if n := e.assetRows(co.ID); n != 0 {
		t.Errorf("%d rows", n)
	}
	res = e.apiUpload(path, token, "mediano.png", append(img, bytes.Repeat([]byte{1}, 3<<19)...))
	wantStatus(t, res, http.StatusCreated)
}

// TestFileByteRanges: a download broken on a slow link resumes where it
// stopped instead of starting over.
func TestFileByteRanges(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	co, _ := e.course(authorUser, "Con rangos", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	img := pngImage(t)
	res := author.upload(manage+"/files", "mapa.png", img)
	wantStatus(t, res, http.StatusSeeOther)
	m := uploadedURL.FindStringSubmatch(author.get(res.Header.Get("Location")).body)
	if m == nil {
		t.Fatal("no file URL")
	}
	get := func(headers ...string) response {
		req := httptest.NewRequest(http.MethodGet, m[1], nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return author.do(req)
	}
	size := len(img)
	etag := `"` + sha256Hex(img) + `"`
	for _, tc := range []struct {
		name, rng, ifRange string
		status             int
		body               string
		contentRange       string
	}{
		{"whole", "", "", http.StatusOK, string(img), ""},
		{"middle", "bytes=10-19", "", http.StatusPartialContent, string(img[10:20]), fmt.Sprintf("bytes 10-19/%d", size)},
		{"resume", "bytes=20-", etag, http.StatusPartialContent, string(img[20:]), fmt.Sprintf("bytes 20-%d/%d", size-1, size)},
		{"tail", "bytes=-5", "", http.StatusPartialContent, string(img[size-5:]), fmt.Sprintf("bytes %d-%d/%d", size-5, size-1, size)},
		{"past the end", fmt.Sprintf("bytes=%d-", size), "", http.StatusRequestedRangeNotSatisfiable, "", fmt.Sprintf("bytes */%d", size)},
		{"changed content", "bytes=20-", `"other"`, http.StatusOK, string(img), ""},
		{"several ranges", "bytes=0-1,5-6", "", http.StatusOK, string(img), ""},
		{"garbage", "bytes=x-y", "", http.StatusOK, string(img), ""},
	} {
		res := get("Range", tc.rng, "If-Range", tc.ifRange)
		if res.StatusCode != tc.status || res.Header.Get("Content-Range") != tc.contentRange || (tc.body != "" && res.body != tc.body) {
			t.Errorf("%s: %d, Content-Range %q, %d bytes; want %d, %q, %d bytes",
				tc.name, res.StatusCode, res.Header.Get("Content-Range"), len(res.body), tc.status, tc.contentRange, len(tc.body))
		}
	}
}

// TestModulePageShowsResizedImages: a 3000-pixel photo and a transparent
// 3000-pixel PNG, uploaded as course files and shown in a module, reach
// the module page at most 960 pixels wide (the photo a JPEG, the PNG
// still a PNG with its transparency); the files' own addresses still give
// the originals; and the smaller versions follow the files' access rules.
func TestModulePageShowsResizedImages(t *testing.T) {
	e := newCoursesEnv(t, 0)
	author, authorUser := e.signedIn(accounts.RoleInstructor)
	learner, learnerUser := e.signedIn(accounts.RoleLearner)
	stranger, _ := e.signedIn(accounts.RoleLearner)
	co, _ := e.course(authorUser, "Con fotos", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	author.get(manage)
	photo, diagram := bigImage(t, "jpeg"), bigImage(t, "png")
	urlOf := func(name string, content []byte) string { return author.uploadFile(manage, name, content) }
	photoURL, diagramURL := urlOf("Reunión en São Paulo.jpg", photo), urlOf("diagrama.png", diagram)
	res := author.post(manage+"/modules", url.Values{"title": {"Con imágenes"}, "estimated_minutes": {"5"},
		"body_markdown": {"Foto:\n\n![Reunión](" + photoURL + ")\n\n![Diagrama](" + diagramURL + ")\n\n[Descargar la foto](" + photoURL + ")"}})
	wantStatus(t, res, http.StatusSeeOther)
	if _, err := e.courses.Publish(context.Background(), courses.ActorFor(authorUser), co.ID); err != nil {
		t.Fatal(err)
	}
	e.enrol(learnerUser, co.ID)
	mods, err := e.courses.EditModules(context.Background(), courses.ActorFor(authorUser), co.ID)
	if err != nil {
		t.Fatal(err)
	}
	page := learner.get(fmt.Sprintf("/courses/%s/modules/%d", co.Slug, mods[len(mods)-1].ID))
	wantStatus(t, page, http.StatusOK)
	srcs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(page.body, -1)
	if len(srcs) != 2 {
		t.Fatalf("module page has %d images:\n%s", len(srcs), page.body)
	}
	// The link to the file still points at the original.
	wantBody(t, page, `href="`+photoURL+`"`)
	pageBytes, originalBytes := 0, len(photo)+len(diagram)
	for i, want := range []struct {
		format string
		alpha  bool
	}{{"jpeg", false}, {"png", true}} {
		src := html.UnescapeString(srcs[i][1])
		got := learner.get(src)
		wantStatus(t, got, http.StatusOK)
		img, format, err := image.Decode(strings.NewReader(got.body))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		pageBytes += len(got.body)
		if w := img.Bounds().Dx(); w > courses.PageImageWidth || w < courses.PageImageWidth/2 || format != want.format {
			t.Errorf("%s: a %d px wide %s, want ≤ %d px %s", src, w, format, courses.PageImageWidth, want.format)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); want.alpha && a != 0 {
			t.Errorf("%s: the transparent corner has alpha %d", src, a)
		}
		// Asked again: the stored version, the same bytes, and 304 by ETag.
		again := learner.get(src)
		if again.body != got.body || again.Header.Get("ETag") == "" || again.Header.Get("ETag") == `"`+sha256Hex(photo)+`"` {
			t.Errorf("%s: second answer differs or has the original's ETag %q", src, again.Header.Get("ETag"))
		}
		req, _ := http.NewRequest(http.MethodGet, src, nil)
		req.Header.Set("If-None-Match", got.Header.Get("ETag"))
		if res := learner.do(req); res.StatusCode != http.StatusNotModified || res.body != "" {
			t.Errorf("%s: revalidation: %d with %d bytes, want 304 and none", src, res.StatusCode, len(res.body))
		}
		// The ETag is revalidated only for those who may read the file.
		req, _ = http.NewRequest(http.MethodGet, src, nil)
		req.Header.Set("If-None-Match", got.Header.Get("ETag"))
		wantStatus(t, stranger.do(req), http.StatusForbidden)
		// Those who may not read the module get neither version.
		wantStatus(t, stranger.get(src), http.StatusForbidden)
		wantStatus(t, e.browser().get(src), http.StatusUnauthorized)
	}
	t.Logf("module page images: %d bytes, originals %d bytes", pageBytes, originalBytes)
	if got := learner.get(photoURL); got.body != string(photo) {
		t.Errorf("the file's own address gives %d bytes, not the %d-byte original", len(got.body), len(photo))
	}
}

// uploadFile uploads a file to the course managed at manage, through its
// dashboard, and returns the file's address the page then shows.
func (c *client) uploadFile(manage, name string, content []byte) string {
	c.e.t.Helper()
	res := c.upload(manage+"/files", name, content)
	wantStatus(c.e.t, res, http.StatusSeeOther)
	m := uploadedURL.FindStringSubmatch(c.get(res.Header.Get("Location")).body)
	if m == nil {
		c.e.t.Fatal("no file URL")
	}
	return m[1]
}

// bigImage is a 3000×2000 image with detail (a JPEG photo, or a PNG with
// a transparent corner).
func bigImage(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 3000, 2000))
	for y := range 2000 {
		for x := range 3000 {
			img.Set(x, y, color.NRGBA{R: uint8(x * 7), G: uint8(y * 5), B: uint8((x ^ y) * 3), A: 255})
		}
	}
	for y := range 200 {
		for x := range 200 {
			img.Set(x, y, color.NRGBA{})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
