package courses

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Errors of a BlobStore.
var (
	// ErrTooLarge: the content was longer than the limit given to Put.
	// Nothing of it is kept.
	ErrTooLarge = errors.New("courses: file too large")
	// ErrBlobNotFound: no content has this hash, or the hash is malformed.
	// It is not the domain's ErrNotFound, so a missing file on disk for a
	// row that exists can be told apart from a row that does not.
	ErrBlobNotFound = errors.New("courses: blob not found")
)

// Blob identifies stored content: the lowercase hex SHA-256 of its bytes
// and its length.
type Blob struct {
	SHA256 string
	Size   int64
}

// BlobStore keeps file contents addressed by their SHA-256, so the same
// bytes uploaded twice are stored once and a stored file never changes.
// Which course a file belongs to, its name and its type are rows in the
// database; the store only holds bytes. DirStore keeps them on disk; an
// object store can take its place behind the same methods.
type BlobStore interface {
	// Put stores everything r yields and returns its hash and size. If r
	// holds more than max bytes, Put stops reading, keeps nothing and
	// fails with ErrTooLarge.
	Put(ctx context.Context, r io.Reader, max int64) (Blob, error)
	// Open returns the content with the given hash, or ErrBlobNotFound.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
	// Sweep removes content last stored before cutoff that inUse does not
	// claim, and returns how much it removed. Content is shared and a new
	// Put of the same bytes may race with the sweep: a store must never
	// remove content that a Put has returned after the cutoff.
	Sweep(ctx context.Context, cutoff time.Time, inUse func(ctx context.Context, sums []string) (map[string]bool, error)) (int, error)
	// Check reports whether the store can take new content now, for the
	// readiness probe: an error when it cannot be written (a read-only or
	// missing disk, no permission). A full disk is not an error here: it
	// only refuses uploads, and every process sharing it is as full.
	Check(ctx context.Context) error
}

// DirStore is a BlobStore in a directory on the local disk. Content with
// hash "ab12cd…" lives at root/ab/12/ab12cd…, so no directory grows too
// large; uploads in progress live in root/tmp, on the same filesystem, so
// finishing one is an atomic rename.
type DirStore struct {
	root string
}

var _ BlobStore = (*DirStore)(nil)

// NewDirStore returns a store under root (Aula uses AULA_DATA_DIR/blobs),
// creating the directory if needed.
func NewDirStore(root string) (*DirStore, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("courses: blob store %s: %w", root, err)
	}
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("courses: blob store: %w", err)
	}
	return &DirStore{root: root}, nil
}

// Put implements BlobStore. The content is written to a temporary file
// while it is hashed, flushed to disk, and only then renamed to its place,
// so a reader never sees half a file, a crash never leaves one under a
// hash, and two Puts of the same bytes at once both succeed with one copy.
func (s *DirStore) Put(ctx context.Context, r io.Reader, max int64) (blob Blob, err error) {
	if max < 0 {
		return Blob{}, fmt.Errorf("courses: put blob: negative limit %d", max)
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return Blob{}, fmt.Errorf("courses: put blob: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // may already be closed; the error says nothing new
			_ = os.Remove(tmp.Name())
		}
	}()

	// Read one byte past the limit: that byte is how a stream exactly
	// max long is told apart from a longer one.
	limit := max
	if limit < math.MaxInt64 {
		limit++
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, limit))
	if err != nil {
		return Blob{}, fmt.Errorf("courses: put blob: %w", err)
	}
	if n > max {
		return Blob{}, fmt.Errorf("courses: put blob over %d bytes: %w", max, ErrTooLarge)
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, fmt.Errorf("courses: put blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Blob{}, fmt.Errorf("courses: put blob: %w", err)
	}

	blob = Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	dst := s.path(blob.SHA256)
	// Already stored: content with this hash is these bytes. Touching it
	// tells Sweep it is wanted again; if a sweep took it away meanwhile,
	// the touch fails and the new copy is put in its place below.
	now := time.Now()
	if err := os.Chtimes(dst, now, now); err == nil {
		_ = os.Remove(tmp.Name())
		return blob, nil
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return Blob{}, fmt.Errorf("courses: put blob %s: %w", blob.SHA256, err)
	}
	// Rename replaces atomically: a concurrent Put of the same bytes that
	// got here first is replaced by an identical file.
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Blob{}, fmt.Errorf("courses: put blob %s: %w", blob.SHA256, err)
	}
	// Flush the directory entries too, or a power cut could lose the
	// rename after the row naming this hash has been committed.
	for _, d := range []string{dir, filepath.Dir(dir), s.root} {
		if err := syncDir(d); err != nil {
			return Blob{}, fmt.Errorf("courses: put blob %s: %w", blob.SHA256, err)
		}
	}
	return blob, nil
}

