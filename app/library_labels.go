package app

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/library"
)

// Names of countries and languages come from CLDR (golang.org/x/text's
// display tables) in the reader's locale, so every ISO 3166 country and
// ISO 639 language has one, pt-PT's spelling included, without a catalog
// key for each; types and themes have their own labels.

// countryName is the name of an ISO 3166-1 country in locale
// ("Moçambique"), or the code when CLDR has none.
func countryName(code, locale string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	key := regionName{r, locale}
	if name, ok := regionNames.Load(key); ok {
		return name.(string)
	}
	name := display.Regions(language.Make(locale)).Name(r)
	if name == "" {
		return code
	}
	// Only the interface's languages (and "en", for structured data) are
	// kept, so what a request asks cannot grow the map; the names come
	// from tables compiled in, so no other process's write can change one.
	if locale == "en" || slices.Contains(i18n.Languages, locale) {
		regionNames.Store(key, name)
	}
	return name
}

// regionNames keeps countryName's answers: a search page names up to 60
// countries (its results' and its facet's), and CLDR's lookup
// (language.Make, display.Regions, its Name) was ~7% of the server's CPU
// on a library page (pprof under the scale bench's library figures).
var regionNames sync.Map // regionName → string

type regionName struct {
	region language.Region
	locale string
}

// languageName is the name of an ISO 639-1 language in locale, capitalised
// as a label ("Português", "Inglés").
func languageName(code, locale string) string {
	b, err := language.ParseBase(code)
	if err != nil {
		return code
	}
	name := display.Languages(language.Make(locale)).Name(b)
	if name == "" {
		return code
	}
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}

// themeLabels maps theme ids and slugs to their label in one locale.
type themeLabels struct {
	byID   map[int64]library.Theme
	bySlug map[string]library.Theme
	locale string
}

func newThemeLabels(themes []library.Theme, locale string) themeLabels {
	l := themeLabels{byID: map[int64]library.Theme{}, bySlug: map[string]library.Theme{}, locale: locale}
	for _, t := range themes {
		l.byID[t.ID], l.bySlug[t.Slug] = t, t
	}
	return l
}

func (l themeLabels) label(id int64) string { return l.byID[id].Label(l.locale) }

func (l themeLabels) slugLabel(slug string) string {
	if t, ok := l.bySlug[slug]; ok {
		return t.Label(l.locale)
	}
	return slug
}

// itemPath is an item's stable address.
func itemPath(id int64) string { return "/library/items/" + strconv.FormatInt(id, 10) }

// citation is the line to cite an item with: authors (or the publishing
// institution), year, title, institution, stable URL.
func citation(it *library.Item, institution, url string) string {
	var b strings.Builder
	switch {
	case len(it.Authors) > 0:
		b.WriteString(strings.Join(it.Authors, "; "))
	case institution != "":
		b.WriteString(institution)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString("(" + strconv.Itoa(it.Year) + "). ")
	b.WriteString(strings.TrimRight(it.Title, "."))
	b.WriteString(".")
	if institution != "" && len(it.Authors) > 0 {
		b.WriteString(" " + institution + ".")
	}
	b.WriteString(" " + url)
	return b.String()
}
