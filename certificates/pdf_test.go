package certificates

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/text/encoding/charmap"
)

// The tests read the PDFs back with poppler-utils (pdftotext, pdfinfo,
// pdffonts, pdftoppm), as a person or a search engine would.

var (
	rendererOnce sync.Once
	testRenderer *Renderer
	rendererErr  error
)

func newTestRenderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() {
		testRenderer, rendererErr = NewRenderer(os.DirFS("../assets/fonts"))
	})
	if rendererErr != nil {
		t.Fatalf("NewRenderer: %v", rendererErr)
	}
	return testRenderer
}

// testKey is fixed so that failures reproduce byte for byte.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

func testDocument(lang string) Document {
	s := Snapshot{
		Code:            "AULA-7KM3-Q9XH-2P",
		HolderName:      "João da Conceição Peña",
		CourseTitle:     "Protección Social Básica",
		WorkloadHours:   40,
		CompletedAt:     time.Date(2026, time.November, 27, 0, 0, 0, 0, time.UTC),
		IssuedAt:        time.Date(2026, time.November, 28, 9, 30, 0, 0, time.UTC),
		Institution:     "Ministério do Desenvolvimento e Assistência Social",
		IssuerName:      "Escuela Regional de Protección Social",
		Language:        lang,
		TemplateVersion: TemplateVersion,
	}
	return Document{
		Snapshot: s,
		Issuer: Issuer{
			Name:        s.IssuerName,
			Logo:        testLogo(),
			AccentColor: "#1F4E79",
			Signatories: []Signatory{
				{Name: "Ana Beatriz Souza", Title: "Directora académica", Signature: testSignature()},
				{Name: "Carlos Muñoz", Title: "Coordinador de formación", Signature: testSignature()},
			},
		},
		BaseURL:   "https://aula.example.org",
		Signature: Sign(testKey, s.Payload()),
	}
}

// testLogo is a 600×200 PNG with a transparent background, like most logos.
var testLogo = sync.OnceValue(func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 600, 200))
	for y := range 200 {
		for x := range 600 {
			dx, dy := float64(x-100), float64(y-100)
			switch {
			case dx*dx+dy*dy < 90*90:
				img.SetNRGBA(x, y, color.NRGBA{31, 78, 121, 255})
			case x > 220 && x < 580 && (y/25)%2 == 0:
				img.SetNRGBA(x, y, color.NRGBA{200, 120, 30, 200})
			}
		}
	}
	return encodePNG(img)
})

// testSignature is a handwritten-looking stroke on a transparent background.
var testSignature = sync.OnceValue(func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 120))
	for x := 10; x < 390; x++ {
		y := 60 + int(35*math.Sin(float64(x)/25))
		for d := -2; d <= 2; d++ {
			img.SetNRGBA(x, y+d, color.NRGBA{20, 20, 80, 255})
		}
	}
	return encodePNG(img)
})

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// render draws d into a file in a test directory and returns its path.
func render(t *testing.T, d Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := newTestRenderer(t).Render(&b, d); err != nil {
		t.Fatalf("Render: %v", err)
	}
	path := filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// poppler runs a poppler-utils command and returns its standard output. A
// missing command fails the test: skipping would let CI pass without ever
// reading a PDF back.
func poppler(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to run the PDF tests", name)
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr)
	}
	return string(out)
}

