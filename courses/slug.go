package courses

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen is the longest slug Aula makes or accepts, in bytes. Slugs are
// ASCII, so bytes and characters are the same here.
const MaxSlugLen = 80

// slugFallback names a course whose title has no letter or digit Aula can
// spell in ASCII (only punctuation, or a script without a transliteration).
const slugFallback = "course"

// Slugify turns a course title into its URL name: lowercase ASCII letters
// and digits separated by single dashes. Accents are dropped rather than the
// letters that carry them, so "Introducción a la Seguridad Social" becomes
// "introduccion-a-la-seguridad-social". A long title is cut at a word
// boundary within MaxSlugLen. The result always satisfies ValidSlug.
func Slugify(title string) string {
	s := slugify(title, MaxSlugLen)
	if s == "" {
		return slugFallback
	}
	if allDigits(s) {
		// A slug that reads as a number could be taken for a course ID in
		// a URL; ValidSlug refuses it for the same reason.
		return cutSlug(slugFallback+"-"+s, MaxSlugLen)
	}
	return s
}

// slugPattern is the shape of a slug: words of [a-z0-9] joined by one dash.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s may be used as a slug as typed by a user: the
// shape Slugify produces, at most MaxSlugLen long and not only digits.
func ValidSlug(s string) bool {
	return len(s) <= MaxSlugLen && slugPattern.MatchString(s) && !allDigits(s)
}

// SlugCandidate returns the n-th slug to try when base is taken: base itself
// for n <= 1, then "base-2", "base-3"… Base is shortened (at a dash when it
// can be) so the candidate stays within MaxSlugLen; base must be valid.
func SlugCandidate(base string, n int) string {
	if base == "" {
		base = slugFallback
	}
	if n <= 1 {
		return base
	}
	suffix := "-" + strconv.Itoa(n)
	return cutSlug(base, MaxSlugLen-len(suffix)) + suffix
}

// slugify transliterates s to lowercase ASCII words joined by dashes and
// cuts it to max bytes. It returns "" when nothing is left; callers choose
// their own fallback.
func slugify(s string, max int) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false // a separator is pending; written only before the next word
	// NFKD splits "ç" into "c" + cedilla and folds compatibility forms
	// ("ﬁ", "²", fullwidth letters) into their plain letters.
	for _, r := range norm.NFKD.String(s) {
		var word string
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			word = string(r)
		case r >= 'A' && r <= 'Z':
			word = string(r + ('a' - 'A'))
		case unicode.Is(unicode.Mn, r):
			// A combining accent: drop it, keep the letter before it.
			continue
		default:
			word = letterASCII[r]
		}
		if word == "" {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(word)
	}
	return cutSlug(b.String(), max)
}

// letterASCII spells letters that have no decomposition into an ASCII
// letter plus accents, so "Øresund" does not lose its first letter.
var letterASCII = map[rune]string{
	'ß': "ss", 'ẞ': "ss",
	'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d",
	'ð': "d", 'Ð': "d",
	'ł': "l", 'Ł': "l",
	'þ': "th", 'Þ': "th",
	'ı': "i",
	'ĸ': "k",
	'ŋ': "n", 'Ŋ': "n",
	'ħ': "h", 'Ħ': "h",
	'ŧ': "t", 'Ŧ': "t",
}

// cutSlug shortens a slug to at most max bytes, at its last dash when that
// keeps at least half of it, so words are not cut in the middle.
func cutSlug(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := s[:max]
	if s[max] != '-' {
		if i := strings.LastIndexByte(cut, '-'); i >= max/2 {
			cut = cut[:i]
		}
	}
	return strings.Trim(cut, "-")
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
