package certificates

import "testing"

// The fonts in assets were cut with this exact list (scripts/makefont):
// a range that changes here without cutting them again would draw
// letters the embedded cut has no glyph for.
func TestLatinUnicodesIsTheCutsList(t *testing.T) {
	const cut = "U+0020-007E,U+00A0-024F,U+02B9-02BC,U+02C6-02C7,U+02D8-02DD,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20AC,U+2122,U+FFFD"
	if got := LatinUnicodes(); got != cut {
		t.Fatalf("LatinUnicodes() = %s\nthe fonts were cut with %s: run go run ./scripts/makefont", got, cut)
	}
}
