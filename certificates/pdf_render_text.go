package certificates

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// wording is the fixed text of a certificate in one language.
type wording struct {
	title     string // "Certificate of completion"
	intro     string // before the holder's name
	completed string // between the name and the course title
	// details states the workload and the completion date.
	details func(hours int, date string) string
	expires string // before the expiry date
	code    string // label before the verification code
	issued  string // before the issue date
	verify  string // before the verify URL
}

var wordings = map[string]wording{
	Spanish: {
		title:     "Certificado de conclusión",
		intro:     "Se certifica que",
		completed: "completó el curso",
		details: func(hours int, date string) string {
			if hours == 0 {
				return "finalizado el " + date
			}
			return "con una carga horaria de " + plural(hours, "hora", "horas") + ", finalizado el " + date
		},
		expires: "Vence el",
		code:    "Código de verificación:",
		issued:  "Emitido el",
		verify:  "Verifique la autenticidad de este certificado en",
	},
	Portuguese: {
		title:     "Certificado de conclusão",
		intro:     "Certificamos que",
		completed: "concluiu o curso",
		details: func(hours int, date string) string {
			if hours == 0 {
				return "concluído em " + date
			}
			return "com carga horária de " + plural(hours, "hora", "horas") + ", concluído em " + date
		},
		expires: "Expira em",
		code:    "Código de verificação:",
		issued:  "Emitido em",
		verify:  "Verifique a autenticidade deste certificado em",
	},
	English: {
		title:     "Certificate of completion",
		intro:     "This is to certify that",
		completed: "has completed the course",
		details: func(hours int, date string) string {
			if hours == 0 {
				return "completed on " + date
			}
			return "with a workload of " + plural(hours, "hour", "hours") + ", completed on " + date
		},
		expires: "Expires on",
		code:    "Verification code:",
		issued:  "Issued on",
		verify:  "Verify this certificate at",
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// clean makes user-typed text printable on one line: composed accents (NFC,
// so "a" + combining tilde becomes "ã", which cp1252 has), every kind of
// space or line break as one plain space, and invisible format characters
// (soft hyphens, zero-width joiners, direction marks) and control
// characters removed.
func clean(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// inCP1252 reports whether the fast, cp1252 fonts can print every character
// of s.
func inCP1252(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
				return false
			}
		}
	}
	return true
}

// toCP1252 encodes s, which inCP1252 accepted, for the cp1252 fonts.
func toCP1252(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 0x80 {
			b = append(b, byte(r))
			continue
		}
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// toBMP replaces characters beyond the Basic Multilingual Plane, which
// gofpdf's UTF-8 fonts cannot address (emoji, rare CJK), with U+FFFD.
func toBMP(s string) string {
	for _, r := range s {
		if r > 0xFFFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFFFF {
					return unicode.ReplacementChar
				}
				return r
			}, s)
		}
	}
	return s
}

// pdfText encodes s as a PDF text string (UTF-16BE with a byte order mark)
// for the document information fields. gofpdf's own conversion mangles
// characters beyond the Basic Multilingual Plane.
func pdfText(s string) string {
	units := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(units))
	b[0], b[1] = 0xFE, 0xFF
	for _, u := range units {
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}
