package courses

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"golang.org/x/text/unicode/norm"
)

// ErrFileType: an upload's content is not one of the kinds a course may
// attach, whatever its name says.
var ErrFileType = errors.New("courses: file type not allowed")

// MaxFileNameLen is the longest file name CleanFileName returns, in bytes,
// well under the 255 bytes most filesystems and archive formats take.
const MaxFileNameLen = 200

// maxExtLen is the longest ending CleanFileName treats as an extension to
// keep when it shortens a name; anything longer is just part of the name.
const maxExtLen = 16

// fallbackFileName names an upload whose name has nothing usable left.
const fallbackFileName = "file"

// CleanFileName turns the name a browser sent with an upload into one that
// is safe to store and to offer back in a download: no directories (either
// "/" or "\"), no control or invisible formatting characters (which can fake
// an extension: "report\u202Efdp.exe"), no leading dots (hidden files), no
// characters Windows refuses, and at most MaxFileNameLen bytes, cut before
// the extension so "….pdf" stays a PDF. Letters keep their accents, in NFC
// so "Conceição.pdf" is the same name whichever keyboard typed it.
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}

	var b strings.Builder
	b.Grow(len(name))
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	// NFC after filtering: a dropped control character may have separated
	// two accents that now need putting in canonical order.
	name = strings.TrimLeft(norm.NFC.String(b.String()), ". ")
	// Windows drops trailing dots and spaces, which would change the name
	// (and the extension) on the learner's disk.
	name = strings.TrimRight(name, ". ")

	if len(name) > MaxFileNameLen {
		name = shortenFileName(name)
	}
	if name == "" {
		return fallbackFileName
	}
	return name
}

// shortenFileName cuts the stem of a name so it fits MaxFileNameLen with its
// extension, never in the middle of a character.
func shortenFileName(name string) string {
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtLen && !strings.Contains(name[i:], " ") {
		ext = name[i:]
	}
	stem := name[:len(name)-len(ext)]
	keep := MaxFileNameLen - len(ext)
	for keep > 0 && !utf8.RuneStart(stem[keep]) {
		keep--
	}
	stem = strings.TrimRight(stem[:keep], ". ")
	if stem == "" {
		stem = fallbackFileName
	}
	return stem + ext
}

// SniffLen is how many leading bytes of a file SniffKind looks at. Give it
// that many, or the whole file when it is shorter.
const SniffLen = 4096

// allowedKinds are the media types a course may attach: images a browser
// shows inline and documents it downloads. Everything a browser would run
// or render as a page (HTML, SVG, XML, JavaScript) is left out, as are
// archives and executables.
var allowedKinds = map[string]bool{
	"image/png":  true,
	"image/jpeg": true,
	"image/gif":  true,
	"image/webp": true,

	"application/pdf": true,

	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true, // docx
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true, // xlsx
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true, // pptx
	"application/vnd.oasis.opendocument.text":                                   true, // odt
	"application/vnd.oasis.opendocument.spreadsheet":                            true, // ods
	"application/vnd.oasis.opendocument.presentation":                           true, // odp
	"application/msword":            true, // doc
	"application/vnd.ms-excel":      true, // xls
	"application/vnd.ms-powerpoint": true, // ppt

	"text/plain": true,
	"text/csv":   true,
}

// SniffKind decides from the first bytes of a file (see SniffLen) whether a
// course may attach it, and returns its media type, e.g. "image/png" or
// "text/plain; charset=utf-8", to store and serve it with. The name the
// browser sent and the Content-Type it claimed are ignored: an HTML page
// renamed "foto.png" is refused and a PNG called "foto.txt" is a PNG.
// Refusals wrap ErrFileType and say what was found.
//
// SVG is refused although it is an image: it can carry script that runs
// when the file is opened from Aula's origin. Plain text and CSV are
// accepted, so they must be served with "X-Content-Type-Options: nosniff",
// as every file should be.
//
// A caller reads the head, checks it, then stores the whole stream:
//
//	head := make([]byte, SniffLen)
//	n, err := io.ReadFull(r, head) // io.ErrUnexpectedEOF: a short file
//	kind, err := SniffKind(head[:n])
//	blob, err := store.Put(ctx, io.MultiReader(bytes.NewReader(head[:n]), r), max)
func SniffKind(head []byte) (string, error) {
	if len(head) == 0 {
		return "", fmt.Errorf("%w: empty file", ErrFileType)
	}
	m := mimetype.Detect(head)
	kind := m.String()
	base, _, _ := strings.Cut(kind, ";")
	if !allowedKinds[base] {
		return "", fmt.Errorf("%w: %s", ErrFileType, kind)
	}
	return kind, nil
}
