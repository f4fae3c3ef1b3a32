package library

import (
	"context"

	"github.com/aula-platform/aula/courses"
)

// CountryPage is what the library gathers about one country: its newest
// items, the published courses that cite them, and its events.
type CountryPage struct {
	Items   []Item
	Total   int
	Courses []courses.Course
	Events  []Event
}

// countryItems is how many items a country page lists; the rest are a
// search away.
const countryItems = 20

// Country gathers a country's page (code is ISO 3166-1 alpha-2). Events
// come from the events package once SetEvents connects it.
func (s *Service) Country(ctx context.Context, code string, portugueseFirst bool) (*CountryPage, error) {
	// The country's total is the count the facet counts keep (exact, one
	// row); no facets are shown, so none are counted.
	store := NewStore(s.db)
	total, err := store.FacetCount(ctx, "country", code)
	if err != nil {
		return nil, err
	}
	sr := search{countries: []string{code}, portugueseFirst: portugueseFirst, limit: countryItems, few: total <= countCap}
	rows, err := store.Search(ctx, sr)
	if err != nil {
		return nil, err
	}
	page := &CountryPage{Total: total}
	for i, r := range rows {
		if i < countryItems {
			page.Items = append(page.Items, r.Item)
		}
	}
	ids, err := store.CountryCourseIDs(ctx, code)
	if err != nil {
		return nil, err
	}
	if page.Courses, err = s.courses.PublishedCourses(ctx, ids); err != nil {
		return nil, err
	}
	if s.events != nil {
		if page.Events, err = s.events.CountryEvents(ctx, code, countryItems); err != nil {
			return nil, err
		}
	}
	return page, nil
}