// readText is the page's text as pdftotext reads it, lines joined with
// spaces so that wrapped sentences compare whole.
func readText(t *testing.T, path string) string {
	t.Helper()
	return strings.Join(strings.Fields(poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
}

func TestRenderEachLanguage(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{Spanish, []string{"Certificado de conclusión", "Se certifica que", "completó el curso",
			"con una carga horaria de 40 horas, finalizado el 27 de noviembre de 2026",
			"Código de verificación: AULA-7KM3-Q9XH-2P", "Emitido el 28 de noviembre de 2026",
			"Verifique la autenticidad de este certificado en https://aula.example.org/verify/AULA-7KM3-Q9XH-2P"}},
		{Portuguese, []string{"Certificado de conclusão", "Certificamos que", "concluiu o curso",
			"com carga horária de 40 horas, concluído em 27 de novembro de 2026",
			"Código de verificação: AULA-7KM3-Q9XH-2P", "Emitido em 28 de novembro de 2026",
			"Verifique a autenticidade deste certificado em https://aula.example.org/verify/AULA-7KM3-Q9XH-2P"}},
		{English, []string{"Certificate of completion", "This is to certify that", "has completed the course",
			"with a workload of 40 hours, completed on 27 November 2026",
			"Verification code: AULA-7KM3-Q9XH-2P", "Issued on 28 November 2026",
			"Verify this certificate at https://aula.example.org/verify/AULA-7KM3-Q9XH-2P"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			path := render(t, testDocument(tt.lang))
			text := readText(t, path)
			common := []string{"João da Conceição Peña", "Protección Social Básica",
				"Ministério do Desenvolvimento e Assistência Social", "Escuela Regional de Protección Social",
				"Ana Beatriz Souza", "Directora académica", "Carlos Muñoz", "Coordinador de formación"}
			for _, want := range append(common, tt.want...) {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q; it reads:\n%s", want, text)
				}
			}
			if strings.Contains(text, "?") {
				t.Errorf("PDF text has a '?' where a character could not be printed:\n%s", text)
			}
			// The fast path: both faces embedded as cp1252 TrueType fonts.
			fonts := poppler(t, "pdffonts", path)
			for _, face := range []string{"DejaVuSans ", "DejaVuSans-Bold "} {
				if !fontLine(fonts, face, "TrueType", "WinAnsi", "yes") {
					t.Errorf("font %q not embedded as WinAnsi TrueType:\n%s", face, fonts)
				}
			}
		})
	}
}

// fontLine reports whether pdffonts listed a font whose line starts with
// name and has the given type, encoding and "emb" column.
func fontLine(pdffonts, name, typ, encoding, embedded string) bool {
	for _, l := range strings.Split(pdffonts, "\n") {
		f := strings.Fields(l)
		if strings.HasPrefix(l, name) && strings.Contains(l, typ) && slices.Contains(f, encoding) && len(f) > 4 &&
			f[len(f)-5] == embedded {
			return true
		}
	}
	return false
}

func TestRenderWorkload(t *testing.T) {
	tests := []struct {
		lang  string
		hours int
		want  string
	}{
		{Spanish, 1, "con una carga horaria de 1 hora, finalizado el"},
		{Portuguese, 1, "com carga horária de 1 hora, concluído em"},
		{English, 1, "with a workload of 1 hour, completed on"},
		{Spanish, 0, "completó el curso Protección Social Básica finalizado el 27 de noviembre de 2026"},
		{English, 0, "has completed the course Protección Social Básica completed on 27 November 2026"},
	}
	for _, tt := range tests {
		d := testDocument(tt.lang)
		d.Snapshot.WorkloadHours = tt.hours
		if text := readText(t, render(t, d)); !strings.Contains(text, tt.want) {
			t.Errorf("%s, %d hours: PDF text lacks %q; it reads:\n%s", tt.lang, tt.hours, tt.want, text)
		}
	}
}

func TestRenderQRCodeOpensVerifyURL(t *testing.T) {
	for _, base := range []string{"https://aula.example.org", "https://formacion.ministerio.example.gob/aula/"} {
		d := testDocument(Spanish)
		d.BaseURL = base
		path := render(t, d)
		prefix := filepath.Join(filepath.Dir(path), "page")
		poppler(t, "pdftoppm", "-r", "150", "-png", "-singlefile", path, prefix)
		f, err := os.Open(prefix + ".png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("no QR code found on the page rendered at 150 dpi: %v", err)
		}
		if want := VerifyURL(base, d.Snapshot.Code); res.GetText() != want {
			t.Errorf("QR code reads %q, want %q", res.GetText(), want)
		}
	}
}

