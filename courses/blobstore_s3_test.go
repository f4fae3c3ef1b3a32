package courses_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/courses/s3test"
)

// newS3Store starts a real S3 server (versitygw) and returns a store on
// its bucket, and the server.
func newS3Store(t *testing.T, extra ...string) (*courses.S3Store, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t)
	srv.SetEnv(t)
	s, err := courses.NewS3Store(context.Background(), srv.URL(extra...))
	if err != nil {
		t.Fatal(err)
	}
	return s, srv
}

// bucketFiles lists the objects of the bucket as the gateway keeps them:
// files under the bucket's folder.
func bucketFiles(t *testing.T, srv *s3test.Server) []string {
	t.Helper()
	return storedFiles(t, filepath.Join(srv.Root, srv.Bucket))
}

func TestS3StorePutOpen(t *testing.T) {
	s, srv := newS3Store(t)
	ctx := context.Background()
	content := []byte("Certificado de João Conceição — Introducción a la Seguridad Social (Peña)\n")

	blob, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := courses.Blob{SHA256: sha256Hex(content), Size: int64(len(content))}
	if blob != want {
		t.Fatalf("Put = %+v, want %+v", blob, want)
	}
	// The same bytes again: one object, and no upload left behind.
	if again, err := s.Put(ctx, bytes.NewReader(content), 1<<20); err != nil || again != want {
		t.Fatalf("second Put = %+v, %v", again, err)
	}
	wantKey := filepath.Join(want.SHA256[:2], want.SHA256)
	if files := bucketFiles(t, srv); len(files) != 1 || files[0] != wantKey {
		t.Errorf("objects = %v, want [%s]", files, wantKey)
	}
	if got := readBlob(t, s, blob.SHA256); !bytes.Equal(got, content) {
		t.Errorf("Open read %q, want %q", got, content)
	}

	// A byte range: Seek, then only what follows is read.
	f, err := s.Open(ctx, blob.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(-6, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	if tail, _ := io.ReadAll(f); !bytes.Equal(tail, content[len(content)-6:]) {
		t.Errorf("read after seek = %q", tail)
	}

	for _, sum := range []string{sha256Hex([]byte("never stored")), "../../etc/passwd", strings.ToUpper(want.SHA256)} {
		if _, err := s.Open(ctx, sum); !errors.Is(err, courses.ErrBlobNotFound) {
			t.Errorf("Open(%.20s…) = %v, want ErrBlobNotFound", sum, err)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("Check = %v", err)
	}
	if files := bucketFiles(t, srv); len(files) != 1 {
		t.Errorf("Check left objects behind: %v", files)
	}
}

// A file larger than one part is sent in parts, streamed: it arrives
// whole, and a range from its middle reads right.
func TestS3StoreMultipartAndRange(t *testing.T) {
	s, _ := newS3Store(t)
	ctx := context.Background()
	content := make([]byte, 17<<20+123)
	if _, err := rand.Read(content); err != nil {
		t.Fatal(err)
	}
	blob, err := s.Put(ctx, bytes.NewReader(content), 20<<20)
	if err != nil {
		t.Fatal(err)
	}
	if blob.SHA256 != sha256Hex(content) || blob.Size != int64(len(content)) {
		t.Fatalf("Put = %+v", blob)
	}
	f, err := s.Open(ctx, blob.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := int64(16<<20 - 10)
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	part := make([]byte, 1000)
	if _, err := io.ReadFull(f, part); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(part, content[start:start+1000]) {
		t.Error("range across the part boundary reads other bytes")
	}
}

func TestS3StoreTooLargeKeepsNothing(t *testing.T) {
	s, srv := newS3Store(t)
	ctx := context.Background()
	for _, size := range []int{101, 17 << 20} { // one PUT; several parts
		_, err := s.Put(ctx, bytes.NewReader(make([]byte, size)), 100)
		if size > 100 && !errors.Is(err, courses.ErrTooLarge) {
			t.Errorf("Put(%d bytes, max 100) = %v, want ErrTooLarge", size, err)
		}
	}
	if blob, err := s.Put(ctx, bytes.NewReader(make([]byte, 100)), 100); err != nil || blob.Size != 100 {
		t.Errorf("Put(exactly max) = %+v, %v", blob, err)
	}
	if files := bucketFiles(t, srv); len(files) != 1 {
		t.Errorf("objects after refused uploads = %v, want only the one accepted", files)
	}
}

func TestS3StoreSweep(t *testing.T) {
	s, srv := newS3Store(t)
	ctx := context.Background()
	used, _ := s.Put(ctx, strings.NewReader("módulo en uso"), 1<<10)
	unused, _ := s.Put(ctx, strings.NewReader("archivo borrado"), 1<<10)
	again, _ := s.Put(ctx, strings.NewReader("subido otra vez"), 1<<10)
	// S3 keeps modification times to the second.
	time.Sleep(1100 * time.Millisecond)
	cutoff := time.Now()
	time.Sleep(1100 * time.Millisecond)

	n, err := s.Sweep(ctx, cutoff, func(ctx context.Context, sums []string) (map[string]bool, error) {
		// The same bytes are uploaded again while the sweep runs: the
		// new Put's time is after cutoff, so the content stays.
		if _, err := s.Put(ctx, strings.NewReader("subido otra vez"), 1<<10); err != nil {
			return nil, err
		}
		return map[string]bool{used.SHA256: true}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Sweep removed %d, want 1", n)
	}
	for _, b := range []courses.Blob{used, again} {
		if ok, err := s.Has(ctx, b); err != nil || !ok {
			t.Errorf("Has(%s) = %v, %v after sweep, want kept", b.SHA256[:8], ok, err)
		}
	}
	if ok, _ := s.Has(ctx, unused); ok {
		t.Error("unused content survived the sweep")
	}
	if files := bucketFiles(t, srv); len(files) != 2 {
		t.Errorf("objects after sweep = %v", files)
	}
}

// A presigned link serves the file straight from the store, with the
// name and type Aula gives it.
func TestS3StorePresignGet(t *testing.T) {
	s, srv := newS3Store(t, "presign=5m")
	ctx := context.Background()
	content := []byte("%PDF-1.4 guía de la prestación")
	blob, _ := s.Put(ctx, bytes.NewReader(content), 1<<10)
	link, ok, err := s.PresignGet(ctx, blob.SHA256, "guía.pdf", "application/pdf", `attachment; filename*=UTF-8''gu%C3%ADa.pdf`)
	if err != nil || !ok {
		t.Fatalf("PresignGet = %q, %v, %v", link, ok, err)
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, content) {
		t.Fatalf("GET presigned: %d %q", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "gu%C3%ADa.pdf") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	// Without presign in the storage URL there are no links.
	plain, err := courses.NewS3Store(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := plain.PresignGet(ctx, blob.SHA256, "", "", ""); ok {
		t.Error("PresignGet without presign= gave a link")
	}
}

func TestS3StoreRefusesBadSettings(t *testing.T) {
	srv := s3test.Start(t)
	ctx := context.Background()
	t.Setenv("AWS_ACCESS_KEY_ID", srv.Access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not the secret")
	if _, err := courses.NewS3Store(ctx, srv.URL()); err == nil {
		t.Error("wrong secret accepted")
	}
	srv.SetEnv(t)
	for _, u := range []string{
		"s3://missing-bucket?endpoint=" + srv.Endpoint,
		"s3://" + srv.Bucket + "?endpoint=ftp://127.0.0.1",
		"s3://" + srv.Bucket + "?endpoint=" + srv.Endpoint + "&presign=forever",
		"http://" + srv.Bucket,
	} {
		if _, err := courses.NewS3Store(ctx, u); err == nil {
			t.Errorf("NewS3Store(%q) accepted", u)
		}
	}
}

// CopyBlobs moves every file between the two stores, both ways, and a
// copy cut off midway goes on where it stopped.
func TestCopyBlobsResumesBothWays(t *testing.T) {
	dir, _ := newBlobStore(t)
	s3, _ := newS3Store(t)
	ctx := context.Background()
	var want []courses.Blob
	for _, text := range []string{"Introducción", "Proteção social", "Peña", "João Conceição", ""} {
		b, err := dir.Put(ctx, strings.NewReader(text), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b)
	}

	// Cut off after the second file.
	cut, cancel := context.WithCancel(ctx)
	res, err := courses.CopyBlobs(cut, dir, s3, func(_ courses.Blob, r courses.CopyBlobsResult) {
		if r.Copied == 2 {
			cancel()
		}
	})
	if err == nil || res.Copied != 2 {
		t.Fatalf("cut-off copy = %+v, %v; want 2 copied and an error", res, err)
	}
	res, err = courses.CopyBlobs(ctx, dir, s3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Copied != 3 || res.Skipped != 2 {
		t.Errorf("resumed copy = %+v, want 3 copied, 2 skipped", res)
	}

	back, backRoot := newBlobStore(t)
	if res, err := courses.CopyBlobs(ctx, s3, back, nil); err != nil || res.Copied != 5 {
		t.Fatalf("copy back = %+v, %v", res, err)
	}
	for _, b := range want {
		orig := readBlob(t, dir, b.SHA256)
		if got := readBlob(t, back, b.SHA256); !bytes.Equal(got, orig) {
			t.Errorf("%s came back as %q, want %q", b.SHA256[:8], got, orig)
		}
	}
	if _, err := os.Stat(backRoot); err != nil {
		t.Fatal(err)
	}
}
