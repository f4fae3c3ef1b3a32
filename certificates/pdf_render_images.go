package certificates

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"sync"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// maxImageSide bounds a logo or signature image in pixels. 1600 px across a
// 70 mm box is over 500 dpi, more than print needs; larger uploads only
// make every PDF heavier.
const maxImageSide = 1600

// preparedImage is an issuer image in a form gofpdf embeds without
// re-encoding: JPEG, or PNG without alpha channel, 16-bit samples or
// interlacing.
type preparedImage struct {
	data   []byte
	typ    string  // gofpdf image type: "PNG" or "JPG"
	aspect float64 // width / height
}

// imageCache keeps prepared images across documents, keyed by the SHA-256
// of the original bytes. Issuers have one logo and a signature or two, so a
// handful of entries is plenty; when full the cache simply starts over.
type imageCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]preparedImage
}

const imageCacheSize = 16

func (c *imageCache) get(b []byte) (preparedImage, error) {
	key := sha256.Sum256(b)
	c.mu.Lock()
	img, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return img, nil
	}
	img, err := prepareImage(b)
	if err != nil {
		return img, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= imageCacheSize {
		c.m = make(map[[sha256.Size]byte]preparedImage, imageCacheSize)
	}
	c.m[key] = img
	c.mu.Unlock()
	return img, nil
}

// prepareImage returns b unchanged when gofpdf can embed it as is, and
// otherwise a re-encoded copy. A PNG with transparency would make gofpdf
// inflate, split and deflate the pixels for every PDF (milliseconds for a
// large logo); it is flattened once onto the white page instead, which looks
// the same. Oversized images are scaled down.
func prepareImage(b []byte) (preparedImage, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return preparedImage{}, fmt.Errorf("not a PNG or JPEG image: %w", err)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return preparedImage{}, fmt.Errorf("empty %s image", format)
	}
	aspect := float64(cfg.Width) / float64(cfg.Height)
	small := cfg.Width <= maxImageSide && cfg.Height <= maxImageSide
	switch {
	case format == "jpeg" && small:
		return preparedImage{data: b, typ: "JPG", aspect: aspect}, nil
	case format == "png" && small && plainPNG(b):
		return preparedImage{data: b, typ: "PNG", aspect: aspect}, nil
	case format != "png" && format != "jpeg":
		return preparedImage{}, fmt.Errorf("%s image, want PNG or JPEG", format)
	}
	src, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return preparedImage{}, fmt.Errorf("decode %s image: %w", format, err)
	}
	flat := flatten(src)
	var out bytes.Buffer
	if format == "jpeg" {
		err = jpeg.Encode(&out, flat, &jpeg.Options{Quality: 90})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, flat)
	}
	if err != nil {
		return preparedImage{}, fmt.Errorf("re-encode %s image: %w", format, err)
	}
	typ := "PNG"
	if format == "jpeg" {
		typ = "JPG"
	}
	return preparedImage{data: out.Bytes(), typ: typ, aspect: aspect}, nil
}

// plainPNG reports whether a PNG has at most 8 bits per sample, no alpha
// channel and no interlacing: what gofpdf copies into the PDF untouched.
func plainPNG(b []byte) bool {
	// The IHDR chunk follows the 8-byte signature: length, type, width,
	// height, then bit depth, colour type, compression, filter, interlace.
	if len(b) < 29 || string(b[12:16]) != "IHDR" {
		return false
	}
	depth, colorType, interlace := b[24], b[25], b[28]
	return depth <= 8 && (colorType == 0 || colorType == 2 || colorType == 3) && interlace == 0
}

// flatten draws src onto white, scaled down to fit maxImageSide if needed,
// giving an opaque RGB image (Go's PNG encoder then writes no alpha).
func flatten(src image.Image) *image.RGBA {
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if w > maxImageSide || h > maxImageSide {
		if w >= h {
			w, h = maxImageSide, max(1, h*maxImageSide/w)
		} else {
			w, h = max(1, w*maxImageSide/h), maxImageSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	if w == sb.Dx() && h == sb.Dy() {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Over)
		return dst
	}
	// Box filter: each destination pixel averages the source pixels it
	// covers, composited over white.
	for y := 0; y < h; y++ {
		y0, y1 := sb.Min.Y+y*sb.Dy()/h, sb.Min.Y+(y+1)*sb.Dy()/h
		for x := 0; x < w; x++ {
			x0, x1 := sb.Min.X+x*sb.Dx()/w, sb.Min.X+(x+1)*sb.Dx()/w
			var r, g, b, n uint64
			for sy := y0; sy < max(y1, y0+1); sy++ {
				for sx := x0; sx < max(x1, x0+1); sx++ {
					cr, cg, cb, ca := src.At(sx, sy).RGBA() // premultiplied
					white := 0xffff - uint64(ca)
					r += uint64(cr) + white
					g += uint64(cg) + white
					b += uint64(cb) + white
					n++
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(b / n >> 8), 0xff})
		}
	}
	return dst
}

// placeImage registers img under name and draws it as large as fits in the
// box (x, y, w, h), centred horizontally and resting on the box's bottom
// when valign is "bottom", else on its top. It returns the drawn height.
func placeImage(pdf *gofpdf.Fpdf, name string, img preparedImage, x, y, w, h float64, valign string) float64 {
	opts := gofpdf.ImageOptions{ImageType: img.typ}
	pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(img.data))
	dw, dh := w, w/img.aspect
	if dh > h {
		dw, dh = h*img.aspect, h
	}
	top := y
	if valign == "bottom" {
		top = y + h - dh
	}
	pdf.ImageOptions(name, x+(w-dw)/2, top, dw, dh, false, opts, 0, "")
	return dh
}

// drawQR draws a QR code of content as vector squares, size mm wide, its
// top-left corner at (x, y). Vectors print sharp at any resolution and cost
// less than encoding and embedding a bitmap. All modules are one filled
// path, so viewers show no hairline seams between them.
func drawQR(pdf *gofpdf.Fpdf, content string, x, y, size float64) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	q.DisableBorder = true // the page around it is the quiet zone
	bits := q.Bitmap()
	k := 72 / 25.4 // points per millimetre
	_, pageH := pdf.GetPageSize()
	m := size / float64(len(bits)) * k
	x0, y0 := x*k, (pageH-y)*k
	var ops strings.Builder
	ops.WriteString("q 0 g\n")
	num := func(v float64) {
		ops.WriteString(strconv.FormatFloat(v, 'f', 3, 64))
		ops.WriteByte(' ')
	}
	for row, line := range bits {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			run := col
			for run < len(line) && line[run] {
				run++
			}
			// PDF's y axis points up: the rectangle's corner is its bottom.
			num(x0 + float64(col)*m)
			num(y0 - float64(row+1)*m)
			num(float64(run-col) * m)
			num(m)
			ops.WriteString("re\n")
			col = run
		}
	}
	ops.WriteString("f Q")
	pdf.RawWriteStr(ops.String())
	return nil
}