func TestRenderMetadataCarriesCredential(t *testing.T) {
	d := testDocument(Portuguese)
	info := poppler(t, "pdfinfo", "-enc", "UTF-8", render(t, d))
	fields := map[string]string{}
	for _, l := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	p, sig, err := ParseCredential(fields["Keywords"])
	if err != nil {
		t.Fatalf("Keywords %q: %v", fields["Keywords"], err)
	}
	if err := Verify(testKey.Public().(ed25519.PublicKey), p, sig); err != nil {
		t.Errorf("credential from the PDF does not verify: %v", err)
	}
	if want := Credential(d.Snapshot.Payload(), d.Signature); fields["Keywords"] != want {
		t.Errorf("Keywords = %s\nwant %s", fields["Keywords"], want)
	}
	for k, want := range map[string]string{
		"Title":   "Certificado de conclusão — João da Conceição Peña",
		"Subject": "Protección Social Básica",
		"Author":  "Escuela Regional de Protección Social",
	} {
		if fields[k] != want {
			t.Errorf("%s = %q, want %q", k, fields[k], want)
		}
	}
	if !strings.Contains(fields["CreationDate"], "Nov 28 09:30:00 2026") {
		t.Errorf("CreationDate = %q, want the issue time", fields["CreationDate"])
	}
}

// TestRenderOutsideCP1252 checks names the cp1252 fonts cannot print come
// out right rather than as question marks: Latin letters through the
// Latin cut in the document's own encoding (a plain TrueType font, no
// CID), other scripts through the UTF-8 fonts.
func TestRenderOutsideCP1252(t *testing.T) {
	for _, tt := range []struct {
		name, field string
		cid         bool
	}{
		{"Łukasz Żółć-Brzęczyszczykiewicz", "holder", false},
		{"Łukasz Wąsowski", "holder", false},
		{"Nguyễn Thị Minh Khai", "holder", false},
		{"Şükrü Öztürk Çağlayan", "holder", false},
		{"Ștefan Țurcanu", "holder", false},
		{"Jiří Dvořák Ůžasný", "holder", false},
		{"Jānis Bērziņš, Erdős Pál", "holder", false},
		{"Đặng Thị Ánh Tuyết — Phạm Ngọc Thạch", "holder", false},
		{"Bezpieczeństwo socjalne w Łodzi", "course", false},
		{"Ústav sociálního zabezpečení, Brno", "institution", false},
		{"Dr. Đặng Văn Lâm", "signatory", false},
		{"Σοφία Παπαδοπούλου", "holder", true},
		{"Ольга Смирнова", "holder", true},
	} {
		d := testDocument(English)
		switch tt.field {
		case "holder":
			d.Snapshot.HolderName = tt.name
		case "course":
			d.Snapshot.CourseTitle = tt.name
		case "institution":
			d.Snapshot.Institution = tt.name
		case "signatory":
			d.Issuer.Signatories[1].Name = tt.name
		}
		path := render(t, d)
		text := readText(t, path)
		// Unchanged cp1252 text must survive the switch of fonts too.
		for _, want := range []string{tt.name, "Verification code: AULA-7KM3-Q9XH-2P", "Carlos Muñoz", "Directora académica"} {
			if tt.field == "signatory" && want == "Carlos Muñoz" {
				continue
			}
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q; it reads:\n%s", want, text)
			}
		}
		if strings.Contains(text, "?") {
			t.Errorf("PDF text has a '?':\n%s", text)
		}
		fonts := poppler(t, "pdffonts", path)
		if got := strings.Contains(fonts, "CID TrueType"); got != tt.cid {
			t.Errorf("%s: UTF-8 (CID) fonts = %v, want %v:\n%s", tt.name, got, tt.cid, fonts)
		}
		if !tt.cid {
			for _, face := range []string{"DejaVuSans ", "DejaVuSans-Bold "} {
				if !fontLine(fonts, face, "TrueType", "Custom", "yes") {
					t.Errorf("%s: font %q not embedded as TrueType in its own encoding:\n%s", tt.name, face, fonts)
				}
			}
		}
	}
}

