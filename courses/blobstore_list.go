package courses

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// BlobLister is a BlobStore that can say what it holds, for moving an
// installation's files to other storage and for backups. DirStore and
// S3Store are both.
type BlobLister interface {
	BlobStore
	// Walk calls fn for every stored content, stopping at fn's first error.
	Walk(ctx context.Context, fn func(Blob) error) error
	// Has reports whether the content is stored whole (its size matches).
	Has(ctx context.Context, b Blob) (bool, error)
}

var (
	_ BlobLister = (*DirStore)(nil)
	_ BlobLister = (*S3Store)(nil)
)

// Walk implements BlobLister.
func (s *DirStore) Walk(ctx context.Context, fn func(Blob) error) error {
	err := s.walk(ctx, func(sum string, info fs.FileInfo) error {
		return fn(Blob{SHA256: sum, Size: info.Size()})
	})
	if err != nil {
		return fmt.Errorf("courses: list blobs: %w", err)
	}
	return nil
}

// walk calls fn for every stored content, leaving out uploads in
// progress (tmp) and content being swept (trash).
func (s *DirStore) walk(ctx context.Context, fn func(sum string, info fs.FileInfo) error) error {
	return filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != s.root && (name == "tmp" || name == "trash") {
				return filepath.SkipDir
			}
			return ctx.Err()
		}
		if !validSum(d.Name()) || path != s.path(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // swept meanwhile
		}
		return fn(d.Name(), info)
	})
}

// Has implements BlobLister.
func (s *DirStore) Has(ctx context.Context, b Blob) (bool, error) {
	if !validSum(b.SHA256) {
		return false, nil
	}
	info, err := os.Stat(s.path(b.SHA256))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("courses: stat blob %s: %w", b.SHA256, err)
	}
	return info.Size() == b.Size, nil
}

// CopyBlobsResult counts what CopyBlobs did.
type CopyBlobsResult struct {
	Copied, Skipped int   // contents copied, and found already there
	Bytes           int64 // bytes copied
}

// CopyBlobs copies every content of from into to that to does not hold
// yet, checking each copy's hash on the way. It can be stopped at any
// point and run again: contents are named by their hash and a Put is
// whole or absent, so what is there is skipped and the rest copied. Both
// stores keep working meanwhile; a file uploaded to from during the copy
// is copied if the walk still reaches it, so run it again after the
// switch-over (docs/deploy.md). progress, when not nil, is called after
// each content.
func CopyBlobs(ctx context.Context, from, to BlobLister, progress func(Blob, CopyBlobsResult)) (CopyBlobsResult, error) {
	var res CopyBlobsResult
	err := from.Walk(ctx, func(b Blob) error {
		ok, err := to.Has(ctx, b)
		if err != nil {
			return err
		}
		if ok {
			res.Skipped++
		} else {
			if err := copyBlob(ctx, from, to, b); err != nil {
				return err
			}
			res.Copied++
			res.Bytes += b.Size
		}
		if progress != nil {
			progress(b, res)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("courses: copy blobs: %w", err)
	}
	return res, nil
}

// copyBlob streams one content from one store to another.
func copyBlob(ctx context.Context, from, to BlobStore, b Blob) error {
	r, err := from.Open(ctx, b.SHA256)
	if errors.Is(err, ErrBlobNotFound) {
		return nil // swept since the walk saw it: nothing uses it
	}
	if err != nil {
		return err
	}
	defer r.Close()
	got, err := to.Put(ctx, r, b.Size)
	if err != nil {
		return fmt.Errorf("courses: copy blob %s: %w", b.SHA256, err)
	}
	if got != b {
		// Stored under its real hash, so nothing wrong is named b; but
		// the source is damaged and the operator must hear of it.
		return fmt.Errorf("courses: copy blob %s: the source holds %d bytes hashing to %s: damaged", b.SHA256, got.Size, got.SHA256)
	}
	return nil
}

// discardUnused asks inUse about the candidates of a sweep in batches and
// calls discard on each one not in use, counting those it removed.
func discardUnused(ctx context.Context, candidates []string, inUse func(ctx context.Context, sums []string) (map[string]bool, error), discard func(sum string) (bool, error)) (int, error) {
	removed := 0
	const batch = 500
	for start := 0; start < len(candidates); start += batch {
		sums := candidates[start:min(start+batch, len(candidates))]
		used, err := inUse(ctx, sums)
		if err != nil {
			return removed, fmt.Errorf("courses: sweep blobs: %w", err)
		}
		for _, sum := range sums {
			if used[sum] {
				continue
			}
			ok, err := discard(sum)
			if err != nil {
				return removed, err
			}
			if ok {
				removed++
			}
		}
	}
	return removed, nil
}
