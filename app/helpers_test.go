package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/jobs"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/wiring"
)

// env is a running Aula on the test database.
type env struct {
	t        *testing.T
	db       *bun.DB
	app      *fiber.App
	accounts *accounts.Service
	jobs     *jobs.Queue // the installation's queue; workJobs works it
	// statements counts every statement run on db (statements_test.go).
	statements *atomic.Int64
}

const testPassword = "correct horse battery"

// newEnv is Aula on the package's test database, wired as `aula serve`
// wires it.
func newEnv(t *testing.T) *env {
	t.Helper()
	e, _ := newInstallation(t, installation{})
	return e
}

// installation says how a test's Aula differs from the default one.
type installation struct {
	database  string            // test database ("app" when empty)
	blobs     string            // directory of course files (a temporary one when empty)
	uploadMax int64             // largest course file (the default when 0)
	clock     func() time.Time  // the domain services' clock (time.Now when nil)
	pdfCache  int64             // certificates' PDF cache (the default when 0)
	quietLog  bool              // discard the server's log (benchmarks)
	location  *time.Location    // AULA_TIMEZONE (UTC when nil)
	mail      notify.Sender     // the SMTP relay (none: mail is held in the outbox)
	exportMax int               // the most rows an export streams (reports' default when 0)
	store     courses.BlobStore // file storage (a DirStore in blobs when nil)
	appClock  func() time.Time  // the web layer's clock: rate limits, public page cache (rateLimitClock when nil)
}

// newInstallation builds every domain service with wiring.New, exactly as
// `aula serve` does, and the web app on top: no test runs on services
// wired by hand with a hook or requirement missing.
func newInstallation(tb testing.TB, in installation) (*env, *wiring.Services) {
	tb.Helper()
	if in.database == "" {
		in.database = "app"
	}
	if in.blobs == "" {
		in.blobs = tb.TempDir()
	}
	db, statements := countedDB(testdb.Open(tb, in.database))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tt, _ := tb.(*testing.T) // env's helpers report through a *testing.T; benchmarks use none of them
	if tt != nil && !in.quietLog {
		log = slog.New(slog.NewTextHandler(testLog{tt}, nil))
	}
	var blobs courses.BlobStore = in.store
	if blobs == nil {
		dir, err := courses.NewDirStore(in.blobs)
		if err != nil {
			tb.Fatal(err)
		}
		blobs = dir
	}
	if in.appClock == nil {
		in.appClock = rateLimitClock
	}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, UploadMaxBytes: in.uploadMax, BaseURL: "http://aula.test",
		Logger: log, Now: in.clock, PDFCacheBytes: in.pdfCache, Location: in.location, Mail: in.mail, MailFrom: "Aula <aula@aula.test>",
		ReportInlineRows: in.exportMax})
	if err != nil {
		tb.Fatal(err)
	}
	a, err := app.New(app.Config{
		BaseURL: "http://aula.test",
		Secret:  []byte("test-secret-test-secret-test-secret!"),
		// app.Test connects from 0.0.0.0: trusting it lets each test client
		// have its own X-Forwarded-For address, so rate limits stay per test.
		TrustedProxies: []string{"0.0.0.0"},
		UploadMaxBytes: in.uploadMax,
		Location:       in.location,
	}, app.Deps{DB: db, Services: svc, Logger: log, Now: in.appClock})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{t: tt, db: db, app: a, accounts: svc.Accounts, jobs: svc.Jobs, statements: statements}, svc
}

// rateLimitClock stands still for the whole test binary, so a test that
// counts up to a rate limit never sees its minute window roll over midway.
// Keys are per test client (each has its own address), so tests do not
// share counters.
var rateLimitClock = func() func() time.Time {
	t := time.Now().UTC().Truncate(time.Minute).Add(30 * time.Second)
	return func() time.Time { return t }
}()

// testLog sends the server's log to the test's output, shown only when
// the test fails.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var seq atomic.Int64

// unique returns a string no other call in this test binary returns.
func unique(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, seq.Add(1))
}

// testPasswordHash is hashed once: argon2id is slow on purpose, and tests
// create many users.
var testPasswordHash = sync.OnceValue(func() string {
	h, err := accounts.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// user creates a user with role and testPassword.
func (e *env) user(role accounts.Role) *accounts.User {
	e.t.Helper()
	u := &accounts.User{Email: unique("user") + "@example.org", Name: "João Conceição " + unique(""),
		Role: role, Locale: "en", PasswordHash: testPasswordHash()}
	if role == accounts.RoleCoordinator {
		u.InstitutionID = &e.institution().ID // a coordinator always has one
	}
	if err := accounts.NewStore(e.db).InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// client is a browser: it keeps cookies and reads CSRF tokens from forms.
type client struct {
	e       *env
	ip      string
	cookies map[string]string
	lang    string
	csrf    string
}

func (e *env) browser() *client {
	n := seq.Add(1)
	return &client{e: e, ip: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255), cookies: map[string]string{}, lang: "en"}
}

type response struct {
	*http.Response
	body string
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	req.Header.Set("X-Forwarded-For", c.ip)
	if c.lang != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := c.e.app.Test(req, -1)
	if err != nil {
		c.e.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Unix() <= 0) {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfInput.FindStringSubmatch(string(body)); m != nil {
		c.csrf = m[1]
	}
	return response{Response: res, body: string(body)}
}

func (c *client) get(path string) response {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form with the CSRF token of the last page seen.
func (c *client) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw sends a form exactly as given.
func (c *client) postRaw(path string, form url.Values) response {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) signIn(email, password string) response {
	c.e.t.Helper()
	if res := c.get("/signin"); res.StatusCode == http.StatusSeeOther {
		c.get("/") // signed in already: take the form token from a page
	}
	res := c.post("/signin", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode == http.StatusSeeOther {
		c.get("/") // a signed-in page carries the new session's form token
	}
	return res
}

// signedIn returns a browser signed in as a new user with role.
func (e *env) signedIn(role accounts.Role) (*client, *accounts.User) {
	e.t.Helper()
	u := e.user(role)
	c := e.browser()
	if res := c.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d", role, res.StatusCode)
	}
	return c, u
}

// api calls the JSON API with an optional bearer token.
func (e *env) api(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = strings.NewReader(string(data))
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.200.%d.%d", seq.Add(1)&255, seq.Add(1)&255))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return response{Response: res, body: string(data)}
}

// token returns an API token for a new user with role.
func (e *env) token(role accounts.Role) (string, *accounts.User) {
	e.t.Helper()
	u := e.user(role)
	res := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": u.Email, "password": testPassword})
	if res.StatusCode != http.StatusCreated {
		e.t.Fatalf("token for %s: %d %s", role, res.StatusCode, res.body)
	}
	var out struct{ Token string }
	decode(e.t, res, &out)
	return out.Token, u
}

func decode(t *testing.T, res response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(res.body), v); err != nil {
		t.Fatalf("decode %q: %v", res.body, err)
	}
}

// apiError is the error shape of the API contract.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func wantStatus(t *testing.T, res response, status int) {
	t.Helper()
	if res.StatusCode != status {
		body := res.body
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL, res.StatusCode, status, body)
	}
}

func itoa(id int64) string { return fmt.Sprint(id) }