// TestLatinCutMeasuresLikeCP1252: the Latin cut's widths, read from the
// font at start, are those of the cp1252 definitions makefont wrote, for
// every character both have, so a name lays out the same in either.
func TestLatinCutMeasuresLikeCP1252(t *testing.T) {
	r := newTestRenderer(t)
	for _, f := range []struct {
		def   []byte
		latin *latinFace
	}{{r.regular.def, r.regularLatin}, {r.bold.def, r.boldLatin}} {
		var def struct{ Cw []int }
		if err := json.Unmarshal(f.def, &def); err != nil {
			t.Fatal(err)
		}
		n := 0
		for c := 0x20; c < 256; c++ {
			ch := charmap.Windows1252.DecodeByte(byte(c))
			if ch == '\uFFFD' || ch == 0x7F {
				continue
			}
			n++
			if got, ok := f.latin.widths[ch]; !ok || got != def.Cw[c] {
				t.Errorf("%s: width of %q = %d (present %v), cp1252 definition %d", f.latin.name, ch, got, ok, def.Cw[c])
			}
		}
		if n < 200 {
			t.Fatalf("compared %d characters", n)
		}
	}
}

// TestLatinEncoding: a document's encoding keeps cp1252's codes for the
// characters cp1252 has, gives the others codes nothing else uses, and
// gives up (UTF-8 fonts) beyond the cut or beyond 128 characters.
func TestLatinEncoding(t *testing.T) {
	r := newTestRenderer(t)
	text := "Łukasz Wąsowski — Nguyễn, €5 …"
	e, ok := latinEncoding(text, r.regularLatin, r.boldLatin)
	if !ok {
		t.Fatal("a Polish and Vietnamese text does not fit")
	}
	used := map[byte]rune{}
	for ch, c := range e.codes {
		if prev, dup := used[c]; dup {
			t.Errorf("%q and %q share code %d", prev, ch, c)
		}
		used[c] = ch
		if want, ok := charmap.Windows1252.EncodeRune(ch); ok && want != c {
			t.Errorf("%q moved from its cp1252 code %d to %d", ch, want, c)
		}
	}
	if got := e.encode("Łę—€"); len(got) != 4 || got[2] != 0x97 || got[3] != 0x80 {
		t.Errorf("encode = % x", got)
	}
	if !strings.Contains(e.diff, "/uni0141") || !strings.Contains(e.diff, "/uni1EC5") {
		t.Errorf("differences %q lack Ł and ễ", e.diff)
	}
	if _, ok := latinEncoding("Σοφία", r.regularLatin, r.boldLatin); ok {
		t.Error("Greek fits the Latin cut")
	}
	var many strings.Builder
	for ch := rune(0x100); ch < 0x100+129; ch++ {
		many.WriteRune(ch)
	}
	if _, ok := latinEncoding(many.String(), r.regularLatin, r.boldLatin); ok {
		t.Error("129 characters outside ASCII fit in 128 codes")
	}
}

func TestRenderCleansText(t *testing.T) {
	d := testDocument(Spanish)
	// Decomposed accents (as macOS file names and some forms send them),
	// a line break, a tab, a soft hyphen and a zero-width space.
	d.Snapshot.HolderName = "  Joa\u0303o da\tConceic\u0327a\u0303o\nPen\u0303a\u00ad\u200b "
	d.Snapshot.CourseTitle = "Protección\r\nSocial   Básica"
	path := render(t, d)
	text := readText(t, path)
	for _, want := range []string{"João da Conceição Peña", "Protección Social Básica"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q; it reads:\n%s", want, text)
		}
	}
	if fonts := poppler(t, "pdffonts", path); strings.Contains(fonts, "CID") {
		t.Errorf("composed text should use the cp1252 fonts:\n%s", fonts)
	}
}

func TestRenderEmojiDoesNotBreak(t *testing.T) {
	d := testDocument(English)
	d.Snapshot.HolderName = "Ana 🙂 Souza 𝔸"
	text := readText(t, render(t, d))
	if !strings.Contains(text, "Ana") || !strings.Contains(text, "Souza") {
		t.Errorf("PDF text lacks the name around the emoji:\n%s", text)
	}
}

// word is one word of pdftotext -bbox output, in points from the top left.
type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

