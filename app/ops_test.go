package app_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/app"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/postgres"
	"github.com/aula-platform/aula/wiring"
)

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	wantStatus(t, c.get("/healthz"), http.StatusOK)
	wantStatus(t, c.get("/readyz"), http.StatusOK)

	// A database nobody answers on: the process lives, but is not ready.
	down := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN("postgres://postgres@127.0.0.1:1/none?sslmode=disable"))), pgdialect.New())
	defer down.Close()
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := wiring.New(down, wiring.Options{Blobs: blobs, BaseURL: "https://aula.test"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{BaseURL: "https://aula.test", Secret: []byte(strings.Repeat("s", 32))},
		app.Deps{DB: down, Services: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 503} {
		res, err := a.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != want {
			t.Errorf("%s with the database down: %d, want %d", path, res.StatusCode, want)
		}
	}
	// Pages that need the database say, in the user's language, that Aula
	// is briefly unavailable: 503 with Retry-After, no SQL or stack.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "aula_session", Value: "x"})
	req.Header.Set("Accept-Language", "es")
	res, err := a.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || strings.Contains(string(body), "127.0.0.1:1") ||
		strings.Contains(string(body), "goroutine") || !strings.Contains(string(body), "Aula no puede comunicarse con su base de datos") {
		t.Errorf("database failure page: %d, Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	// The API says the same in JSON.
	req = httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer whatever")
	res, err = a.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || !strings.Contains(string(body), `"code":"unavailable"`) {
		t.Errorf("database failure in the API: %d, Retry-After %q\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("https installation without HSTS")
	}
}

func TestErrorsAndHeaders(t *testing.T) {
	e := newEnv(t)
	c := e.browser()
	c.lang = "es"
	res := c.get("/no/such/page")
	wantStatus(t, res, http.StatusNotFound)
	if !strings.Contains(res.body, "No encontramos lo que buscaba.") || !strings.Contains(res.body, "<html") {
		t.Errorf("404 page not translated HTML:\n%s", res.body)
	}
	for header, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(res.Header.Get(header), want) {
			t.Errorf("%s = %q, want %q", header, res.Header.Get(header), want)
		}
	}
	if strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}

	api := e.api(http.MethodGet, "/api/v1/nothing", "", nil, "Accept-Language", "pt-PT")
	wantStatus(t, api, http.StatusNotFound)
	var body apiError
	decode(t, api, &body)
	if body.Error.Code != "not_found" || body.Error.Message != "Não encontrámos o que procurava." {
		t.Errorf("API 404 %s", api.body)
	}
	if ct := api.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("API error content type %q", ct)
	}

	// Over the 1 MB body limit: 413 from the server itself (app.Test cannot
	// send it, so this goes through a real listener).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Listener(ln) //nolint:errcheck // ends with the test binary
	// Announce a 2 MB body and send its first 16 KB only: bodies are
	// streamed, and the server answers 413 from the length announced
	// after reading little more than 8 KB (a client still writing would only
	// see a reset).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/tokens HTTP/1.1\r\nHost: aula.test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", 2<<20, strings.Repeat(" ", 16<<10))
	big, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	big.Body.Close()
	if big.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB body: %d, want 413", big.StatusCode)
	}

	static := c.get("/static/aula.css?v=nope")
	wantStatus(t, static, http.StatusOK)
	if !strings.HasPrefix(static.Header.Get("Content-Type"), "text/css") {
		t.Errorf("css served as %q", static.Header.Get("Content-Type"))
	}
}

// opsInstallation is Aula on the package's test database like
// newInstallation, with what the operator's tests vary: the web
// configuration, the database handle and where the log goes.
type opsInstallation struct {
	cfg   app.Config
	db    *bun.DB   // the package's test database when nil
	log   io.Writer // the test's output when nil
	blobs courses.BlobStore
}

