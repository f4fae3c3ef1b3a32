// Package s3test starts a real S3-compatible server for tests: Versity's
// gateway (versitygw) in POSIX mode over a temporary folder. `make test`
// installs it (scripts/deps.sh); a test fails, never skips, without it.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running gateway with one empty bucket.
type Server struct {
	// Endpoint is its address, http://127.0.0.1:PORT.
	Endpoint string
	// Bucket is the bucket made for the test.
	Bucket string
	// Access and Secret are the root user's keys.
	Access, Secret string
	// Root is the folder the gateway keeps the buckets in: a bucket is a
	// directory, an object a file.
	Root string
}

// URL is the AULA_STORAGE_URL of the server's bucket, with extra query
// parameters (such as "presign=5m") appended.
func (s *Server) URL(extra ...string) string {
	u := "s3://" + s.Bucket + "?endpoint=" + s.Endpoint + "&region=us-east-1"
	for _, e := range extra {
		u += "&" + e
	}
	return u
}

// Env is the environment a process needs to reach the bucket with the
// root keys.
func (s *Server) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + s.Access, "AWS_SECRET_ACCESS_KEY=" + s.Secret}
}

// SetEnv sets the credentials in this test's environment, where
// courses.NewS3Store looks for them.
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", s.Access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", s.Secret)
}

// Binary finds versitygw on PATH or where `go install` puts it.
func Binary() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	var dirs []string
	if d := os.Getenv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, d := range filepath.SplitList(strings.TrimSpace(string(out))) {
			dirs = append(dirs, filepath.Join(d, "bin"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "versitygw")
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("versitygw not found: run `make test` or scripts/deps.sh (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
}

// Start runs a gateway on a free loopback port for the test's duration,
// with a bucket named after the test.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	s := &Server{Access: "aulatest" + randomHex(4), Secret: randomHex(20), Root: root, Bucket: "aula-" + randomHex(4)}
	// A bucket of the POSIX backend is a folder under the root.
	if err := os.Mkdir(filepath.Join(root, s.Bucket), 0o755); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s.Endpoint = "http://" + addr
	logs := &strings.Builder{}
	cmd := exec.Command(bin, "--access", s.Access, "--secret", s.Secret, "--port", addr, "--quiet", "posix", root)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("versitygw log:\n%s", logs.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
			return s // any answer (403 without a signature) means it listens
		}
		select {
		case <-done:
			t.Fatalf("versitygw exited at start:\n%s", logs.String())
		case <-ctx.Done():
			t.Fatalf("versitygw not answering on %s after 20 s:\n%s", addr, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
