package library

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aula-platform/aula/courses"
)

// Sort is the order of search results.
type Sort string

// The orders of search results. Relevance without words to search is date.
const (
	SortRelevance Sort = "relevance"
	SortDate      Sort = "date"
)

// Query asks the library for published items. Filters of one facet with
// several values want items that have them all (an item about Brazil and
// Mozambique); filters of different facets combine too.
type Query struct {
	// Text is what the reader typed: every word must be found, stemmed in
	// the item's language, accents and case ignored, in the title,
	// abstract, translations, authors or the text of the attached PDFs.
	// Words are matched whole; when whole words find fewer than
	// prefixBelow items, as the start of a word ("previd" finds
	// "previdência").
	Text      string
	Countries []string // ISO 3166-1 alpha-2
	Themes    []string // theme slugs
	Languages []string // ISO 639-1
	Type      Type
	// YearFrom and YearTo bound the year, inclusive (0: no bound).
	YearFrom, YearTo int
	Sort             Sort
	// PortugueseFirst puts items in Portuguese (or with a Portuguese
	// translation) before the others, in each order.
	PortugueseFirst bool
	// After is the cursor of the page before (Results.Next); "" for the first.
	After string
	Limit int
	// Rows: the results are shown as rows (the library page): a page that
	// kept searches hold reads only ID, Type, Status, Title, Abstract,
	// Language, Countries and Year of each item, the other fields zero.
	Rows bool
}

// FacetValue is one value of a facet and how many results have it.
type FacetValue struct {
	Value string
	Count int
}

// Facets count the results by country, theme (slug), language, type and
// year; each value's count is how many results would remain with that
// value added as a filter.
type Facets struct {
	Country, Theme, Language, Type, Year []FacetValue
}

// Results are a page of search results.
type Results struct {
	Items []Item
	// Total is how many items match, up to CountCap; with More, more than
	// CountCap match, and the facets count CountCap of them (lower bounds
	// of the true counts).
	Total  int
	More   bool
	Facets Facets
	// Next is the cursor of the next page, "" on the last.
	Next string
}

// ErrBadCursor: a cursor that Search did not hand out (the After field).
var ErrBadCursor = errors.New("library: malformed page cursor")

// Limits of a search request.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	maxFilters   = 10
)

// cursor is where a page ended, in the order's terms.
type cursor struct {
	Portuguese bool    `json:"p,omitempty"`
	Rank       float32 `json:"r,omitempty"`
	// Beyond: past relevance's ranked window, where the order is by date.
	Beyond bool `json:"b,omitempty"`
	// Prefix: the words are matched as starts of words (whole words
	// found too little when the first page was asked).
	Prefix bool   `json:"x,omitempty"`
	Date   string `json:"d"`
	ID     int64  `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fieldError("after", ErrBadCursor)
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 {
		return nil, fieldError("after", ErrBadCursor)
	}
	if _, err := time.Parse(time.DateOnly, c.Date); err != nil {
		return nil, fieldError("after", ErrBadCursor)
	}
	return &c, nil
}

// prefixBelow is how many items whole words must find for the search to
// keep them: below it, the words are matched as starts of words too.
// Whole words first because a prefix matches every word it starts in
// every language ("proteç" is protección, protect, proteção…), which cost
// 40 ms in the index alone for a common one over 100,000 items, and a
// word typed whole is meant whole.
const prefixBelow = DefaultLimit

// wholeWords is the tsquery text of courses.SearchText ('w':* & …) with
// every word whole ('w' & …); words hold no quote.
func wholeWords(prefixText string) string { return strings.ReplaceAll(prefixText, "':*", "'") }

// search is a Query made ready for the store.
type search struct {
	text                 string // tsquery text, "" for none
	countries, languages []string
	themes               []int64
	typ                  Type
	yearFrom, yearTo     int
	relevance            bool
	portugueseFirst      bool
	// few: at most countCap items match (for Store.Search: the caller
	// counted them).
	few   bool
	after *cursor
	limit int
	rows  bool // Query.Rows
}

// Search returns a page of published items matching q, with the facets
// of every match and how many there are. Anyone may search.
func (s *Service) Search(ctx context.Context, q Query) (*Results, error) {
	themes, err := s.Themes(ctx)
	if err != nil {
		return nil, err
	}
	prefixText := courses.SearchText(q.Text)
	sr := search{text: wholeWords(prefixText), typ: q.Type, yearFrom: q.YearFrom, yearTo: q.YearTo,
		portugueseFirst: q.PortugueseFirst, limit: q.Limit, rows: q.Rows}
	if sr.limit <= 0 || sr.limit > MaxLimit {
		sr.limit = DefaultLimit
	}
	sr.relevance = sr.text != "" && q.Sort != SortDate
	sr.countries = tidyList(q.Countries, func(s string) string { return s })
	sr.languages = tidyList(q.Languages, func(s string) string { return s })
	if len(sr.countries) > maxFilters || len(sr.languages) > maxFilters || len(q.Themes) > maxFilters {
		return nil, fieldError("country", ErrTooLong)
	}
	for _, slug := range tidyList(q.Themes, func(s string) string { return s }) {
		i := slices.IndexFunc(themes, func(t Theme) bool { return t.Slug == slug || strconv.FormatInt(t.ID, 10) == slug })
		if i < 0 {
			sr.themes = append(sr.themes, 0) // no theme has id 0: nothing matches
			continue
		}
		sr.themes = append(sr.themes, themes[i].ID)
	}
	if q.After != "" {
		if sr.after, err = decodeCursor(q.After); err != nil {
			return nil, err
		}
	}
	prefix := sr.after != nil && sr.after.Prefix
	if prefix {
		sr.text = prefixText
	}
	store := NewStore(s.db)
	var facets facetRows
	var page []ranked
	if sr.unfiltered() {
		// The whole library: its kept counts, and the date order walked.
		if facets, err = store.LibraryFacets(ctx); err != nil {
			return nil, err
		}
		if page, err = store.Search(ctx, sr); err != nil {
			return nil, err
		}
	} else if facets, page, prefix, err = s.searchCounted(ctx, sr, prefix, prefixText); err != nil {
		return nil, err
	}
	res := &Results{Facets: facets.Facets, Total: facets.matches, More: facets.more}
	slugs := make(map[string]string, len(themes))
	for _, t := range themes {
		slugs[strconv.FormatInt(t.ID, 10)] = t.Slug
	}
	for i, v := range res.Facets.Theme {
		res.Facets.Theme[i].Value = slugs[v.Value]
	}
	if len(page) > sr.limit {
		last := page[sr.limit-1]
		res.Next = cursor{Portuguese: sr.portugueseFirst && last.InPortuguese, Rank: last.Rank, Beyond: last.Beyond,
			Prefix: prefix, Date: last.SortDate.Format(time.DateOnly), ID: last.ID}.encode()
		page = page[:sr.limit]
	}
	res.Items = make([]Item, len(page))
	for i, r := range page {
		res.Items[i] = r.Item
	}
	return res, nil
}

// facetRows are the facets as the store counts them, themes by id, with
// how many items match (more: more than that, past CountCap).
type facetRows struct {
	Facets
	matches int
	more    bool
}

// ranked is a search result with what its order is made of.
type ranked struct {
	Item         `bun:",extend"`
	Rank         float32   `bun:"rank,scanonly"`
	Beyond       bool      `bun:"beyond,scanonly"`
	SortDate     time.Time `bun:"sort_date"`
	InPortuguese bool      `bun:"in_portuguese"`
}
