package courses

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// CatalogQuery asks the catalogue for published courses.
type CatalogQuery struct {
	// Query is what a visitor typed: every word must be found in the
	// title or summary, as a word or the start of one, whatever its
	// accents and case. Empty lists every course, newest first.
	Query string
	// Language keeps courses taught in it ("es", "pt", "en"); empty: all.
	Language      string
	Limit, Offset int
}

// Limits on a search, so one request cannot build a huge query.
const (
	maxSearchWords   = 12
	maxSearchWordLen = 60
)

// Catalog returns a page of published courses matching q, the best
// matches first (title matches weigh more than summary matches), and how
// many match in all.
func (s *Service) Catalog(ctx context.Context, q CatalogQuery) ([]Course, int, error) {
	return NewStore(s.db).Catalog(ctx, q)
}

// searchQuery turns what a visitor typed into the text of a PostgreSQL
// tsquery for to_tsquery('aula_search', …): its words joined by & (all
// must match), each a prefix match (:*), so "protec" finds "Proteção".
// Only letters and digits survive, so nothing typed is tsquery syntax;
// the aula_search configuration then drops accents and case from each
// word, as it did from the indexed text. It returns "" when no word is left.
func searchQuery(q string) string {
	words := strings.FieldsFunc(norm.NFC.String(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n == maxSearchWords {
			break
		}
		if r := []rune(w); len(r) > maxSearchWordLen {
			w = string(r[:maxSearchWordLen])
		}
		if n > 0 {
			b.WriteString(" & ")
		}
		b.WriteString("'" + w + "':*")
		n++
	}
	return b.String()
}
