package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/aula-platform/aula/accounts"
)

// TestPublicPagesCacheable: a visitor without cookies gets the catalogue
// and a published course's page without a cookie, cacheable for a few
// seconds by a proxy, with an ETag that a revalidation answers with 304;
// a learner's pages stay private.
func TestPublicPagesCacheable(t *testing.T) {
	e := newQuizEnv(t)
	_, teacher := e.token(accounts.RoleInstructor)
	course, _ := quizCourse(t, e.db, teacher, 2)

	for _, path := range []string{"/courses", "/courses/" + course.Slug} {
		res := e.browser().get(path)
		wantStatus(t, res, http.StatusOK)
		if ck := res.Header.Values("Set-Cookie"); len(ck) > 0 {
			t.Errorf("%s sets cookies on a visitor: %q", path, ck)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
			t.Errorf("%s: Cache-Control %q, want public with a max-age", path, cc)
		}
		if v := res.Header.Values("Vary"); !strings.Contains(strings.Join(v, ","), "Accept-Language") {
			t.Errorf("%s: Vary %q lacks Accept-Language", path, v)
		}
		if !strings.Contains(res.body, `href="/language?lang=es&amp;next=`) {
			t.Errorf("%s: no language links for a visitor", path)
		}
		tag := res.Header.Get("ETag")
		if tag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-None-Match", tag)
		again := e.browser().do(req)
		if again.StatusCode != http.StatusNotModified || again.body != "" {
			t.Errorf("%s revalidated: %d with %d bytes, want 304 and none", path, again.StatusCode, len(again.body))
		}
	}

	// The language link sets the visitor's language, nothing else.
	v := e.browser()
	res := v.get("/language?lang=es&next=/courses")
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/courses" || v.cookies["aula_lang"] != "es" {
		t.Fatalf("language link: Location %q, cookies %v", res.Header.Get("Location"), v.cookies)
	}
	if res := v.get("/courses"); !strings.Contains(res.body, `lang="es"`) {
		t.Errorf("catalogue after choosing Spanish is not in Spanish")
	}
	wantStatus(t, e.browser().get("/language?lang=xx&next=/"), http.StatusBadRequest)

	learner := e.user(accounts.RoleLearner)
	e.enrol(learner, course.ID)
	b := e.browser()
	b.signIn(learner.Email, testPassword)
	for _, path := range []string{"/courses", "/courses/" + course.Slug, "/my/courses"} {
		if cc := b.get(path).Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s signed in: Cache-Control %q, want no-store", path, cc)
		}
	}
}

// TestCompression: pages, JSON and static files come compressed as the
// client asks, with Vary: Accept-Encoding: gzip when it takes gzip (as
// every browser does, listing brotli too: gzip is the cheaper at the
// fastest levels), brotli for a client that takes brotli alone.
func TestCompression(t *testing.T) {
	e := newEnv(t)
	for range 8 { // a course list too long for one TCP segment
		e.enrolCourse(0)
	}
	static := e.browser().get("/courses")
	css := regexpFind(t, static.body, `rel="stylesheet" href="([^"]+)"`)
	for _, tc := range []struct{ path, encoding string }{
		{"/courses", "br"},
		{"/courses", "gzip"},
		{"/courses", "gzip, deflate, br, zstd"},
		{"/api/v1/courses", "gzip"},
		{css, "br"},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Header.Set("Accept-Encoding", tc.encoding)
		res, err := e.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want := tc.encoding
		if strings.Contains(want, "gzip") {
			want = "gzip"
		}
		if got := res.Header.Get("Content-Encoding"); got != want {
			t.Errorf("%s with %s: Content-Encoding %q", tc.path, tc.encoding, got)
			continue
		}
		if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("%s: no Vary: Accept-Encoding", tc.path)
		}
		var r io.Reader
		if want == "br" {
			r = brotli.NewReader(bytes.NewReader(raw))
		} else if r, err = gzip.NewReader(bytes.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(r)
		if err != nil || len(plain) <= len(raw) {
			t.Errorf("%s: %d bytes compressed to %d (%v)", tc.path, len(plain), len(raw), err)
		}
	}
}

// TestSmallAnswersUncompressed: an answer that fits in one TCP segment
// comes as it is whatever the client accepts (compressing it would save
// no round trip), and a large one of the same route is still compressed.
func TestSmallAnswersUncompressed(t *testing.T) {
	e := newEnv(t)
	for range 8 {
		e.enrolCourse(0)
	}
	for _, tc := range []struct {
		path       string
		compressed bool
	}{
		{"/api/v1/courses?limit=1", false},
		{"/api/v1/courses", true},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		res, err := e.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got := res.Header.Get("Content-Encoding")
		switch {
		case tc.compressed && got != "gzip":
			t.Errorf("%s: Content-Encoding %q (%d bytes), want gzip", tc.path, got, len(raw))
		case !tc.compressed && got != "":
			t.Errorf("%s: Content-Encoding %q, want none", tc.path, got)
		case !tc.compressed && !strings.HasPrefix(string(raw), "{"):
			t.Errorf("%s: body %q, want the JSON as it is", tc.path, raw)
		}
	}
}

// regexpFind returns the first group of pattern in s.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}
