package courses_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/courses"
)

// newBlobStore returns a DirStore in a fresh directory, and that directory.
func newBlobStore(t *testing.T) (*courses.DirStore, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := courses.NewDirStore(root)
	if err != nil {
		t.Fatal(err)
	}
	return s, root
}

// storedFiles lists the regular files under root, relative to it.
func storedFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readBlob opens a blob and returns its bytes.
func readBlob(t *testing.T, s courses.BlobStore, sum string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), sum)
	if err != nil {
		t.Fatalf("Open(%s): %v", sum, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDirStorePutOpen(t *testing.T) {
	s, root := newBlobStore(t)
	ctx := context.Background()
	content := []byte("Certificado de João Conceição — Introducción a la Seguridad Social\n")

	blob, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := courses.Blob{SHA256: sha256Hex(content), Size: int64(len(content))}
	if blob != want {
		t.Fatalf("Put = %+v, want %+v", blob, want)
	}
	if got := readBlob(t, s, blob.SHA256); !bytes.Equal(got, content) {
		t.Errorf("Open read %q, want %q", got, content)
	}

	wantPath := filepath.Join(want.SHA256[:2], want.SHA256[2:4], want.SHA256)
	if files := storedFiles(t, root); len(files) != 1 || files[0] != wantPath {
		t.Errorf("files on disk = %v, want [%s]", files, wantPath)
	}

	// Open returns something a file server can seek in (Range requests).
	f, err := s.Open(ctx, blob.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(-4, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(f)
	if string(tail) != "ial\n" {
		t.Errorf("read after seek = %q", tail)
	}
}

func TestDirStoreEmptyContent(t *testing.T) {
	s, _ := newBlobStore(t)
	blob, err := s.Put(context.Background(), strings.NewReader(""), 10)
	if err != nil {
		t.Fatal(err)
	}
	if blob.Size != 0 || blob.SHA256 != sha256Hex(nil) {
		t.Errorf("Put(empty) = %+v", blob)
	}
	if got := readBlob(t, s, blob.SHA256); len(got) != 0 {
		t.Errorf("read %q", got)
	}
}

func TestDirStoreKeepsOneCopy(t *testing.T) {
	s, root := newBlobStore(t)
	ctx := context.Background()
	content := bytes.Repeat([]byte("Peña "), 1000)

	first, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("same content stored as %+v and %+v", first, second)
	}
	other, err := s.Put(ctx, strings.NewReader("otra cosa"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if other.SHA256 == first.SHA256 {
		t.Error("different content got the same hash")
	}
	if files := storedFiles(t, root); len(files) != 2 {
		t.Errorf("files on disk = %v, want one per distinct content", files)
	}
}

// endlessZeros yields zero bytes forever, so a large upload needs no memory.
type endlessZeros struct{}

func (endlessZeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestDirStoreLimit(t *testing.T) {
	const mb = 1 << 20
	s, root := newBlobStore(t)
	ctx := context.Background()

	_, err := s.Put(ctx, io.LimitReader(endlessZeros{}, 21*mb), 20*mb)
	if !errors.Is(err, courses.ErrTooLarge) {
		t.Fatalf("Put(21 MB, limit 20 MB) = %v, want ErrTooLarge", err)
	}
	if files := storedFiles(t, root); len(files) != 0 {
		t.Errorf("files left after a refused upload: %v", files)
	}

	// A stream that never ends is refused just the same.
	if _, err := s.Put(ctx, endlessZeros{}, mb); !errors.Is(err, courses.ErrTooLarge) {
		t.Fatalf("Put(endless) = %v, want ErrTooLarge", err)
	}

	// Exactly at the limit is allowed.
	blob, err := s.Put(ctx, io.LimitReader(endlessZeros{}, 20*mb), 20*mb)
	if err != nil {
		t.Fatalf("Put(20 MB, limit 20 MB): %v", err)
	}
	if blob.Size != 20*mb {
		t.Errorf("size = %d", blob.Size)
	}
	if files := storedFiles(t, root); len(files) != 1 {
		t.Errorf("files on disk = %v, want the one accepted", files)
	}
}

// failingReader yields some bytes, then an error, like a dropped upload.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	clear(p[:n])
	r.n -= n
	return n, nil
}

func TestDirStoreLeavesNothingOnFailure(t *testing.T) {
	s, root := newBlobStore(t)

	if _, err := s.Put(context.Background(), &failingReader{n: 100_000}, 1<<20); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, strings.NewReader("hola"), 1<<20); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a cancelled context = %v", err)
	}

	if files := storedFiles(t, root); len(files) != 0 {
		t.Errorf("files left after failed uploads: %v", files)
	}
}

func TestDirStoreRefusesBadHashes(t *testing.T) {
	s, root := newBlobStore(t)
	ctx := context.Background()

	// A file outside the store that a traversal would reach.
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("secreto"), 0o600); err != nil {
		t.Fatal(err)
	}
	valid := sha256Hex([]byte("x"))
	for _, sum := range []string{
		"",
		"../secret",
		"../../secret",
		"..%2fsecret",
		"/etc/passwd",
		`..\secret`,
		"tmp",
		strings.ToUpper(valid),
		valid[:63],
		valid + "0",
		valid[:62] + "/.",
		"../" + valid[3:],
		valid[:63] + "\x00",
		strings.Repeat("g", 64),
	} {
		if f, err := s.Open(ctx, sum); !errors.Is(err, courses.ErrBlobNotFound) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) = %v, want ErrBlobNotFound", sum, err)
		}
	}
	if _, err := os.Stat(secret); err != nil {
		t.Errorf("file outside the store touched: %v", err)
	}
	if _, err := s.Open(ctx, valid); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("Open(unknown hash) = %v, want ErrBlobNotFound", err)
	}
}

