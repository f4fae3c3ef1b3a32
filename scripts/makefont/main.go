// Command makefont regenerates the certificate fonts in assets/fonts from
// Debian's fonts-dejavu-core.
//
// A certificate is drawn with DejaVu Sans (regular and bold). Two copies of
// each face are shipped because they serve two speeds of the renderer in
// package certificates:
//
//   - DejaVuSans-cp1252.json/.z and DejaVuSans-Bold-cp1252.json/.z: gofpdf
//     font definitions (cp1252 encoding) made from a Latin-only cut of the font.
//     gofpdf embeds the .z stream as is, so a document costs no font parsing
//     or subsetting and adds about 20 KB per face. Every Spanish, Portuguese and
//     English name fits in cp1252.
//   - DejaVuSans-Latin.ttf and DejaVuSans-Bold-Latin.ttf: a cut to the Latin
//     script (Latin-1, Extended-A and -B, Extended Additional with every
//     Vietnamese letter, combining accents, punctuation, € and ™), for
//     names outside cp1252 (Łukasz, Şükrü, Nguyễn, Ștefan). Package
//     certificates embeds it whole with an encoding of 256 codes made for
//     the document, which costs no parsing per PDF (see pdf_latin.go).
//   - DejaVuSans.ttf and DejaVuSans-Bold.ttf: the full fonts, for the rare
//     name in another script (Greek, Cyrillic…), which gofpdf's slower
//     UTF-8 path parses and subsets per document.
//
// The licence travels with the fonts as LICENSE-DejaVu.txt.
//
// Run from the repository root (needs pyftsubset, Debian package fonttools):
//
//	apt-get install -y fonts-dejavu-core fonttools
//	go run ./scripts/makefont
//
// Flags change where fonts are read and written; -h lists them.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"github.com/aula-platform/aula/certificates"
)

// faces are the TrueType files the certificate uses, by file name.
var faces = []string{"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}

func main() {
	src := flag.String("src", "/usr/share/fonts/truetype/dejavu", "directory holding the DejaVu TrueType files")
	licence := flag.String("license", "/usr/share/doc/fonts-dejavu-core/copyright", "DejaVu licence file to copy")
	dst := flag.String("dst", "assets/fonts", "output directory")
	encoding := flag.String("map", "", "gofpdf cp1252.map (default: from the gofpdf module in the module cache)")
	subsetter := flag.String("pyftsubset", "pyftsubset", "pyftsubset command (Debian package fonttools)")
	flag.Parse()
	log.SetFlags(0)

	if *encoding == "" {
		dir, err := gofpdfDir()
		if err != nil {
			log.Fatal(err)
		}
		*encoding = filepath.Join(dir, "font", "cp1252.map")
	}
	codes, err := mapUnicodes(*encoding)
	if err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "makefont")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	for _, face := range faces {
		full := filepath.Join(*src, face)
		if err := copyFile(full, filepath.Join(*dst, face)); err != nil {
			log.Fatal(err)
		}
		// The cut's file name becomes the definition's name: X-cp1252.json/.z.
		cut := filepath.Join(tmp, strings.TrimSuffix(face, ".ttf")+"-cp1252.ttf")
		cmd := exec.Command(*subsetter, full,
			"--output-file="+cut,
			"--unicodes="+strings.Join(codes, ","),
			"--layout-features=", // gofpdf neither kerns nor shapes
			"--no-hinting",       // PDF viewers do their own hinting
			"--name-IDs=*",
			"--notdef-outline",
		)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("makefont: %s: %v", cmd, err)
		}
		latin := filepath.Join(*dst, strings.TrimSuffix(face, ".ttf")+"-Latin.ttf")
		cmd = exec.Command(*subsetter, full,
			"--output-file="+latin,
			"--unicodes="+certificates.LatinUnicodes(),
			"--layout-features=",
			"--no-hinting",
			"--name-IDs=*",
			"--notdef-outline",
		)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			log.Fatalf("makefont: %s: %v", cmd, err)
		}
		var msg bytes.Buffer
		if err := gofpdf.MakeFont(cut, *encoding, *dst, &msg, true); err != nil {
			log.Fatalf("makefont: %s: %v", face, err)
		}
		if strings.Contains(msg.String(), "missing") {
			log.Fatalf("makefont: %s lacks cp1252 glyphs:\n%s", face, msg.String())
		}
		log.Printf("%s: %s", face, strings.TrimSpace(msg.String()))
	}
	if err := copyFile(*licence, filepath.Join(*dst, "LICENSE-DejaVu.txt")); err != nil {
		log.Fatal(err)
	}
}

// gofpdfDir finds the gofpdf module this repository builds with, whose
// font/cp1252.map lists the characters of the encoding and their glyph names.
func gofpdfDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/jung-kurt/gofpdf").Output()
	if err != nil {
		return "", fmt.Errorf("makefont: locate gofpdf (use -map): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// mapUnicodes returns the code points ("U+00E9") a gofpdf encoding map
// gives glyphs to: the characters the Latin cut must keep.
func mapUnicodes(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("makefont: %w", err)
	}
	defer f.Close()
	var codes []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Lines read "!E9 U+00E9 eacute".
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && fields[2] != ".notdef" {
			codes = append(codes, fields[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("makefont: read %s: %w", path, err)
	}
	if len(codes) < 200 {
		return nil, fmt.Errorf("makefont: %s lists only %d characters", path, len(codes))
	}
	return codes, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("makefont: %w", err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return fmt.Errorf("makefont: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("makefont: copy %s: %w", from, err)
	}
	return out.Close()
}
