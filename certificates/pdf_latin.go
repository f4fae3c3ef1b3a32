package certificates

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/charmap"
)

// Font files of the Latin cut (scripts/makefont).
const (
	regularLatin = "DejaVuSans-Latin.ttf"
	boldLatin    = "DejaVuSans-Bold-Latin.ttf"
)

// A name outside cp1252 but in the Latin script (Łukasz Wąsowski, Şükrü,
// Nguyễn Thị Ánh, Ștefan) is drawn with the Latin cut of the fonts,
// embedded whole, and a single-byte encoding made for the document: the
// codes of cp1252, with the slots the document does not use given to the
// letters it needs (named uniXXXX in the PDF's /Differences, which viewers
// and text extraction map back to Unicode). gofpdf then treats it like the
// cp1252 fonts: nothing is parsed or subset per document. gofpdf's own
// UTF-8 path, kept for other scripts, parses the TrueType file and
// marshals a 65,536-entry width table per document, ten times slower.

// latinFace is one face of the Latin cut, read once at start.
type latinFace struct {
	name   string // PostScript name
	file   string // the name gofpdf embeds the font program under
	z      []byte // the TrueType file, zlib-compressed once
	size   int    // its length uncompressed
	desc   fontDesc
	up, ut int
	widths map[rune]int // advance widths in thousandths of an em
}

// loadLatinFace reads a face of the Latin cut and the widths of every
// character it has.
func loadLatinFace(file string, ttf []byte) (*latinFace, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var buf sfnt.Buffer
	upem := int(f.UnitsPerEm())
	// At a size of one em per unit, fixed-point pixels are font units.
	ppem := fixed.Int26_6(upem << 6)
	scale := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64 * 1000 / float64(upem))) }
	lf := &latinFace{file: strings.TrimSuffix(file, ".ttf") + ".z", size: len(ttf), widths: map[rune]int{}}
	for _, rg := range latinRanges {
		for r := rg[0]; r <= rg[1]; r++ {
			g, err := f.GlyphIndex(&buf, r)
			if err != nil || g == 0 {
				continue
			}
			adv, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
			if err != nil {
				return nil, fmt.Errorf("%s: width of %U: %w", file, r, err)
			}
			lf.widths[r] = scale(adv)
		}
	}
	if len(lf.widths) < 900 {
		return nil, fmt.Errorf("%s has only %d Latin characters: not the Latin cut of scripts/makefont", file, len(lf.widths))
	}
	if lf.name, err = f.Name(&buf, sfnt.NameIDPostScript); err != nil {
		return nil, fmt.Errorf("%s: name: %w", file, err)
	}
	bounds, err := f.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("%s: bounds: %w", file, err)
	}
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("%s: metrics: %w", file, err)
	}
	// sfnt's y axis points down; a PDF's points up.
	lf.desc = fontDesc{Ascent: scale(m.Ascent), Descent: -scale(m.Descent), CapHeight: scale(m.CapHeight),
		Flags: 32, ItalicAngle: 0, StemV: 70, MissingWidth: 600,
		FontBBox: fontBox{Xmin: scale(bounds.Min.X), Ymin: -scale(bounds.Max.Y), Xmax: scale(bounds.Max.X), Ymax: -scale(bounds.Min.Y)}}
	lf.up, lf.ut = -20, 44 // as makefont gives the cp1252 faces: no text is underlined
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if _, err := w.Write(ttf); err != nil {
		return nil, fmt.Errorf("%s: compress: %w", file, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%s: compress: %w", file, err)
	}
	lf.z = z.Bytes()
	return lf, nil
}

// fontDesc is gofpdf's font descriptor (gofpdf.FontDescType, whose box
// type is not exported), as its definitions' JSON spells it.
type fontDesc struct {
	Ascent, Descent, CapHeight, Flags int
	FontBBox                          fontBox
	ItalicAngle, StemV, MissingWidth  int
}

type fontBox struct{ Xmin, Ymin, Xmax, Ymax int }

// latinRanges are the characters of the Latin cut; scripts/makefont cuts
// the fonts to LatinUnicodes, so the two cannot disagree.
// Spacing modifiers only for ʻ ʼ (Hawaiian, Uzbek names) and cp1252's ˆ ˜;
// no letterlike symbols or other currencies: each glyph costs every PDF
// that embeds the cut.
var latinRanges = [][2]rune{{0x20, 0x7E}, {0xA0, 0x24F}, {0x2B9, 0x2BC}, {0x2C6, 0x2C7}, {0x2D8, 0x2DD},
	{0x300, 0x36F}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x20AC, 0x20AC}, {0x2122, 0x2122}, {0xFFFD, 0xFFFD}}