func bboxWords(t *testing.T, path string) (words []word, pageW, pageH float64) {
	t.Helper()
	out := poppler(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	attr := func(tag, name string) float64 {
		i := strings.Index(tag, name+`="`)
		if i < 0 {
			t.Fatalf("no %s in %s", name, tag)
		}
		rest := tag[i+len(name)+2:]
		v, err := strconv.ParseFloat(rest[:strings.IndexByte(rest, '"')], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "<page "):
			pageW, pageH = attr(l, "width"), attr(l, "height")
		case strings.HasPrefix(l, "<word "):
			end := strings.IndexByte(l, '>')
			words = append(words, word{
				text: strings.TrimSuffix(l[end+1:], "</word>"),
				xMin: attr(l, "xMin"), yMin: attr(l, "yMin"), xMax: attr(l, "xMax"), yMax: attr(l, "yMax"),
			})
		}
	}
	if len(words) == 0 {
		t.Fatalf("pdftotext -bbox found no words:\n%s", out)
	}
	return words, pageW, pageH
}

// TestRenderLongTextStaysOnPage draws the longest texts a form accepts and
// checks with pdftotext -bbox that every word lies inside the border, that
// no two words overlap and that nothing was dropped.
func TestRenderLongTextStaysOnPage(t *testing.T) {
	name := "Maria Fernanda de los Ángeles Gutiérrez Peña y Conceição Lim" // 60 characters
	title := strings.Repeat("Protección Social Básica: diseño, gestión y evaluación de programas ", 3)[:200]
	title = strings.TrimSpace(title)
	unbroken := strings.Repeat("Wolfeschlegelsteinhausen", 3)[:60] // no space to break at
	for _, tt := range []struct {
		lang, name, title string
		utf8              bool
	}{
		{Spanish, name, title, false},
		{Portuguese, name, title, false},
		{English, name, title, false},
		{English, unbroken, strings.Repeat("x", 200), false},
		{Spanish, "Łukasz Żółć-Brzęczyszczykiewicz Nguyễn Thị Minh Khai Σοφία Π", title, true},
	} {
		if n := len([]rune(tt.name)); n != 60 {
			t.Fatalf("test name has %d characters, want 60", n)
		}
		d := testDocument(tt.lang)
		d.Snapshot.HolderName = tt.name
		d.Snapshot.CourseTitle = tt.title
		d.Snapshot.Institution = strings.Repeat("Secretaría Nacional de Inclusión Económica y Social ", 3)
		d.Issuer.Signatories[0].Name = "María de los Ángeles Fernández-Castro Villanueva"
		d.Issuer.Signatories[0].Title = "Directora Nacional de Formación, Capacitación y Desarrollo de Competencias del Personal"
		path := render(t, d)
		words, w, h := bboxWords(t, path)
		margin := 11 * 72 / 25.4 // the inner border
		for _, wd := range words {
			if wd.xMin < margin || wd.yMin < margin || wd.xMax > w-margin || wd.yMax > h-margin {
				t.Errorf("%s: word %q at (%.0f,%.0f)-(%.0f,%.0f) lies outside the border of a %.0f×%.0f page",
					tt.lang, wd.text, wd.xMin, wd.yMin, wd.xMax, wd.yMax, w, h)
			}
		}
		for i, a := range words {
			for _, b := range words[i+1:] {
				// A tolerance of a point absorbs glyph boxes that touch.
				if a.xMin < b.xMax-1 && b.xMin < a.xMax-1 && a.yMin < b.yMax-1 && b.yMin < a.yMax-1 {
					t.Errorf("%s: words %q and %q overlap", tt.lang, a.text, b.text)
				}
			}
		}
		text := readText(t, path)
		joined := strings.ReplaceAll(text, " ", "")
		for _, want := range []string{tt.name, tt.title} {
			if !strings.Contains(joined, strings.ReplaceAll(want, " ", "")) {
				t.Errorf("%s: PDF text lacks %q; it reads:\n%s", tt.lang, want, text)
			}
		}
		if fonts := poppler(t, "pdffonts", path); strings.Contains(fonts, "CID") != tt.utf8 {
			t.Errorf("%s: UTF-8 fonts used = %v, want %v", tt.name, !tt.utf8, tt.utf8)
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	r := newTestRenderer(t)
	polish := testDocument(Spanish)
	polish.Snapshot.HolderName = "Łukasz Żółć-Brzęczyszczykiewicz" // the Latin cut
	greek := testDocument(Spanish)
	greek.Snapshot.HolderName = "Σοφία Παπαδοπούλου" // the UTF-8 fonts
	first := map[string][]byte{}
	for _, d := range []Document{testDocument(Spanish), polish, greek} {
		var b bytes.Buffer
		if err := r.Render(&b, d); err != nil {
			t.Fatal(err)
		}
		first[d.Snapshot.HolderName] = b.Bytes()
	}
	time.Sleep(1100 * time.Millisecond) // let the wall clock's seconds change
	for _, d := range []Document{testDocument(Spanish), polish, greek} {
		var b bytes.Buffer
		if err := r.Render(&b, d); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first[d.Snapshot.HolderName], b.Bytes()) {
			t.Errorf("two renders for %s differ", d.Snapshot.HolderName)
		}
		if b.Len() > 100_000 {
			t.Errorf("certificate for %s with logo and two signatures is %d bytes, want < 100 KB", d.Snapshot.HolderName, b.Len())
		}
	}
	d := testDocument(Spanish)
	d.Snapshot.HolderName = "Joana da Conceição Peña"
	var b bytes.Buffer
	if err := r.Render(&b, d); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first[testDocument(Spanish).Snapshot.HolderName], b.Bytes()) {
		t.Error("a different name gave the same PDF")
	}
}

