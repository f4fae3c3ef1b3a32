package locales

import (
	"strconv"
	"strings"
	"time"
)

// monthNames are the months as each language writes them in a date; both
// Portugueses write them alike (lower case since the 1990 agreement).
var monthNames = map[string][12]string{
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"pt": {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
		"agosto", "setembro", "outubro", "novembro", "dezembro"},
	"en": {"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"},
}

// FormatDate writes the calendar date of t, in t's own location, in words
// as locale writes it: "27 November 2026" (en), "27 de noviembre de 2026"
// (es), "27 de novembro de 2026" (pt-BR, pt-PT). Brazil writes the first
// of a month as an ordinal, "1º de julho de 2026", Portugal as a number,
// "1 de julho de 2026". A course language ("pt", what a certificate is
// written in) is written as Canonical says (pt-BR); an unknown locale as
// English.
func FormatDate(t time.Time, locale string) string {
	year, month, day := t.Date()
	d, y := strconv.Itoa(day), strconv.Itoa(year)
	locale = canonicalOrFallback(locale)
	switch base := Base(locale); base {
	case "es", "pt":
		if day == 1 && locale == "pt-BR" {
			d += "º"
		}
		return d + " de " + monthNames[base][month-1] + " de " + y
	default:
		return d + " " + monthNames["en"][month-1] + " " + y
	}
}

// FormatDateTime writes a moment, in t's own location, as locale writes it
// with a 24-hour clock and the zone, so that nobody wonders which one:
// "26 Nov 2026, 22:30 UTC-5" (en; the month in words, as English readers
// on both sides of the Atlantic read d/m and m/d differently),
// "26/11/2026 22:30 UTC-5" (es, pt-BR, pt-PT).
func FormatDateTime(t time.Time, locale string) string {
	year, month, day := t.Date()
	clock := t.Format("15:04") + " " + ZoneLabel(t)
	if Base(canonicalOrFallback(locale)) == "en" {
		return strconv.Itoa(day) + " " + monthNames["en"][month-1][:3] + " " + strconv.Itoa(year) + ", " + clock
	}
	return t.Format("02/01/2006") + " " + clock
}

// ZoneLabel names the zone of t for people: its abbreviation where the
// time zone database has a real one ("CET", "WEST", "CST", "UTC"), else
// its offset from UTC ("UTC-5", "UTC+5:45"), which is how the database
// writes most zones of South America and Africa ("-05").
func ZoneLabel(t time.Time) string {
	name, offset := t.Zone()
	if name != "" && strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return name
	}
	if offset == 0 {
		return "UTC"
	}
	sign := "+"
	if offset < 0 {
		sign, offset = "-", -offset
	}
	label := "UTC" + sign + strconv.Itoa(offset/3600)
	if m := offset % 3600 / 60; m != 0 {
		label += ":" + strconv.Itoa(m/10) + strconv.Itoa(m%10)
	}
	return label
}

// canonicalOrFallback is the interface locale a value stands for ("pt" and
// "es-MX" by their language), or Fallback.
func canonicalOrFallback(locale string) string {
	for _, l := range []string{locale, Base(locale)} {
		if c := Canonical(l); c != "" {
			return c
		}
	}
	return Fallback
}
