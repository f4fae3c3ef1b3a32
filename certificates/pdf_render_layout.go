package certificates

import (
	"strings"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// ptToMM converts a font size in points to millimetres, the page's unit.
const ptToMM = 25.4 / 72

// leading is the line height as a multiple of the font size.
const leading = 1.2

// canvas draws text in whichever font set the document uses: the cp1252
// fonts, the Latin cut in the document's own encoding (text is re-encoded
// per string) or the UTF-8 fallback.
type canvas struct {
	pdf   *gofpdf.Fpdf
	fonts fontSet
	latin encoding // with fontsLatin
}

// fontSet is which fonts a document is drawn with.
type fontSet int

const (
	fontsCP1252 fontSet = iota
	fontsLatin
	fontsUTF8
)

// encode turns clean Unicode text into what the current fonts expect.
func (c *canvas) encode(s string) string {
	switch c.fonts {
	case fontsUTF8:
		return toBMP(s)
	case fontsLatin:
		return c.latin.encode(s)
	}
	return toCP1252(s)
}

// width measures s in millimetres at the given style and size. It scales
// the font's widths itself rather than calling SetFont per size, which
// would write a font change into the page for every size tried.
func (c *canvas) width(s, style string, size float64) float64 {
	c.pdf.SetFont(fontFamily, style, 0) // a no-op when the style is current
	return float64(c.pdf.GetStringSymbolWidth(c.encode(s))) * size * ptToMM / 1000
}

// block is text fitted into a box: its lines and the size that made them fit.
type block struct {
	lines []string
	style string
	size  float64 // points
}

// lineHeight is the distance between baselines in millimetres.
func (b block) lineHeight() float64 { return b.size * ptToMM * leading }

// height is the block's height in millimetres.
func (b block) height() float64 { return float64(len(b.lines)) * b.lineHeight() }

// fit finds the largest size, from largest down to smallest in half points,
// at which text wraps into at most maxLines lines of width w. ok is false
// when even smallest needs more lines; the block then holds that wrapping.
func (c *canvas) fit(text, style string, largest, smallest, w float64, maxLines int) (b block, ok bool) {
	for size := largest; ; size -= 0.5 {
		if size < smallest {
			size = smallest
		}
		b = block{lines: c.wrap(text, style, size, w), style: style, size: size}
		if len(b.lines) <= maxLines {
			return b, true
		}
		if size == smallest {
			return b, false
		}
	}
}

// fitOrCut is fit that, when even the smallest size needs too many lines, keeps
// maxLines and ends the last with an ellipsis: a certificate must never
// spill over its neighbours or off the page, whatever was typed.
func (c *canvas) fitOrCut(text, style string, largest, smallest, w float64, maxLines int) block {
	b, ok := c.fit(text, style, largest, smallest, w, maxLines)
	if ok {
		return b
	}
	last := strings.Join(b.lines[maxLines-1:], " ")
	b.lines = append(b.lines[:maxLines-1], c.cut(last, style, b.size, w))
	return b
}

// cut shortens s, ending it with "…", until it is no wider than w.
func (c *canvas) cut(s, style string, size, w float64) string {
	if c.width(s, style, size) <= w {
		return s
	}
	for s != "" {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
		if t := strings.TrimRight(s, " ") + "…"; c.width(t, style, size) <= w {
			return t
		}
	}
	return "…"
}

// wrap breaks text into lines no wider than w, between words where it can
// and inside a word only when the word alone is too wide.
func (c *canvas) wrap(text, style string, size, w float64) []string {
	measure := func(s string) float64 { return c.width(s, style, size) }
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" {
			if measure(line+" "+word) <= w {
				line += " " + word
				continue
			}
			lines = append(lines, line)
			line = ""
		}
		for measure(word) > w { // a word wider than the box: break it
			n := 0
			for i := range word {
				if i > 0 && measure(word[:i]) > w {
					break
				}
				n = i
			}
			if n == 0 { // not even one character fits; take it anyway
				_, n = utf8.DecodeRuneInString(word)
			}
			lines = append(lines, word[:n])
			word = word[n:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// drawCentered draws b's lines centred on cx, the first line's top at y, and
// returns the y below the block.
func (c *canvas) drawCentered(b block, cx, y float64) float64 {
	c.pdf.SetFont(fontFamily, b.style, b.size)
	lh := b.lineHeight()
	for _, line := range b.lines {
		s := c.encode(line)
		w := c.pdf.GetStringWidth(s)
		// The baseline sits at the font's ascent below the line's top,
		// with the extra leading split above and below.
		baseline := y + lh/2 + b.size*ptToMM*0.35
		c.pdf.Text(cx-w/2, baseline, s)
		y += lh
	}
	return y
}