// Check implements BlobStore: it creates, syncs and removes a file
// where uploads are written.
func (s *DirStore) Check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("courses: check blob store: %w", err)
	}
	f, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "check-*")
	if err != nil {
		return fmt.Errorf("courses: check blob store: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write([]byte{0}); err != nil && !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("courses: check blob store: %w", err)
	}
	return nil
}

// Open implements BlobStore. The returned file is an *os.File, so callers
// serving it can also Stat it for its modification time.
func (s *DirStore) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("courses: open blob: %w", err)
	}
	if !validSum(sum) {
		return nil, fmt.Errorf("courses: open blob %.80q: malformed hash: %w", sum, ErrBlobNotFound)
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("courses: open blob %s: %w", sum, ErrBlobNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("courses: open blob %s: %w", sum, err)
	}
	return f, nil
}

// Sweep implements BlobStore. Each candidate (stored before cutoff, not in
// use) is first renamed into root/trash, then checked again: a Put that
// touched it in between left a fresh time on it, and it is put back (any
// copy a later Put wrote there has the same bytes); otherwise it is
// removed. A Put that comes after the rename finds nothing to touch and
// writes a new copy. Temporary files of uploads that died before cutoff
// go too.
func (s *DirStore) Sweep(ctx context.Context, cutoff time.Time, inUse func(ctx context.Context, sums []string) (map[string]bool, error)) (int, error) {
	var old []string
	err := s.walk(ctx, func(sum string, info fs.FileInfo) error {
		if info.ModTime().Before(cutoff) {
			old = append(old, sum)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("courses: sweep blobs: %w", err)
	}
	removed, err := discardUnused(ctx, old, inUse, func(sum string) (bool, error) { return s.discard(sum, cutoff) })
	if err != nil {
		return removed, err
	}
	s.sweepTmp(cutoff)
	return removed, nil
}

// discard moves one candidate to the trash, then removes it unless a Put
// touched it after cutoff, in which case it goes back.
func (s *DirStore) discard(sum string, cutoff time.Time) (bool, error) {
	trash := filepath.Join(s.root, "trash")
	if err := os.MkdirAll(trash, 0o750); err != nil {
		return false, fmt.Errorf("sweep blob %s: %w", sum, err)
	}
	parked, err := os.CreateTemp(trash, sum+".*")
	if err != nil {
		return false, fmt.Errorf("sweep blob %s: %w", sum, err)
	}
	parked.Close()
	if err := os.Rename(s.path(sum), parked.Name()); err != nil {
		_ = os.Remove(parked.Name())
		if errors.Is(err, os.ErrNotExist) {
			return false, nil // another sweep took it
		}
		return false, fmt.Errorf("sweep blob %s: %w", sum, err)
	}
	info, err := os.Stat(parked.Name())
	if err == nil && !info.ModTime().Before(cutoff) {
		// Wanted again: back it goes, over any copy written meanwhile.
		if err := os.Rename(parked.Name(), s.path(sum)); err != nil {
			return false, fmt.Errorf("sweep blob %s: restore: %w", sum, err)
		}
		return false, nil
	}
	if err := os.Remove(parked.Name()); err != nil {
		return false, fmt.Errorf("sweep blob %s: %w", sum, err)
	}
	return true, nil
}

// sweepTmp removes what uploads that died before cutoff left in tmp.
func (s *DirStore) sweepTmp(cutoff time.Time) {
	entries, err := os.ReadDir(filepath.Join(s.root, "tmp"))
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(s.root, "tmp", e.Name()))
		}
	}
}

// path is where content with a valid hash lives.
func (s *DirStore) path(sum string) string {
	return filepath.Join(s.root, sum[0:2], sum[2:4], sum)
}

// validSum reports whether sum is a lowercase hex SHA-256. Only such names
// reach the filesystem, which is what keeps "../" and friends out.
func validSum(sum string) bool {
	if len(sum) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(sum); i++ {
		c := sum[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// syncDir flushes a directory's entries to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a long copy when its context is cancelled, such as when
// the uploader goes away.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
