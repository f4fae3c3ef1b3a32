package certificates

import (
	"bytes"
	"testing"
)

// BenchmarkRender draws a full certificate (logo, two signature images, QR
// code) with the cp1252 fonts, the path of every Spanish, Portuguese and
// English name, and reports the PDF's size.
func BenchmarkRender(b *testing.B) {
	benchmarkRender(b, testDocument(Spanish))
}

// BenchmarkRenderLatin draws the same certificate for names outside
// cp1252 in the Latin script (Polish, Turkish, Vietnamese), drawn with the
// Latin cut in an encoding made for the document.
func BenchmarkRenderLatin(b *testing.B) {
	d := testDocument(Spanish)
	d.Snapshot.HolderName = "Łukasz Wąsowski, Şükrü Nguyễn"
	benchmarkRender(b, d)
}

// BenchmarkRenderUTF8 draws it for a name in another script, which needs
// the full TrueType fonts.
func BenchmarkRenderUTF8(b *testing.B) {
	d := testDocument(Spanish)
	d.Snapshot.HolderName = "Σοφία Παπαδοπούλου"
	benchmarkRender(b, d)
}

func benchmarkRender(b *testing.B, d Document) {
	r := newTestRenderer(b)
	var buf bytes.Buffer
	if err := r.Render(&buf, d); err != nil { // fills the image cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := r.Render(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}
