package certificates

import (
	"strconv"
	"time"
)

var monthNames = map[string][12]string{
	Spanish: {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	Portuguese: {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
		"agosto", "setembro", "outubro", "novembro", "dezembro"},
	English: {"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"},
}

// FormatDate writes the calendar date of t, in t's own location, the way a
// certificate in lang states it: "27 de noviembre de 2026" (es),
// "27 de novembro de 2026" (pt), "27 November 2026" (en). Portuguese writes
// the first of a month as an ordinal, "1º de julho de 2026", as Brazilian
// usage requires. An unsupported lang falls back to English.
func FormatDate(t time.Time, lang string) string {
	year, month, day := t.Date()
	d, y := strconv.Itoa(day), strconv.Itoa(year)
	switch lang {
	case Spanish:
		return d + " de " + monthNames[Spanish][month-1] + " de " + y
	case Portuguese:
		if day == 1 {
			d += "º"
		}
		return d + " de " + monthNames[Portuguese][month-1] + " de " + y
	default:
		return d + " " + monthNames[English][month-1] + " " + y
	}
}

// supportedLanguage reports whether certificates can be written in lang.
func supportedLanguage(lang string) bool {
	_, ok := monthNames[lang]
	return ok
}
