package assessment

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizeText returns the form in which short_text answers are compared, so
// that learners are not marked wrong for how they typed a right answer:
//   - accents removed: NFD splits "ç" into "c" and a combining cedilla, and
//     the combining (nonspacing) marks are dropped, so "Proteção" and
//     "protecao", "Peña" and "pena" compare equal;
//   - lower case;
//   - outer spaces trimmed and inner runs of spaces (tabs, newlines, no-break
//     spaces from copy and paste) collapsed to one space.
//
// Punctuation is kept: "1.5" and "15" are different answers.
func normalizeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending, written only before the next word
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