func TestDirStoreConcurrentPuts(t *testing.T) {
	s, root := newBlobStore(t)
	ctx := context.Background()
	same := bytes.Repeat([]byte("Extensão da proteção social\n"), 10_000)

	const writers = 16
	var wg sync.WaitGroup
	sums := make([]string, writers)
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			content := same
			if i%4 == 3 {
				content = fmt.Appendf(nil, "distinto %d", i)
			}
			blob, err := s.Put(ctx, bytes.NewReader(content), 1<<20)
			sums[i], errs[i] = blob.SHA256, err
		})
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
	}
	for i, sum := range sums {
		if i%4 != 3 && sum != sha256Hex(same) {
			t.Errorf("Put %d = %s, want %s", i, sum, sha256Hex(same))
		}
	}
	if got := readBlob(t, s, sha256Hex(same)); !bytes.Equal(got, same) {
		t.Error("shared content corrupted by concurrent Puts")
	}
	// One file for the shared content and one for each distinct one.
	if files := storedFiles(t, root); len(files) != 1+writers/4 {
		t.Errorf("files on disk = %v, want %d", files, 1+writers/4)
	}
}

func TestDirStoreNegativeLimit(t *testing.T) {
	s, root := newBlobStore(t)
	if _, err := s.Put(context.Background(), strings.NewReader("x"), -1); err == nil {
		t.Error("Put with a negative limit succeeded")
	}
	if files := storedFiles(t, root); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

// TestSweep: content nobody uses and nobody stored lately goes; content in
// use, stored lately, or stored again while the sweep runs stays.
func TestSweep(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s, err := courses.NewDirStore(root)
	if err != nil {
		t.Fatal(err)
	}
	put := func(content string) string {
		b, err := s.Put(ctx, strings.NewReader(content), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return b.SHA256
	}
	long := time.Now().Add(-48 * time.Hour)
	age := func(sum string) {
		p := filepath.Join(root, sum[0:2], sum[2:4], sum)
		if err := os.Chtimes(p, long, long); err != nil {
			t.Fatal(err)
		}
	}
	orphan, used, fresh, again, during := put("orphan"), put("in use"), put("fresh"), put("stored again"), put("stored during the sweep")
	age(orphan)
	age(used)
	age(again)
	age(during)
	put("stored again") // the same bytes uploaded anew: wanted again
	if err := os.WriteFile(filepath.Join(root, "tmp", "put-dead"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(filepath.Join(root, "tmp", "put-dead"), long, long); err != nil {
		t.Fatal(err)
	}

	cutoff := time.Now().Add(-24 * time.Hour)
	removed, err := s.Sweep(ctx, cutoff, func(ctx context.Context, sums []string) (map[string]bool, error) {
		// An upload of the same bytes lands after the sweep listed them
		// and before it removes them: it must survive.
		put("stored during the sweep")
		return map[string]bool{used: true}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if removed != 1 {
		t.Errorf("removed %d, want 1", removed)
	}
	if _, err := s.Open(ctx, orphan); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("orphan kept: %v", err)
	}
	for name, sum := range map[string]string{"in use": used, "fresh": fresh, "stored again": again, "stored during the sweep": during} {
		f, err := s.Open(ctx, sum)
		if err != nil {
			t.Errorf("%s removed: %v", name, err)
			continue
		}
		f.Close()
	}
	if _, err := os.Stat(filepath.Join(root, "tmp", "put-dead")); !os.IsNotExist(err) {
		t.Error("a dead upload's temporary file was kept")
	}
	// Storing the swept content again brings it back.
	if put("orphan") != orphan {
		t.Fatal("hash changed")
	}
	if f, err := s.Open(ctx, orphan); err != nil {
		t.Errorf("orphan not stored again: %v", err)
	} else {
		f.Close()
	}
}

// TestDirStoreCheck: readiness asks the store whether it can be written;
// a store whose directory went away (an unmounted disk) says no.
func TestDirStoreCheck(t *testing.T) {
	s, root := newBlobStore(t)
	if err := s.Check(context.Background()); err != nil {
		t.Fatalf("check on a writable directory: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "tmp")); len(entries) != 0 {
		t.Errorf("check left %d files behind", len(entries))
	}
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err == nil {
		t.Error("check on a directory that is gone: no error")
	}
}