func TestNewRendererNeedsFonts(t *testing.T) {
	good := os.DirFS("../assets/fonts")
	all := fstest.MapFS{}
	for _, name := range []string{regularDef, regularZ, boldDef, boldZ, regularTTF, boldTTF, regularLatin, boldLatin} {
		b, err := fs.ReadFile(good, name)
		if err != nil {
			t.Fatalf("assets/fonts lacks %s (run go run ./scripts/makefont): %v", name, err)
		}
		all[name] = &fstest.MapFile{Data: b}
	}
	if _, err := NewRenderer(all); err != nil {
		t.Fatalf("NewRenderer(all fonts) = %v", err)
	}
	for _, name := range []string{regularDef, boldZ, boldTTF, boldLatin} {
		missing := fstest.MapFS{}
		broken := fstest.MapFS{}
		for k, v := range all {
			broken[k] = v
			if k != name {
				missing[k] = v
			}
		}
		broken[name] = &fstest.MapFile{Data: []byte("{}")}
		if _, err := NewRenderer(missing); err == nil {
			t.Errorf("NewRenderer without %s succeeded", name)
		}
		if name != boldZ { // a .z is opaque until gofpdf writes it
			if _, err := NewRenderer(broken); err == nil {
				t.Errorf("NewRenderer with a broken %s succeeded", name)
			}
		}
	}
}

