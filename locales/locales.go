// Package locales is the one list of the languages Aula speaks, read by every
// package that names one: the interface locales a user picks (en, es, pt-BR,
// pt-PT) and, derived from them, the languages course content is written in
// (en, es, pt). It imports nothing of Aula's, so domain packages, the web
// layer and the commands all read the same list.
//
// The database repeats the interface list in the users.locale CHECK
// constraint; a test in accounts stores every locale named here, so the two
// cannot drift apart unnoticed.
package locales

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Fallback is the interface locale used when nothing better is known.
const Fallback = "en"

// UI lists the interface locales in the language switcher's order, Fallback
// first. Portuguese comes in two: Brazil's and Portugal's (which Angola,
// Mozambique, Cape Verde, Guinea-Bissau, São Tomé and East Timor follow).
var UI = []string{"en", "es", "pt-BR", "pt-PT"}

// Courses lists the languages a course can be written in: the language of
// each interface locale, once. A course in Portuguese is in Portuguese ("pt")
// and is found by Brazilian and Portuguese readers alike.
var Courses = func() []string {
	var out []string
	for _, l := range UI {
		if base := Base(l); !slices.Contains(out, base) {
			out = append(out, base)
		}
	}
	return out
}()

// Base returns the language of a locale without its region: "pt-BR" → "pt".
func Base(locale string) string {
	base, _, _ := strings.Cut(locale, "-")
	return base
}

// Supported reports whether locale is one of UI, exactly as spelt there.
func Supported(locale string) bool { return slices.Contains(UI, locale) }

// Legacy is the locale "pt" that Aula stored and accepted before it spoke two
// Portugueses.
const Legacy = "pt"

// Canonical returns the interface locale a stored or submitted value stands
// for: a supported locale is itself; the legacy "pt" is "pt-BR", which is
// what "pt" means in CLDR (Brazil has most of the speakers; Portugal's
// browsers send "pt-PT"). Anything else is "".
func Canonical(locale string) string {
	switch {
	case Supported(locale):
		return locale
	case locale == Legacy:
		return "pt-BR"
	}
	return ""
}

var matcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(UI))
	for i, l := range UI {
		tags[i] = language.MustParse(l)
	}
	return tags
}())

// Match picks the best interface locale for an Accept-Language header
// ("pt-BR,pt;q=0.9,en;q=0.8"), or "" when none is acceptable. It follows
// CLDR's language matching: "pt" is pt-BR; pt-AO, pt-MZ and the rest of
// Portuguese outside the Americas is pt-PT; es-419 or es-MX is es.
func Match(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ""
	}
	return UI[i]
}
