package courses_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aula-platform/aula/courses"
)

func TestCleanFileName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"informe.pdf", "informe.pdf"},
		{"Relatório de João Conceição.docx", "Relatório de João Conceição.docx"},
		{`C:\Users\Peña\Desktop\Guía final.pdf`, "Guía final.pdf"},
		{"../../etc/passwd", "passwd"},
		{`..\..\windows\win.ini`, "win.ini"},
		{"/var/www/../x.png", "x.png"},
		{"carpeta/", "file"},
		{".htaccess", "htaccess"},
		{"...", "file"},
		{"..", "file"},
		{"", "file"},
		{"   ", "file"},
		{"a\x00b.pdf", "ab.pdf"},
		{"bell\a\x1b[31m.txt", "bell[31m.txt"},
		{"dos\nlíneas\t.txt", "dos líneas .txt"},
		{"  Peña   final.pdf  ", "Peña final.pdf"},
		{"factura\u202Efdp.exe", "facturafdp.exe"}, // right-to-left override
		{"cero\u200Bancho.pdf", "ceroancho.pdf"},   // zero-width space
		{"Conceic\u0327a\u0303o.pdf", "Conceição.pdf"},
		{`a:b*c?"d"<e>|f.txt`, "a_b_c__d__e__f.txt"},
		{"nombre.pdf.", "nombre.pdf"},
		{"inválido\xff\xfe.pdf", "inválido.pdf"},
	}
	for _, tc := range tests {
		if got := courses.CleanFileName(tc.name); got != tc.want {
			t.Errorf("CleanFileName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCleanFileNameShortensKeepingExtension(t *testing.T) {
	tests := []struct {
		name    string
		wantExt string
	}{
		{strings.Repeat("ã", 150) + ".docx", ".docx"}, // 2-byte letters: the cut must not split one
		{strings.Repeat("a", 300) + ".pdf", ".pdf"},
		{strings.Repeat("a", 300), ""},
		{strings.Repeat("a", 300) + ".no es una extensión", ""},
		{strings.Repeat("€", 100) + "." + strings.Repeat("x", 40), ""},
		{strings.Repeat(".", 300) + "x.pdf", ".pdf"},
	}
	for _, tc := range tests {
		got := courses.CleanFileName(tc.name)
		if len(got) > courses.MaxFileNameLen {
			t.Errorf("CleanFileName(%.20q…) is %d bytes, more than %d", tc.name, len(got), courses.MaxFileNameLen)
		}
		if !utf8.ValidString(got) {
			t.Errorf("CleanFileName(%.20q…) = %q is not valid UTF-8", tc.name, got)
		}
		if tc.wantExt != "" && !strings.HasSuffix(got, tc.wantExt) {
			t.Errorf("CleanFileName(%.20q…) = %q lost its extension %s", tc.name, got, tc.wantExt)
		}
		if len(got) < courses.MaxFileNameLen-4 && len(tc.name) > courses.MaxFileNameLen && !strings.HasPrefix(tc.name, ".") {
			t.Errorf("CleanFileName(%.20q…) = %q is shorter than it needs to be", tc.name, got)
		}
	}
}

func FuzzCleanFileName(f *testing.F) {
	for _, s := range []string{"informe.pdf", `C:\a\b.doc`, "../x", "\x00", ".", "ã.pdf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := courses.CleanFileName(name)
		if got == "" || len(got) > courses.MaxFileNameLen || !utf8.ValidString(got) {
			t.Fatalf("CleanFileName(%q) = %q", name, got)
		}
		if strings.ContainsAny(got, `/\`) || strings.HasPrefix(got, ".") {
			t.Fatalf("CleanFileName(%q) = %q keeps a path or hides the file", name, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("CleanFileName(%q) = %q keeps %U", name, got, r)
			}
		}
		if again := courses.CleanFileName(got); again != got {
			t.Fatalf("CleanFileName is not stable: %q → %q → %q", name, got, again)
		}
	})
}

func TestSniffKindAccepts(t *testing.T) {
	tests := []struct {
		name string // what a user would call the file; SniffKind never sees it
		data []byte
		want string
	}{
		{"foto.png", encodedImage(t, "png"), "image/png"},
		{"foto.txt", encodedImage(t, "png"), "image/png"},
		{"foto.jpg", encodedImage(t, "jpeg"), "image/jpeg"},
		{"animación.gif", encodedImage(t, "gif"), "image/gif"},
		{"foto.webp", webpSample(), "image/webp"},
		{"guía.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "application/pdf"},
		{"informe.docx", ooxmlSample(t, "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"notas.xlsx", ooxmlSample(t, "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"clase.pptx", ooxmlSample(t, "ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{"informe.odt", odfSample(t, "application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"},
		{"notas.ods", odfSample(t, "application/vnd.oasis.opendocument.spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"},
		{"clase.odp", odfSample(t, "application/vnd.oasis.opendocument.presentation"), "application/vnd.oasis.opendocument.presentation"},
		{"informe.doc", oleSample(592, []byte{0x06, 0x09, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46}), "application/msword"},
		{"notas.xls", oleSample(512, []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00}), "application/vnd.ms-excel"},
		{"clase.ppt", oleSample(512, []byte{0xA0, 0x46, 0x1D, 0xF0}), "application/vnd.ms-powerpoint"},
		{"leame.txt", []byte("Bienvenida, João Conceição.\n¿Qué es la protección social?\n"), "text/plain; charset=utf-8"},
		{"alumnos.csv", []byte("email,name,institution_acronym\njoao@example.org,João Conceição,INSS\nmaria@example.org,María Peña,IESS\n"), "text/csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head := tc.data
			if len(head) > courses.SniffLen {
				head = head[:courses.SniffLen]
			}
			got, err := courses.SniffKind(head)
			if err != nil {
				t.Fatalf("SniffKind: %v", err)
			}
			if got != tc.want {
				t.Errorf("SniffKind = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSniffKindRefuses(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"html renamed foto.png", []byte("<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>")},
		{"html fragment renamed leame.txt", []byte("  <script>fetch('/api/v1/me').then(r => r.text())</script>")},
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)},
		{"svg with xml prolog", []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`)},
		{"xhtml", []byte(`<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body onload="alert(1)"/></html>`)},
		{"xml", []byte(`<?xml version="1.0"?><curso><titulo>Peña</titulo></curso>`)},
		{"javascript", []byte("#!/usr/bin/env node\nconsole.log('hola')\n")},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n")},
		{"json", []byte(`{"curso": "Introducción", "horas": 40}`)},
		{"plain zip", zipSample(t, "notas/leame.txt")},
		{"windows executable", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...)},
		{"linux executable", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 120)...)},
		{"gzip", []byte{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03}},
		{"unknown binary", []byte{0x00, 0x01, 0x02, 0x03, 0xfe, 0xff, 0x00, 0x10}},
		{"empty", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := courses.SniffKind(tc.data)
			if !errors.Is(err, courses.ErrFileType) {
				t.Fatalf("SniffKind = %q, %v; want ErrFileType", got, err)
			}
			if got != "" {
				t.Errorf("SniffKind returned kind %q with its refusal", got)
			}
		})
	}
}

