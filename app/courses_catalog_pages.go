package app

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// maxQueryLen caps a search, in characters.
const maxQueryLen = 200

// catalogQuery reads ?q=&language=&limit=&offset=. An unknown language is
// a 422 for the API; the page just ignores it.
func catalogQuery(c *fiber.Ctx) (courses.CatalogQuery, error) {
	limit, offset := pagination(c)
	q := courses.CatalogQuery{Query: strings.TrimSpace(c.Query("q")), Language: strings.ToLower(c.Query("language")), Limit: limit, Offset: offset}
	if utf8.RuneCountInString(q.Query) > maxQueryLen {
		q.Query = string([]rune(q.Query)[:maxQueryLen])
	}
	q.Query = strings.Clone(q.Query)
	if q.Language != "" && !slices.Contains(courses.Languages, q.Language) {
		q.Language = ""
		return q, validationError(map[string]message{"language": {Key: "validation.oneof", Args: []any{strings.Join(courses.Languages, ", ")}}})
	}
	q.Language = strings.Clone(q.Language)
	return q, nil
}

type catalogPage struct {
	Page
	Query           courses.CatalogQuery
	Items           []courses.Course
	Covers          map[int64]string
	CourseLanguages []string
	Pager           pager
}

// catalogPage lists published courses, searched and filtered.
func (s *server) catalogPage(c *fiber.Ctx) error {
	q, _ := catalogQuery(c)
	items, total, err := s.courses.Catalog(c.UserContext(), q)
	if err != nil {
		return err
	}
	covers := map[int64]string{}
	for i := range items {
		if u := cardURL(&items[i]); u != "" { // the small version (home_covers.go)
			covers[items[i].ID] = u
		}
	}
	p := s.publicPage(c, "courses.catalog.title")
	p.Nav = "catalog"
	return s.renderPublic(c, "pages/courses/catalog", p, catalogPage{Page: p, Query: q, Items: items, Covers: covers,
		CourseLanguages: courses.Languages, Pager: newPager(c, total, q.Limit, q.Offset)})
}
