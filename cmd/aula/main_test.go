package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/postgres"
)

// TestMain removes the binary the tests built. Each test drops the
// databases it made itself (newDatabaseURL).
func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

var (
	binDir, _ = os.MkdirTemp("", "aula-cmd-test-")
	// binary is `go build ./cmd/aula`, built once per test binary: the
	// tests of start and stop run the real thing, as an operator does.
	binary = sync.OnceValues(func() (string, error) {
		bin := filepath.Join(binDir, "aula")
		out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("go build: %v\n%s", err, out)
		}
		return bin, nil
	})
	dbSeq atomic.Int64
)

// newDatabaseURL returns the address of a database that does not exist
// yet (a new installation's), dropped when the test ends.
func newDatabaseURL(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("cmd%d", dbSeq.Add(1))
	dsn, err := testdb.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(t, testdb.Name(name)) })
	return dsn
}

func dropDatabase(t *testing.T, name string) {
	server := os.Getenv("AULA_TEST_DATABASE_URL")
	if server == "" {
		server = testdb.DefaultURL
	}
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(server)))
	defer admin.Close()
	if _, err := admin.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name)); err != nil {
		t.Logf("drop %s: %v", name, err)
	}
}

// freeAddr returns a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a running `aula …` with its output.
type process struct {
	cmd  *exec.Cmd
	addr string
	out  *syncBuffer
	done chan struct{}
	err  error
}

// syncBuffer collects a process's output while the test reads it.
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

// testEnv is the environment of an `aula` run by a test: a database and a
// data directory of its own, a free address, and nothing from the
// developer's AULA_* settings.
func testEnv(t *testing.T, dsn, dataDir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AULA_") {
			env = append(env, kv)
		}
	}
	return append(env, append([]string{
		"AULA_DATABASE_URL=" + dsn,
		"AULA_DATA_DIR=" + dataDir,
		"AULA_SECRET=" + strings.Repeat("s", 32),
		"AULA_LOG_LEVEL=debug",
		"AULA_SHUTDOWN_DRAIN=0s", // no load balancer to wait for
	}, extra...)...)
}

// start runs the binary with args and env (see testEnv); the process is
// killed when the test ends if it still runs.
func start(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: exec.Command(bin, args...), out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = env
	for _, kv := range env {
		if a, ok := strings.CutPrefix(kv, "AULA_ADDR="); ok {
			p.addr = a
		}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("aula %s:\n%s", strings.Join(args, " "), p.out)
		}
	})
	return p
}

// runAula runs the binary to its end and returns its output and error.
func runAula(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	p := start(t, env, args...)
	select {
	case <-p.done:
	case <-time.After(2 * time.Minute):
		t.Fatalf("aula %s still runs after 2 minutes", strings.Join(args, " "))
	}
	return p.out.String(), p.err
}

// serveAt starts `aula serve` on a free address.
func serveAt(t *testing.T, dsn, dataDir string, extra ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	return start(t, testEnv(t, dsn, dataDir, append([]string{"AULA_ADDR=" + addr}, extra...)...), "serve")
}

// waitReady waits until the process answers /readyz with 200, or fails
// the test when it exits or a minute passes.
func (p *process) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("aula serve exited (%v) before it was ready:\n%s", p.err, p.out)
		default:
		}
		res, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("aula serve not ready after a minute:\n%s", p.out)
}

// stop sends SIGINT and waits for the process to end.
func (p *process) stop(t *testing.T) error {
	t.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		return p.err
	case <-time.After(time.Minute):
		t.Fatalf("aula did not stop within a minute of SIGINT:\n%s", p.out)
		return nil
	}
}

// discard is a logger for in-process tests that do not read the log.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// withConfig sets the environment for loadConfig for one test.
func withConfig(t *testing.T, kv ...string) *config {
	t.Helper()
	for _, e := range os.Environ() {
		if name, _, _ := strings.Cut(e, "="); strings.HasPrefix(name, "AULA_") {
			t.Setenv(name, "")
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		t.Setenv(kv[i], kv[i+1])
	}
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// openNewDatabase opens a new installation's database the way every
// command does (created on first use) and applies the migrations.
func openNewDatabase(t *testing.T) (*bun.DB, string) {
	t.Helper()
	ctx := context.Background()
	dsn := newDatabaseURL(t)
	db, err := openDB(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db, dsn
}

// shellWords splits a command line as sh would for the simple lines of
// the README: words, and double-quoted strings.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	quoted, in := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, in = !quoted, true
		case r == ' ' && !quoted:
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}