// encodedImage returns a 2×2 image in the given stdlib format.
func encodedImage(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.White, color.Black})
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	default:
		t.Fatalf("unknown format %s", format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpSample is the RIFF container header of a lossy WebP file.
func webpSample() []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8 \x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return append(b, make([]byte, 32)...)
}

// ooxmlSample is a zip laid out like Office writes it: content types, then
// the relationships, then the part that says which application it is.
func ooxmlSample(t *testing.T, part string) []byte {
	t.Helper()
	return zipSample(t, "[Content_Types].xml", "_rels/.rels", part)
}

// zipSample returns a zip holding the named (small) files in order.
func zipSample(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><x/>`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// odfSample is an OpenDocument zip: an uncompressed "mimetype" entry first,
// as the standard requires, then the content.
func odfSample(t *testing.T, kind string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(kind)); err != nil {
		t.Fatal(err)
	}
	if w, err = zw.Create("content.xml"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(`<?xml version="1.0"?><office:document-content/>`)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oleSample is the start of an OLE2 compound file (the container of
// Office 97–2003 documents) with mark written at offset at: the root
// storage's class ID for Word, or the first record of an Excel or
// PowerPoint stream.
func oleSample(at int, mark []byte) []byte {
	b := make([]byte, 2048)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	binary.LittleEndian.PutUint16(b[26:], 3)      // major version 3: 512-byte sectors
	binary.LittleEndian.PutUint16(b[30:], 9)      // sector shift
	binary.LittleEndian.PutUint32(b[48:], 0)      // directory starts at sector 0
	binary.LittleEndian.PutUint16(b[28:], 0xFFFE) // byte order mark
	copy(b[at:], mark)
	return b
}
