package assets

import "embed"

// Fonts holds the certificate fonts under "fonts/": DejaVu Sans regular and
// bold as gofpdf cp1252 definitions (*-cp1252.json and .z, the fast path) and
// as full TrueType files (the fallback for names outside cp1252), with
// LICENSE-DejaVu.txt. scripts/makefont regenerates them. Pass
// fs.Sub(Fonts, "fonts") to certificates.NewRenderer.
//
//go:embed fonts
var Fonts embed.FS