func newOpsEnv(t *testing.T, in opsInstallation) (*env, *wiring.Services) {
	t.Helper()
	if in.db == nil {
		in.db = testdb.Open(t, "app")
	}
	var w io.Writer = testLog{t}
	if in.log != nil {
		w = in.log
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if in.blobs == nil {
		blobs, err := courses.NewDirStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		in.blobs = blobs
	}
	svc, err := wiring.New(in.db, wiring.Options{Blobs: in.blobs, UploadMaxBytes: in.cfg.UploadMaxBytes, BaseURL: "http://aula.test", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	in.cfg.BaseURL = "http://aula.test"
	in.cfg.Secret = []byte("test-secret-test-secret-test-secret!")
	in.cfg.TrustedProxies = []string{"0.0.0.0"}
	a, err := app.New(in.cfg, app.Deps{DB: in.db, Services: svc, Logger: log, Now: rateLimitClock})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: in.db, app: a, accounts: svc.Accounts}, svc
}

// syncBuffer is a log destination tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestProbesLoggedAtDebug: a load balancer probes every few seconds; at
// the default INFO level those lines would bury the requests of people.
func TestProbesLoggedAtDebug(t *testing.T) {
	var logs syncBuffer
	e, _ := newOpsEnv(t, opsInstallation{log: &logs})
	c := e.browser()
	wantStatus(t, c.get("/healthz"), http.StatusOK)
	wantStatus(t, c.get("/readyz"), http.StatusOK)
	wantStatus(t, c.get("/courses"), http.StatusOK)
	out := logs.String()
	if strings.Contains(out, "path=/healthz") || strings.Contains(out, "path=/readyz") {
		t.Errorf("a probe is logged at INFO:\n%s", out)
	}
	if !strings.Contains(out, "path=/courses") {
		t.Errorf("a page request is not logged at INFO:\n%s", out)
	}
}

// TestPoolExhaustedIs503: with every connection taken, a page gets a
// quick 503 with Retry-After instead of queueing for a connection.
func TestPoolExhaustedIs503(t *testing.T) {
	testdb.Open(t, "app")
	dsn, err := testdb.URL("app")
	if err != nil {
		t.Fatal(err)
	}
	db := postgres.Open(dsn, postgres.Options{MaxConns: 2, ConnWait: 100 * time.Millisecond})
	defer db.Close()
	e, _ := newOpsEnv(t, opsInstallation{db: db})
	ctx := context.Background()
	for range 2 { // a stuck job holds every connection
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
	}
	c := e.browser()
	c.lang = "pt-PT"
	// Without a bound on the wait the request would queue until the test
	// let the connections go, never answering 503: the status is the proof.
	res := c.get("/courses")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" || !strings.Contains(res.body, "A Aula está momentaneamente indisponível") {
		t.Errorf("exhausted pool page: Retry-After %q\n%s", res.Header.Get("Retry-After"), res.body)
	}
}

// faultyBlobs is real storage whose disk can be made full or read-only.
type faultyBlobs struct {
	courses.BlobStore
	fault atomic.Value // syscall.Errno; 0: healthy
}

func (b *faultyBlobs) err(op string) error {
	if errno, _ := b.fault.Load().(syscall.Errno); errno != 0 {
		return fmt.Errorf("courses: put blob: %w", &fs.PathError{Op: op, Path: "/var/data/blobs/tmp/put-1", Err: errno})
	}
	return nil
}

func (b *faultyBlobs) Put(ctx context.Context, r io.Reader, max int64) (courses.Blob, error) {
	if err := b.err("write"); err != nil {
		return courses.Blob{}, err
	}
	return b.BlobStore.Put(ctx, r, max)
}

func (b *faultyBlobs) Check(ctx context.Context) error {
	if errno, _ := b.fault.Load().(syscall.Errno); errno == syscall.EROFS {
		return b.err("open")
	}
	return b.BlobStore.Check(ctx)
}

// TestStorageFaults: a full disk answers 507 and a read-only one 503, each
// with a message that says what happened, and /readyz turns not ready
// when the storage cannot be written (a full disk still serves reads).
func TestStorageFaults(t *testing.T) {
	dir, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobs := &faultyBlobs{BlobStore: dir}
	blobs.fault.Store(syscall.Errno(0))
	e, svc := newOpsEnv(t, opsInstallation{blobs: blobs})
	ce := &coursesEnv{env: e, courses: svc.Courses}
	author, authorUser := ce.signedIn(accounts.RoleInstructor)
	co, _ := ce.course(authorUser, "Archivos", false, "Uno")
	manage := fmt.Sprintf("/manage/courses/%d", co.ID)
	token, _ := ce.token(accounts.RoleAdmin)
	for _, tc := range []struct {
		fault  syscall.Errno
		status int
		page   string
		code   string
		ready  int
	}{
		{syscall.ENOSPC, http.StatusInsufficientStorage, "The server has no space left to store files", "storage_full", http.StatusOK},
		{syscall.EROFS, http.StatusServiceUnavailable, "Files cannot be stored at the moment", "storage_unavailable", http.StatusServiceUnavailable},
	} {
		blobs.fault.Store(tc.fault)
		author.get(manage)
		res := author.upload(manage+"/files", "Informe.png", pngImage(t))
		if res.StatusCode != tc.status || !strings.Contains(res.body, tc.page) {
			t.Errorf("%v: upload page %d, want %d with %q\n%.2000s", tc.fault, res.StatusCode, tc.status, tc.page, res.body)
		}
		api := ce.apiUpload(fmt.Sprintf("/api/v1/courses/%d/assets", co.ID), token, "Informe.png", pngImage(t))
		if api.StatusCode != tc.status || !strings.Contains(api.body, `"code":"`+tc.code+`"`) {
			t.Errorf("%v: API upload %d, want %d %s\n%s", tc.fault, api.StatusCode, tc.status, tc.code, api.body)
		}
		wantStatus(t, e.browser().get("/readyz"), tc.ready)
	}
	if n := ce.assetRows(co.ID); n != 0 {
		t.Errorf("%d file rows written by failed uploads", n)
	}
	blobs.fault.Store(syscall.Errno(0))
	wantStatus(t, e.browser().get("/readyz"), http.StatusOK)
}

// TestLargeBodiesOnlyFromUploaders: the upload routes take a 20 MB body
// only from a user who may upload there; an anonymous client or a
// learner announcing one gets 413 before the server reads more than a
// few KB of it, so ten of them cannot fill the process's memory.
func TestLargeBodiesOnlyFromUploaders(t *testing.T) {
	e := newCoursesEnv(t, 0)
	_, teacher := e.signedIn(accounts.RoleInstructor)
	co, _ := e.course(teacher, "Subidas", false, "Uno")
	learnerToken, _ := e.token(accounts.RoleLearner)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Listener(ln) //nolint:errcheck // ends with the test binary
	for who, auth := range map[string]string{"anonymous": "", "learner": "Authorization: Bearer " + learnerToken + "\r\n"} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(conn, "POST /api/v1/courses/%d/assets HTTP/1.1\r\nHost: aula.test\r\n%sContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n%s",
			co.ID, auth, 20<<20, "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"grande.png\"\r\n\r\n"+strings.Repeat("x", 16<<10))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Errorf("%s 20 MB upload: no answer before the body was sent (%v): the server is reading it", who, err)
		} else {
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s 20 MB upload: %d, want 413", who, res.StatusCode)
			}
		}
		conn.Close()
	}
}
