package certificates

import (
	"slices"
	"time"

	"github.com/aula-platform/aula/locales"
)

// FormatDate writes the calendar date of t, in t's own location, the way a
// certificate states it in its language (a course language, "pt" for
// Portuguese, written as Brazil writes "1º de julho de 2026") or a page in
// its interface locale ("pt-PT": "1 de julho de 2026"). The words are
// locales.FormatDate's, the one writer of dates in words.
func FormatDate(t time.Time, locale string) string { return locales.FormatDate(t, locale) }

// supportedLanguage reports whether certificates can be written in lang.
func supportedLanguage(lang string) bool { return slices.Contains(locales.Courses, lang) }
