package certificates

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// codeAlphabet holds the characters of a certificate code: digits and capital
// letters without the ones people misread or mistype when copying a code from
// paper — 0/O, 1/I/L — and without U, so the body of a code can never contain
// the word "AULA" and the prefix can always be told apart from it.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// codePrefix starts every code so a code is recognisable out of context.
const codePrefix = "AULA"

// codeLength is the number of random characters in a code: 30^10 ≈ 2^49
// codes, so guessing a valid one is hopeless and collisions are rare enough
// for a unique index to catch.
const codeLength = 10

// ErrInvalidCode reports a string that cannot be a certificate code. A lookup
// can answer "not found" at once without querying anything.
var ErrInvalidCode = errors.New("certificates: invalid certificate code")

// NewCode returns a fresh random certificate code such as "AULA-7KM3-Q9XH-2P",
// drawn with crypto/rand. Codes are public (printed, in URLs), so uniqueness
// comes from a database constraint, not from this function.
func NewCode() string {
	body := make([]byte, 0, codeLength)
	var buf [16]byte
	for len(body) < codeLength {
		rand.Read(buf[:]) // never fails since Go 1.24
		for _, b := range buf {
			// Rejection sampling: 240 is the largest multiple of 30 below
			// 256, so every character is equally likely.
			if int(b) < 256/len(codeAlphabet)*len(codeAlphabet) && len(body) < codeLength {
				body = append(body, codeAlphabet[int(b)%len(codeAlphabet)])
			}
		}
	}
	return formatCode(body)
}

// NormalizeCode returns the canonical form of a code typed or pasted by a
// person: case, spaces and dashes are ignored and the "AULA" prefix is
// optional, so "aula 7km3 q9xh 2p" and "7KM3Q9XH2P" both give
// "AULA-7KM3-Q9XH-2P". Store codes in this form and normalise before every
// lookup. It returns ErrInvalidCode when s cannot be a code.
func NormalizeCode(s string) (string, error) {
	body := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			continue
		case r < 0x80:
			body = append(body, byte(unicode.ToUpper(r)))
		default:
			return "", fmt.Errorf("%w: %q", ErrInvalidCode, s)
		}
	}
	// U is not in the alphabet, so a body never starts with "AULA".
	if len(body) == len(codePrefix)+codeLength && strings.HasPrefix(string(body), codePrefix) {
		body = body[len(codePrefix):]
	}
	if len(body) != codeLength {
		return "", fmt.Errorf("%w: %q", ErrInvalidCode, s)
	}
	for _, c := range body {
		if strings.IndexByte(codeAlphabet, c) < 0 {
			return "", fmt.Errorf("%w: %q", ErrInvalidCode, s)
		}
	}
	return formatCode(body), nil
}

// formatCode groups the random characters as AULA-XXXX-XXXX-XX, short groups
// being easier to read aloud and to compare.
func formatCode(body []byte) string {
	var b strings.Builder
	b.Grow(len(codePrefix) + len(body) + 3)
	b.WriteString(codePrefix)
	for i, c := range body {
		if i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c)
	}
	return b.String()
}
