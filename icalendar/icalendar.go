// Package icalendar writes the pieces of iCalendar (RFC 5545) files that
// events and exchange agendas share: escaped TEXT values and content lines
// folded at 75 octets. It imports nothing of Aula's.
package icalendar

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// Text escapes a TEXT value: backslash, semicolon, comma, newline.
func Text(s string) string { return textEscaper.Replace(s) }

// WriteLine writes one content line, folded at 75 octets without
// splitting a character (continuation lines begin with a space), ending
// in CRLF.
func WriteLine(b *bytes.Buffer, s string) {
	n, limit := 0, 75
	for len(s) > 0 {
		_, size := utf8.DecodeRuneInString(s)
		if n+size > limit {
			b.WriteString("\r\n ")
			n, limit = 0, 74
		}
		b.WriteString(s[:size])
		n += size
		s = s[size:]
	}
	b.WriteString("\r\n")
}
