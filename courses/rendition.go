package courses

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // course images may be GIFs
	"image/jpeg"
	"image/png"
	"io"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // and WebP
)

// PageImageWidth is the widest an image of a course file is served to a
// module page: twice the text column's CSS width, sharp on dense screens.
// The original stays one click away, full size.
const PageImageWidth = 960

// pageImageMaxPixels bounds the images PageImage decodes (50 megapixels,
// 200 MB in memory): a larger one is served as it is rather than risk the
// process's memory on one request.
const pageImageMaxPixels = 50_000_000

// Rendition is a smaller version of a course file's image, stored in the
// blob store once per source content and width.
type Rendition struct {
	bun.BaseModel `bun:"table:asset_renditions,alias:r"`

	SourceSHA256 string    `bun:"source_sha256,pk"`
	Width        int       `bun:"width,pk"`
	SHA256       string    `bun:"sha256"`
	ContentType  string    `bun:"content_type"`
	SizeBytes    int64     `bun:"size_bytes"`
	CreatedAt    time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// PageImage returns the version of image a (an asset the caller may read,
// from Asset) that a module page shows: at most PageImageWidth pixels
// wide, a JPEG, or a PNG when the source is a PNG (transparency and sharp
// diagrams stay). It is made on first request and stored; later requests,
// in any process, read it. ok is false when the original is small enough,
// not a raster image this can read, or too large to decode: the page then
// gets the original.
func (s *Service) PageImage(ctx context.Context, a *Asset) (r *Rendition, f io.ReadSeekCloser, ok bool, err error) {
	if s.blobs == nil || !a.IsImage() {
		return nil, nil, false, nil
	}
	store := NewStore(s.db)
	r, err = store.Rendition(ctx, a.SHA256, PageImageWidth)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	if r != nil {
		f, err := s.blobs.Open(ctx, r.SHA256)
		if err == nil {
			return r, f, true, nil
		}
		if !errors.Is(err, ErrBlobNotFound) {
			return nil, nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
		}
		// Swept while its source was detached, and the source is back: made again.
	}
	r, ok, err = s.makeRendition(ctx, a, PageImageWidth)
	if err != nil || !ok {
		return nil, nil, false, err
	}
	if f, err = s.blobs.Open(ctx, r.SHA256); err != nil {
		return nil, nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	return r, f, true, nil
}

// makeRendition resizes a's image to width and stores it. Two processes
// making the same one at once store the same bytes; the row is written
// once.
func (s *Service) makeRendition(ctx context.Context, a *Asset, width int) (*Rendition, bool, error) {
	src, err := s.blobs.Open(ctx, a.SHA256)
	if err != nil {
		return nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	defer src.Close()
	cfg, format, err := image.DecodeConfig(src)
	if err != nil || cfg.Width <= width || cfg.Width*cfg.Height > pageImageMaxPixels {
		return nil, false, nil // not an image we read, already small, or too large: the original
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	img, _, err := image.Decode(src)
	if err != nil {
		return nil, false, nil
	}
	b, contentType, err := resize(img, format, width)
	if err != nil {
		return nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	blob, err := s.blobs.Put(ctx, bytes.NewReader(b), int64(len(b))+1)
	if err != nil {
		return nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	r := &Rendition{SourceSHA256: a.SHA256, Width: width, SHA256: blob.SHA256, ContentType: contentType, SizeBytes: blob.Size}
	if err := NewStore(s.db).InsertRendition(ctx, r); err != nil {
		return nil, false, fmt.Errorf("courses: page image of file %d: %w", a.ID, err)
	}
	return r, true, nil
}

// resize scales img to width pixels wide, in proportion, with Catmull-Rom
// (sharp text in screenshots, no jagged edges in photos), and encodes it:
// PNG for a PNG source, JPEG at quality 82 for the rest.
func resize(img image.Image, format string, width int) ([]byte, string, error) {
	sb := img.Bounds()
	height := max(1, sb.Dy()*width/sb.Dx())
	var out bytes.Buffer
	if format == "png" {
		dst := image.NewNRGBA(image.Rect(0, 0, width, height))
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, sb, draw.Src, nil)
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, dst); err != nil {
			return nil, "", fmt.Errorf("encode png: %w", err)
		}
		return out.Bytes(), "image/png", nil
	}
	dst := image.NewRGBA(image.Rect(0, 0, width, height))
	// A GIF or WebP with transparency becomes a JPEG on white.
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, sb, draw.Over, nil)
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, "", fmt.Errorf("encode jpeg: %w", err)
	}
	return out.Bytes(), "image/jpeg", nil
}

// Rendition returns the stored version of source at width.
func (s *Store) Rendition(ctx context.Context, source string, width int) (*Rendition, error) {
	r := new(Rendition)
	err := s.db.NewSelect().Model(r).Where("source_sha256 = ? AND width = ?", source, width).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("rendition of %s at %d: %w", source, width, err)
	}
	return r, nil
}

// InsertRendition records r, keeping the row another process wrote first
// (the same bytes, as resizing is deterministic) and refreshing r from it.
func (s *Store) InsertRendition(ctx context.Context, r *Rendition) error {
	_, err := s.db.NewInsert().Model(r).
		On("CONFLICT (source_sha256, width) DO UPDATE SET sha256 = EXCLUDED.sha256, content_type = EXCLUDED.content_type, size_bytes = EXCLUDED.size_bytes").
		Returning("*").Exec(ctx)
	if err != nil {
		return fmt.Errorf("insert rendition of %s: %w", r.SourceSHA256, err)
	}
	return nil
}