func TestDocumentHash(t *testing.T) {
	base := testDocument(Spanish)
	if base.Hash() != testDocument(Spanish).Hash() {
		t.Fatal("equal documents have different hashes")
	}
	if len(base.Hash()) != 64 {
		t.Errorf("Hash() = %q, want 64 hex digits", base.Hash())
	}
	changes := map[string]func(*Document){
		"code":            func(d *Document) { d.Snapshot.Code = "AULA-7KM3-Q9XH-2Q" },
		"holder":          func(d *Document) { d.Snapshot.HolderName += "s" },
		"course":          func(d *Document) { d.Snapshot.CourseTitle += "s" },
		"hours":           func(d *Document) { d.Snapshot.WorkloadHours++ },
		"completed":       func(d *Document) { d.Snapshot.CompletedAt = d.Snapshot.CompletedAt.AddDate(0, 0, 1) },
		"issued":          func(d *Document) { d.Snapshot.IssuedAt = d.Snapshot.IssuedAt.Add(time.Second) },
		"institution":     func(d *Document) { d.Snapshot.Institution = "" },
		"issuer name":     func(d *Document) { d.Snapshot.IssuerName += "s" },
		"language":        func(d *Document) { d.Snapshot.Language = English },
		"template":        func(d *Document) { d.Snapshot.TemplateVersion++ },
		"organisation":    func(d *Document) { d.Issuer.Name += "s" },
		"logo":            func(d *Document) { d.Issuer.Logo = testSignature() },
		"no logo":         func(d *Document) { d.Issuer.Logo = nil },
		"colour":          func(d *Document) { d.Issuer.AccentColor = "#000000" },
		"signatory name":  func(d *Document) { d.Issuer.Signatories[0].Name += "s" },
		"signatory title": func(d *Document) { d.Issuer.Signatories[1].Title += "s" },
		"signature image": func(d *Document) { d.Issuer.Signatories[1].Signature = testLogo() },
		"signatory gone":  func(d *Document) { d.Issuer.Signatories = d.Issuer.Signatories[:1] },
		"base url":        func(d *Document) { d.BaseURL = "https://other.example.org" },
		"signature":       func(d *Document) { d.Signature = Sign(GenerateKey(), d.Snapshot.Payload()) },
		"text moved between fields": func(d *Document) {
			// Same bytes in a row, split differently.
			d.Snapshot.HolderName += d.Snapshot.CourseTitle[:4]
			d.Snapshot.CourseTitle = d.Snapshot.CourseTitle[4:]
		},
	}
	seen := map[string]string{base.Hash(): "base"}
	for what, change := range changes {
		d := testDocument(Spanish)
		d.Issuer.Signatories = append([]Signatory(nil), d.Issuer.Signatories...)
		change(&d)
		h := d.Hash()
		if other, dup := seen[h]; dup {
			t.Errorf("changing %s gives the same hash as %s", what, other)
		}
		seen[h] = what
	}
}

