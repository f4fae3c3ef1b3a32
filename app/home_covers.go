package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // covers may be GIFs
	"image/jpeg"
	_ "image/png" // and PNGs
	"io"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// Course cards show a small version of the course's cover: an instructor
// uploads a photo of several megabytes, a phone on a slow link gets about
// 30 KB. The small version is made once per cover (its content hash) and
// kept in memory.

// cardWidth is the width of a cover on a card, in pixels (twice the CSS
// width, for sharp screens).
const cardWidth = 480

// cardCache keeps the resized covers; covers are few, each ~30 KB.
type cardCache struct {
	mu    sync.Mutex
	items map[string][]byte
}

// maxCards bounds the cache (about 8 MB); when full it starts again.
const maxCards = 256

var cards = &cardCache{items: map[string][]byte{}}

func (cc *cardCache) get(key string, make func() ([]byte, error)) ([]byte, error) {
	cc.mu.Lock()
	b, ok := cc.items[key]
	cc.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := make()
	if err != nil {
		return nil, err
	}
	cc.mu.Lock()
	if len(cc.items) >= maxCards {
		cc.items = map[string][]byte{}
	}
	cc.items[key] = b
	cc.mu.Unlock()
	return b, nil
}

// cardURL is the address of a course's small cover, or "".
func cardURL(co *courses.Course) string {
	if co.CoverAssetID == nil {
		return ""
	}
	return fmt.Sprintf("/courses/%d/card.jpg?v=%d", co.ID, *co.CoverAssetID)
}

// courseCard sends the small version of a course's cover to whoever may
// see the course, as a JPEG, cacheable like the cover itself.
func (s *server) courseCard(c *fiber.Ctx) error {
	acc, err := s.courseAccess(c, "ref")
	if err != nil {
		return err
	}
	if acc.Course.CoverAssetID == nil {
		return errNotFound
	}
	ctx := c.UserContext()
	a, acc, err := s.courses.Asset(ctx, actor(c), acc.Course.ID, *acc.Course.CoverAssetID)
	if err != nil {
		return err
	}
	etag := `"card-` + a.SHA256 + `"`
	if fileCacheHeaders(c, acc, a, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	b, err := cards.get(a.SHA256, func() ([]byte, error) {
		f, err := s.courses.OpenAsset(ctx, a)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return resizeJPEG(f, cardWidth)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/jpeg")
	return c.Send(b)
}

// resizeJPEG decodes an image and writes it at most width pixels wide, in
// proportion, as a JPEG on white (covers with transparency stay legible).
// Each target pixel averages the source pixels under it, so a photo
// shrinks without the jagged edges of picking one pixel in many.
func resizeJPEG(r io.Reader, width int) ([]byte, error) {
	src, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("app: decode cover: %w", err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > width {
		h = max(1, h*width/w)
		w = width
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	for y := range h {
		y0, y1 := b.Min.Y+y*b.Dy()/h, b.Min.Y+max((y+1)*b.Dy()/h, y*b.Dy()/h+1)
		for x := range w {
			x0, x1 := b.Min.X+x*b.Dx()/w, b.Min.X+max((x+1)*b.Dx()/w, x*b.Dx()/w+1)
			var rs, gs, bs, as, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := src.At(sx, sy).RGBA()
					rs, gs, bs, as, n = rs+uint64(cr), gs+uint64(cg), bs+uint64(cb), as+uint64(ca), n+1
				}
			}
			// Premultiplied colour over white.
			a := as / n
			white := uint64(0xffff) - a
			dst.Set(x, y, color.RGBA64{R: uint16(rs/n + white), G: uint16(gs/n + white), B: uint16(bs/n + white), A: 0xffff})
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, fmt.Errorf("app: encode cover: %w", err)
	}
	return out.Bytes(), nil
}