// LatinUnicodes is latinRanges as pyftsubset's --unicodes wants them
// ("U+0020-007E,…,U+20AC").
func LatinUnicodes() string {
	parts := make([]string, len(latinRanges))
	for n, rg := range latinRanges {
		parts[n] = fmt.Sprintf("U+%04X", rg[0])
		if rg[1] != rg[0] {
			parts[n] += fmt.Sprintf("-%04X", rg[1])
		}
	}
	return strings.Join(parts, ",")
}

// encoding is a document's single-byte encoding for the Latin cut.
type encoding struct {
	codes map[rune]byte
	diff  string // gofpdf's Diff: "129 /uni0141 141 /uni0105 …"
}

// cp1252Slots are the codes 128–255 in the order they are given away:
// first those cp1252 leaves undefined, then the rarest in names and the
// certificates' wording.
var cp1252Slots = func() []byte {
	var undefined, defined []byte
	for c := 0x80; c <= 0xFF; c++ {
		if charmap.Windows1252.DecodeByte(byte(c)) == '\uFFFD' {
			undefined = append(undefined, byte(c))
		} else {
			defined = append(defined, byte(c))
		}
	}
	// The C1 range (0x80–0x9F: ‰, Ÿ, ƒ…) before Latin-1's letters.
	return append(undefined, defined...)
}()

// latinEncoding makes an encoding that has every character of text: those
// of cp1252 at their codes, the others at codes the text does not use. ok
// is false when a character is not in face or more than 128 are outside
// ASCII: the document then takes the full UTF-8 fonts.
func latinEncoding(text string, faces ...*latinFace) (e encoding, ok bool) {
	need := map[rune]bool{}
	for _, r := range text {
		for _, f := range faces {
			if _, has := f.widths[r]; !has {
				return e, false
			}
		}
		if r >= 0x80 {
			need[r] = true
		}
	}
	if len(need) > 128 {
		return e, false
	}
	e.codes = make(map[rune]byte, len(need))
	taken := map[byte]bool{}
	var extra []rune
	for r := range need {
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			e.codes[r], taken[c] = c, true
		} else {
			extra = append(extra, r)
		}
	}
	// A fixed order: the same text always gives the same PDF.
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	var diff strings.Builder
	slots := cp1252Slots
	for _, r := range extra {
		for taken[slots[0]] {
			slots = slots[1:]
		}
		c := slots[0]
		slots = slots[1:]
		e.codes[r] = c
		if diff.Len() > 0 {
			diff.WriteByte(' ')
		}
		fmt.Fprintf(&diff, "%d /uni%04X", c, r)
	}
	e.diff = diff.String()
	return e, true
}

// encode writes s, every character of which e has, in e's codes.
func (e encoding) encode(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 0x80 {
			b = append(b, byte(r))
		} else if c, ok := e.codes[r]; ok {
			b = append(b, c)
		} else {
			b = append(b, '?')
		}
	}
	return string(b)
}

// definition is the gofpdf font definition of face f in encoding e, with
// the widths of the characters at their codes.
func (f *latinFace) definition(e encoding) ([]byte, error) {
	cw := make([]int, 256)
	for c := range cw {
		cw[c] = f.desc.MissingWidth
		if c >= 0x20 && c < 0x7F {
			cw[c] = f.widths[rune(c)]
		}
	}
	for r, c := range e.codes {
		cw[c] = f.widths[r]
	}
	def := struct {
		Tp           string
		Name         string
		Desc         fontDesc
		Up, Ut       int
		Cw           []int
		Enc, Diff    string
		File         string
		OriginalSize int
	}{Tp: "TrueType", Name: f.name, Desc: f.desc, Up: f.up, Ut: f.ut, Cw: cw, Enc: "cp1252", Diff: e.diff,
		File: f.file, OriginalSize: f.size}
	b, err := json.Marshal(def)
	if err != nil {
		return nil, fmt.Errorf("font definition of %s: %w", f.name, err)
	}
	return b, nil
}
