package certificates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Font files NewRenderer reads. scripts/makefont writes them to assets/fonts.
const (
	regularDef = "DejaVuSans-cp1252.json"
	regularZ   = "DejaVuSans-cp1252.z"
	boldDef    = "DejaVuSans-Bold-cp1252.json"
	boldZ      = "DejaVuSans-Bold-cp1252.z"
	regularTTF = "DejaVuSans.ttf"
	boldTTF    = "DejaVuSans-Bold.ttf"
)

// fontFamily is the name the document's fonts are registered under.
const fontFamily = "dejavu"

// Renderer draws certificate PDFs. It is safe for concurrent use; make one
// at start-up and share it.
//
// Most certificates need only cp1252 characters (every Spanish, Portuguese
// and English name) and are drawn with prebuilt gofpdf font definitions,
// embedded as they are: about 2 ms and 40 KB per PDF with a logo. A document
// with other Latin letters (Łukasz, Şükrü, Nguyễn) is drawn as fast with the
// Latin cut of the fonts in an encoding made for it (pdf_latin.go), the
// PDF about 90 KB larger. Only text in another script (Σοφία, Мария) takes
// the full TrueType fonts, which gofpdf parses and subsets per document:
// just as correct, about ten times slower.
type Renderer struct {
	regular, bold           fontDef
	regularLatin, boldLatin *latinFace
	regularTTF, boldTTF     []byte
	images                  imageCache
}

// fontDef is a gofpdf font definition and its compressed font file.
type fontDef struct{ def, z []byte }

// NewRenderer loads the fonts from a file system holding the files that
// scripts/makefont writes, at its root: with the embedded assets, pass
// fs.Sub(assets.Fonts, "fonts").
func NewRenderer(fonts fs.FS) (*Renderer, error) {
	r := &Renderer{}
	for name, dst := range map[string]*[]byte{
		regularDef: &r.regular.def, regularZ: &r.regular.z,
		boldDef: &r.bold.def, boldZ: &r.bold.z,
		regularTTF: &r.regularTTF, boldTTF: &r.boldTTF,
	} {
		b, err := fs.ReadFile(fonts, name)
		if err != nil {
			return nil, fmt.Errorf("certificates: load fonts: %w", err)
		}
		*dst = b
	}
	for name, d := range map[string]fontDef{regularDef: r.regular, boldDef: r.bold} {
		var def struct {
			Tp string
			Cw []int
		}
		if err := json.Unmarshal(d.def, &def); err != nil || def.Tp != "TrueType" || len(def.Cw) != 256 {
			return nil, fmt.Errorf("certificates: load fonts: %s is not a gofpdf cp1252 TrueType definition", name)
		}
	}
	for name, b := range map[string][]byte{regularTTF: r.regularTTF, boldTTF: r.boldTTF} {
		if len(b) < 12 || string(b[:4]) != "\x00\x01\x00\x00" {
			return nil, fmt.Errorf("certificates: load fonts: %s is not a TrueType font", name)
		}
	}
	for name, dst := range map[string]**latinFace{regularLatin: &r.regularLatin, boldLatin: &r.boldLatin} {
		b, err := fs.ReadFile(fonts, name)
		if err != nil {
			return nil, fmt.Errorf("certificates: load fonts: %w", err)
		}
		if *dst, err = loadLatinFace(name, b); err != nil {
			return nil, fmt.Errorf("certificates: load fonts: %w", err)
		}
	}
	return r, nil
}

// addFonts registers the fastest fonts that print every text of t.
func (r *Renderer) addFonts(c *canvas, t texts) error {
	text := t.all()
	if inCP1252(text) {
		c.pdf.AddFontFromBytes(fontFamily, "", r.regular.def, r.regular.z)
		c.pdf.AddFontFromBytes(fontFamily, "B", r.bold.def, r.bold.z)
		return nil
	}
	if e, ok := latinEncoding(text, r.regularLatin, r.boldLatin); ok {
		regular, err := r.regularLatin.definition(e)
		if err != nil {
			return err
		}
		bold, err := r.boldLatin.definition(e)
		if err != nil {
			return err
		}
		c.fonts, c.latin = fontsLatin, e
		c.pdf.AddFontFromBytes(fontFamily, "", regular, r.regularLatin.z)
		c.pdf.AddFontFromBytes(fontFamily, "B", bold, r.boldLatin.z)
		return nil
	}
	slog.Debug("certificates: text outside the Latin script, using UTF-8 fonts")
	c.fonts = fontsUTF8
	// Each document gets its own copy: gofpdf's subsetter appends to
	// slices of the font it was given, writing into the shared bytes.
	c.pdf.AddUTF8FontFromBytes(fontFamily, "", bytes.Clone(r.regularTTF))
	c.pdf.AddUTF8FontFromBytes(fontFamily, "B", bytes.Clone(r.boldTTF))
	return nil
}

// Render writes the certificate PDF of d to w: an A4 landscape page with the
// holder's name, the course, its workload and completion date in the
// certificate's language, the issuer's name, logo and signatories, the
// verification code, and a QR code and link to VerifyURL(d.BaseURL, code).
// The PDF's metadata (Keywords) carries Credential(payload, d.Signature) so
// the file can be checked offline. The same d always gives the same bytes:
// the PDF's dates are the snapshot's IssuedAt.
func (r *Renderer) Render(w io.Writer, d Document) (err error) {
	s := d.Snapshot
	if err := s.Validate(); err != nil {
		return fmt.Errorf("certificates: render: %w", err)
	}
	if err := d.Issuer.Validate(); err != nil {
		return fmt.Errorf("certificates: render %s: %w", s.Code, err)
	}
	// gofpdf panics on some malformed input rather than returning an error;
	// one bad upload must not take the server down.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("certificates: render %s: gofpdf panicked: %v", s.Code, p)
		}
	}()

	t := newTexts(d)
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "L", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetCatalogSort(true) // fonts and images in a fixed order
	issued := s.IssuedAt.UTC().Truncate(time.Second)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetDisplayMode("fullpage", "single") // on screen, open showing the whole page
	c := &canvas{pdf: pdf}
	if err := r.addFonts(c, t); err != nil {
		return fmt.Errorf("certificates: render %s: %w", s.Code, err)
	}
	pdf.SetTitle(pdfText(t.title+" — "+t.holder), false)
	pdf.SetSubject(pdfText(t.course), false)
	pdf.SetAuthor(pdfText(t.issuer), false)
	pdf.SetKeywords(pdfText(Credential(s.Payload(), d.Signature)), false)
	pdf.SetCreator(pdfText("Aula"), false)
	pdf.SetProducer(pdfText("Aula"), false)

	pdf.AddPage()
	if err := r.draw(c, d, t); err != nil {
		return fmt.Errorf("certificates: render %s: %w", s.Code, err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certificates: render %s: %w", s.Code, err)
	}
	return nil
}