func TestRenderRejectsInvalidInput(t *testing.T) {
	r := newTestRenderer(t)
	tests := map[string]struct {
		change func(*Document)
		want   error
	}{
		"no name":          {func(d *Document) { d.Snapshot.HolderName = " " }, ErrInvalidSnapshot},
		"no course":        {func(d *Document) { d.Snapshot.CourseTitle = "" }, ErrInvalidSnapshot},
		"bad code":         {func(d *Document) { d.Snapshot.Code = "aula-7km3-q9xh-2p" }, ErrInvalidSnapshot},
		"french":           {func(d *Document) { d.Snapshot.Language = "fr" }, ErrInvalidSnapshot},
		"future template":  {func(d *Document) { d.Snapshot.TemplateVersion = TemplateVersion + 1 }, ErrInvalidSnapshot},
		"negative hours":   {func(d *Document) { d.Snapshot.WorkloadHours = -1 }, ErrInvalidSnapshot},
		"no date":          {func(d *Document) { d.Snapshot.CompletedAt = time.Time{} }, ErrInvalidSnapshot},
		"colour name":      {func(d *Document) { d.Issuer.AccentColor = "blue" }, ErrInvalidIssuer},
		"short colour":     {func(d *Document) { d.Issuer.AccentColor = "#123" }, ErrInvalidIssuer},
		"three signatures": {func(d *Document) { d.Issuer.Signatories = append(d.Issuer.Signatories, Signatory{Name: "X"}) }, ErrInvalidIssuer},
		"text logo":        {func(d *Document) { d.Issuer.Logo = []byte("<svg/>") }, ErrInvalidIssuer},
		"gif logo":         {func(d *Document) { d.Issuer.Logo = []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;") }, ErrInvalidIssuer},
		"unnamed signer":   {func(d *Document) { d.Issuer.Signatories[0].Name = "" }, ErrInvalidIssuer},
	}
	for name, tt := range tests {
		d := testDocument(Spanish)
		d.Issuer.Signatories = append([]Signatory(nil), d.Issuer.Signatories...)
		tt.change(&d)
		var b bytes.Buffer
		if err := r.Render(&b, d); !errors.Is(err, tt.want) {
			t.Errorf("%s: Render() = %v, want %v", name, err, tt.want)
		}
	}
}

func TestRenderOptionalParts(t *testing.T) {
	d := testDocument(English)
	d.Issuer.Logo = nil
	d.Issuer.AccentColor = ""
	d.Issuer.Signatories = []Signatory{{Name: "Ana Beatriz Souza"}} // no title, no image
	d.Snapshot.Institution = ""
	text := readText(t, render(t, d))
	for _, want := range []string{"João da Conceição Peña", "Ana Beatriz Souza", "AULA-7KM3-Q9XH-2P"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q; it reads:\n%s", want, text)
		}
	}
	d.Issuer.Signatories = nil
	if text := readText(t, render(t, d)); !strings.Contains(text, "João da Conceição Peña") {
		t.Errorf("PDF without signatories lacks the name:\n%s", text)
	}
}

// TestRenderConcurrently shares one Renderer, its fonts and image cache,
// between goroutines (run with -race).
func TestRenderConcurrently(t *testing.T) {
	polish := testDocument(Spanish)
	polish.Snapshot.HolderName = "Łukasz Żółć-Brzęczyszczykiewicz"
	docs := []Document{testDocument(Spanish), testDocument(English), polish}
	var want [][]byte
	for _, d := range docs {
		var b bytes.Buffer
		if err := newTestRenderer(t).Render(&b, d); err != nil {
			t.Fatal(err)
		}
		want = append(want, b.Bytes())
	}
	r, err := NewRenderer(os.DirFS("../assets/fonts")) // an empty image cache to race for
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 9 {
		wg.Go(func() {
			var b bytes.Buffer
			if err := r.Render(&b, docs[i%len(docs)]); err != nil {
				t.Error(err)
				return
			}
			if !bytes.Equal(b.Bytes(), want[i%len(docs)]) {
				t.Errorf("concurrent render of document %d differs", i%len(docs))
			}
		})
	}
	wg.Wait()
}

func TestPrepareImage(t *testing.T) {
	opaque := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for i := range opaque.Pix {
		opaque.Pix[i] = 200 // opaque grey
		if i%4 == 3 {
			opaque.Pix[i] = 255
		}
	}
	huge := image.NewNRGBA(image.Rect(0, 0, 4000, 1000))
	gray16 := image.NewGray16(image.Rect(0, 0, 50, 20))
	tests := []struct {
		name      string
		in        []byte
		unchanged bool
		aspect    float64
	}{
		{"opaque PNG is embedded as is", encodePNG(opaque), true, 3},
		{"transparent PNG is flattened", testLogo(), false, 3},
		{"huge PNG is scaled down", encodePNG(huge), false, 4},
		{"16-bit PNG is converted", encodePNG(gray16), false, 2.5},
	}
	for _, tt := range tests {
		img, err := prepareImage(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if same := bytes.Equal(img.data, tt.in); same != tt.unchanged {
			t.Errorf("%s: unchanged = %v", tt.name, same)
		}
		if !plainPNG(img.data) {
			t.Errorf("%s: result still needs gofpdf to re-encode it", tt.name)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(img.data))
		if err != nil || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
			t.Errorf("%s: result %dx%d, %v", tt.name, cfg.Width, cfg.Height, err)
		}
		if math.Abs(img.aspect-tt.aspect) > 0.01 {
			t.Errorf("%s: aspect %.2f, want %.2f", tt.name, img.aspect, tt.aspect)
		}
	}
	// Flattening puts transparent pixels on white and keeps opaque ones.
	img, _ := prepareImage(testLogo())
	flat, err := png.Decode(bytes.NewReader(img.data))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := flat.At(599, 199).RGBA(); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
		t.Errorf("transparent corner is %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
	if r, g, b, _ := flat.At(100, 100).RGBA(); r>>8 != 31 || g>>8 != 78 || b>>8 != 121 {
		t.Errorf("logo centre is %d,%d,%d, want 31,78,121", r>>8, g>>8, b>>8)
	}
}
