package e2e_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aula-platform/aula/migrations/testdb"
)

// server is a running `aula serve`.
type server struct {
	URL  string
	bin  string
	env  []string
	logs *strings.Builder
}

const (
	adminEmail    = "admin@e2e.test"
	adminPassword = "tres tigres tristes en el trigal" // passes the password rules
)

// startServer builds the binary and serves it on a free port with an empty
// database, so start-up migrations and demo seeding run as on a new machine.
func startServer(t *testing.T) *server {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "aula")
	build := exec.Command("go", "build", "-o", bin, "./cmd/aula")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	testdb.OpenEmpty(t, "e2e") // a fresh, empty database
	dsn, err := testdb.URL("e2e")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	s := &server{URL: "http://" + addr, bin: bin, logs: &strings.Builder{}}
	s.env = append(os.Environ(),
		"AULA_ADDR="+addr,
		"AULA_BASE_URL="+s.URL,
		"AULA_DATABASE_URL="+dsn,
		"AULA_DATA_DIR="+filepath.Join(dir, "data"),
		"AULA_ADMIN_EMAIL="+adminEmail,
		"AULA_ADMIN_PASSWORD="+adminPassword,
		"AULA_DEMO=1",
	)
	cmd := exec.Command(bin, "serve")
	cmd.Env = s.env
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("aula serve did not stop within 20 s of SIGINT")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.URL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 60 s\n%s", s.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return s
}

// run runs an `aula` subcommand against the server's database.
func (s *server) run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(s.bin, args...)
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aula %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// browser starts a headless Chromium; the test fails (not skips) when none
// is installed, since `make test` installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("no Chromium found: install it (apt-get install -y chromium) or run `make test`")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // root in CI
		chromedp.DisableGPU,
		// This machine's network is closed: no background connections.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// do runs browser steps, each step group limited to a minute, and fails
// the test with where the browser was and what it showed.
func do(t *testing.T, ctx context.Context, step string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		url, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s:\n%s", step, err, url, body)
	}
}

// signIn fills the sign-in form.
func signIn(t *testing.T, ctx context.Context, s *server, email, password string) {
	t.Helper()
	do(t, ctx, "sign in as "+email,
		chromedp.Navigate(s.URL+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("form[action='/signout']")),
	)
}

// textOf returns the visible text of the first element matching a CSS selector.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Fatalf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// clickAndWaitForNewPage clicks what sel matches and waits until the
// browser has loaded another document (even at the same address, as after
// a POST that redirects back), so the next read sees the new page.
func clickAndWaitForNewPage(t *testing.T, ctx context.Context, step, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.aulaOldPage = true`)); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	do(t, ctx, step, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(30 * time.Second)
	for {
		old, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.aulaOldPage === true`))
		if err == nil && !old {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no new page after 30 s", step)
		}
		time.Sleep(50 * time.Millisecond)
	}
	do(t, ctx, step+": page loaded", chromedp.WaitVisible(chromedp.CSS("footer.site")))
}

// completeModules marks every module complete, from the first module's
// page on: each "complete" button leads to the next module.
func completeModules(t *testing.T, ctx context.Context) {
	t.Helper()
	for range 20 {
		more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("section.complete button")`))
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			return
		}
		clickAndWaitForNewPage(t, ctx, "mark a module complete", "section.complete button")
	}
	t.Fatal("still a module to complete after 20")
}
