package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// coursesEnv is a running Aula whose course files go to a blob store in a
// temporary directory, so tests can see what was stored.
type coursesEnv struct {
	*env
	courses *courses.Service
	blobs   string
}

// newCoursesEnv starts Aula with uploads capped at uploadMax bytes (0: the
// default, 20 MB).
func newCoursesEnv(t *testing.T, uploadMax int64) *coursesEnv {
	t.Helper()
	root := filepath.Join(t.TempDir(), "blobs")
	e, svc := newInstallation(t, installation{blobs: root, uploadMax: uploadMax})
	return &coursesEnv{env: e, courses: svc.Courses, blobs: root}
}

// storedBlobs lists the files in the blob store (uploads in progress too).
func (e *coursesEnv) storedBlobs() []string {
	e.t.Helper()
	var files []string
	err := filepath.WalkDir(e.blobs, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return files
}

// assetRows counts the file rows of a course.
func (e *coursesEnv) assetRows(courseID int64) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Model((*courses.Asset)(nil)).Where("course_id = ?", courseID).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// course creates a course through the service, as actor u, with modules
// titled mods; publish says whether it ends up published.
func (e *coursesEnv) course(u *accounts.User, title string, publish bool, mods ...string) (*courses.Course, []*courses.Module) {
	e.t.Helper()
	ctx := context.Background()
	a := courses.ActorFor(u)
	c, err := e.courses.CreateCourse(ctx, a, courses.CourseParams{Title: title + " " + unique(""), Summary: "Resumen: protección social.", Language: "es", WorkloadHours: 6})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*courses.Module
	for _, mt := range mods {
		m, err := e.courses.CreateModule(ctx, a, c.ID, courses.ModuleParams{Title: mt, BodyMarkdown: "## " + mt + "\n\nTexto del módulo.", EstimatedMinutes: 10})
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, m)
	}
	if publish {
		if c, err = e.courses.Publish(ctx, a, c.ID); err != nil {
			e.t.Fatal(err)
		}
	}
	return c, out
}

// enrol enrols a learner in a published course.
func (e *coursesEnv) enrol(u *accounts.User, courseID int64) {
	e.t.Helper()
	if _, err := e.courses.Enrol(context.Background(), u.ID, courseID, nil); err != nil {
		e.t.Fatal(err)
	}
}

// multipartBody builds a multipart/form-data body with fields and one file.
func multipartBody(t *testing.T, fields url.Values, fileName string, content []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if fileName != "" {
		fw, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// upload sends a file through a page's upload form, with the CSRF token
// of the last page seen.
func (c *client) upload(path, fileName string, content []byte) response {
	c.e.t.Helper()
	body, ctype := multipartBody(c.e.t, url.Values{"csrf": {c.csrf}}, fileName, content)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	return c.do(req)
}

// apiUpload sends a file to the API with a bearer token.
func (e *env) apiUpload(path, token, fileName string, content []byte) response {
	e.t.Helper()
	body, ctype := multipartBody(e.t, nil, fileName, content)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	res.Body.Close()
	return response{Response: res, body: b.String()}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// pngImage returns a small PNG.
func pngImage(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 6, 4))
	for x := range 6 {
		img.Set(x, 1, color.RGBA{R: 11, G: 92, B: 173, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantBody fails the test unless the response body contains every want.
func wantBody(t *testing.T, res response, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(res.body, w) {
			body := res.body
			if len(body) > 3000 {
				body = body[:3000]
			}
			t.Errorf("%s %s: body lacks %q\n%s", res.Request.Method, res.Request.URL, w, body)
		}
	}
}

// speak switches a signed-in browser's language (saved on the account).
func (c *client) speak(lang string) {
	c.e.t.Helper()
	c.get("/")
	if res := c.post("/language", url.Values{"lang": {lang}, "next": {"/"}}); res.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("switch to %s: %d", lang, res.StatusCode)
	}
	c.lang = lang
	c.get("/")
}
