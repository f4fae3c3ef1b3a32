package certificates

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var codeFormat = regexp.MustCompile(`^AULA-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{2}$`)

func TestNewCodeFormat(t *testing.T) {
	for range 1000 {
		code := NewCode()
		if !codeFormat.MatchString(code) {
			t.Fatalf("NewCode() = %q, want AULA-XXXX-XXXX-XX from the unambiguous alphabet", code)
		}
		if got, err := NormalizeCode(code); err != nil || got != code {
			t.Fatalf("NormalizeCode(%q) = %q, %v; want the code unchanged", code, got, err)
		}
	}
}

func TestCodeAlphabetAvoidsLookAlikes(t *testing.T) {
	if len(codeAlphabet) != 30 {
		t.Errorf("alphabet has %d characters, want 30", len(codeAlphabet))
	}
	for _, c := range "01OILU" {
		if strings.ContainsRune(codeAlphabet, c) {
			t.Errorf("alphabet contains look-alike %q", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range codeAlphabet {
		if seen[c] {
			t.Errorf("alphabet repeats %q", c)
		}
		seen[c] = true
	}
}

func TestNewCodeUnique(t *testing.T) {
	seen := make(map[string]bool, 100000)
	for range 100000 {
		code := NewCode()
		if seen[code] {
			t.Fatalf("NewCode() repeated %q within 100000 codes", code)
		}
		seen[code] = true
	}
}

// TestNewCodeDistribution checks every character is equally likely at every
// position with a chi-square test. The thresholds are the 1-in-a-billion
// tails of the chi-square distribution, so an unbiased generator fails by
// chance essentially never, while modulo bias (256 % 30 != 0) fails always.
func TestNewCodeDistribution(t *testing.T) {
	const n = 30000
	var counts [codeLength][len(codeAlphabet)]int
	for range n {
		body := strings.ReplaceAll(strings.TrimPrefix(NewCode(), "AULA-"), "-", "")
		for pos := range body {
			counts[pos][strings.IndexByte(codeAlphabet, body[pos])]++
		}
	}
	var total [len(codeAlphabet)]int
	cells := 0.0 // chi-square over (position, character)
	for pos := range counts {
		for c, k := range counts[pos] {
			total[c] += k
			d := float64(k) - n/float64(len(codeAlphabet))
			cells += d * d / (n / float64(len(codeAlphabet)))
		}
	}
	overall := 0.0 // chi-square over characters, all positions pooled
	for _, k := range total {
		want := n * codeLength / float64(len(codeAlphabet))
		d := float64(k) - want
		overall += d * d / want
	}
	if overall > 99.94 { // df 29, p = 1e-9
		t.Errorf("characters are not uniform: chi-square %.1f over %v", overall, total)
	}
	if cells > 469.7 { // df 299, p = 1e-9
		t.Errorf("characters are not uniform per position: chi-square %.1f", cells)
	}
}

func TestNormalizeCode(t *testing.T) {
	const want = "AULA-7KM3-Q9XH-2P"
	for _, in := range []string{
		"AULA-7KM3-Q9XH-2P",
		"aula-7km3-q9xh-2p",
		"  AULA 7KM3 Q9XH 2P ",
		"7KM3-Q9XH-2P",
		"7km3q9xh2p",
		"AULA7KM3Q9XH2P",
		"aula–7km3—q9xh‐2p", // dashes pasted from a word processor
		"AULA-7KM3-Q9XH-2P\n",
	} {
		got, err := NormalizeCode(in)
		if err != nil || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestNormalizeCodeRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"AULA",
		"AULA-7KM3-Q9XH-2",     // too short
		"AULA-7KM3-Q9XH-2PP",   // too long
		"AULA-7KM3-Q9XH-2O",    // O is not in the alphabet
		"AULA-7KM3-Q9XH-20",    // nor is 0
		"AULA-7KM3-Q9XH-21",    // nor 1
		"AULA-7KM3-Q9XH-2I",    // nor I
		"XULA-7KM3-Q9XH-2P",    // wrong prefix
		"AULA-7KM3-Q9XH-2P/..", // punctuation
		"AULA-7KM3-Q9XH-2Ñ",
		"'; DROP TABLE certificates; --",
	} {
		got, err := NormalizeCode(in)
		if !errors.Is(err, ErrInvalidCode) {
			t.Errorf("NormalizeCode(%q) = %q, %v; want ErrInvalidCode", in, got, err)
		}
	}
}
