package courses_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TestSweepBlobs: a file detached from its course leaves its bytes behind
// until the sweep, which keeps whatever a course still uses.
func TestSweepBlobs(t *testing.T) {
	ctx := context.Background()
	a := newAuthoring(t)
	owner := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Archivos por barrer")
	kept, err := a.svc.UploadAsset(ctx, owner, c.ID, "tabla.png", bytes.NewReader(encodedImage(t, "png")))
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := a.svc.UploadAsset(ctx, owner, c.ID, "borrador.pdf", bytes.NewReader([]byte("%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.svc.DeleteAsset(ctx, owner, c.ID, dropped.ID); err != nil {
		t.Fatal(err)
	}
	store, err := courses.NewDirStore(a.blobs)
	if err != nil {
		t.Fatal(err)
	}

	// Today nothing goes: the grace period protects recent uploads.
	if n, err := a.svc.SweepBlobs(ctx); err != nil || n != 0 {
		t.Fatalf("sweep today: %d, %v", n, err)
	}
	// Two days later the detached file's bytes go, the other stays.
	later := courses.NewService(a.db, courses.Options{Blobs: store, Now: func() time.Time { return time.Now().Add(48 * time.Hour) }})
	if n, err := later.SweepBlobs(ctx); err != nil || n < 1 {
		t.Fatalf("sweep two days later: %d, %v", n, err)
	}
	if _, err := store.Open(ctx, dropped.SHA256); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("detached file still stored: %v", err)
	}
	f, err := a.svc.OpenAsset(ctx, kept)
	if err != nil {
		t.Fatalf("file in use was swept: %v", err)
	}
	f.Close()
}

// TestSweepKeepsOtherUsersBlobs: content another part of Aula keeps in the
// shared store (a certificates ZIP) survives the course files' sweep while
// that part says it uses it, and goes once it no longer does.
func TestSweepKeepsOtherUsersBlobs(t *testing.T) {
	ctx := context.Background()
	a := newAuthoring(t)
	store, err := courses.NewDirStore(a.blobs)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := store.Put(ctx, bytes.NewReader([]byte("PK\x03\x04 a ZIP of certificates")), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sum := blob.SHA256
	zipInUse := true
	later := courses.NewService(a.db, courses.Options{Blobs: store, Now: func() time.Time { return time.Now().Add(48 * time.Hour) }})
	later.AddBlobUser(func(_ context.Context, sums []string) (map[string]bool, error) {
		used := map[string]bool{}
		for _, s := range sums {
			used[s] = zipInUse && s == sum
		}
		return used, nil
	})
	if _, err := later.SweepBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := store.Open(ctx, sum)
	if err != nil {
		t.Fatalf("a ZIP still in use was swept: %v", err)
	}
	f.Close()
	zipInUse = false
	if _, err := later.SweepBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, sum); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("a ZIP nobody uses any more is still stored: %v", err)
	}
}

// TestSweepKeepsPageImages: the smaller version of an image made for
// pages is stored once, survives the sweep while a course file has its
// source, and goes with it.
func TestSweepKeepsPageImages(t *testing.T) {
	ctx := context.Background()
	a := newAuthoring(t)
	owner := a.person(accounts.RoleInstructor)
	c := a.course(owner, "Fotos por barrer")
	var src bytes.Buffer
	if err := jpeg.Encode(&src, image.NewGray(image.Rect(0, 0, 2000, 100)), nil); err != nil {
		t.Fatal(err)
	}
	asset, err := a.svc.UploadAsset(ctx, owner, c.ID, "ancha.jpg", bytes.NewReader(src.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	r, f, ok, err := a.svc.PageImage(ctx, asset)
	if err != nil || !ok {
		t.Fatalf("page image: %v %v", ok, err)
	}
	f.Close()
	if r.Width != courses.PageImageWidth || r.ContentType != "image/jpeg" || r.SizeBytes <= 0 {
		t.Errorf("rendition %+v", r)
	}
	again, f, _, err := a.svc.PageImage(ctx, asset)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if again.SHA256 != r.SHA256 {
		t.Errorf("made twice: %s then %s", r.SHA256, again.SHA256)
	}
	store, err := courses.NewDirStore(a.blobs)
	if err != nil {
		t.Fatal(err)
	}
	later := courses.NewService(a.db, courses.Options{Blobs: store, Now: func() time.Time { return time.Now().Add(48 * time.Hour) }})
	if _, err := later.SweepBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	if f, err := store.Open(ctx, r.SHA256); err != nil {
		t.Fatalf("page image of a file in use was swept: %v", err)
	} else {
		f.Close()
	}
	if err := a.svc.DeleteAsset(ctx, owner, c.ID, asset.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := later.SweepBlobs(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, r.SHA256); !errors.Is(err, courses.ErrBlobNotFound) {
		t.Errorf("page image of a deleted file still stored: %v", err)
	}
}
