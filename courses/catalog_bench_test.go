package courses_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// BenchmarkCatalogSearch times one catalogue search (page and count) on a
// catalogue of fillerCourses+ published courses, the way GET /courses?q=…
// runs it.
func BenchmarkCatalogSearch(b *testing.B) {
	a := catalog(b)
	ctx := context.Background()
	teacher := a.person(accounts.RoleInstructor)
	a.publishedWith(teacher, "Introducción a la Seguridad Social (banco)", "Cotizaciones y prestaciones.", "es")
	for _, bc := range []struct{ name, query, lang string }{
		{"words", "seguridad social", ""},
		{"accents_and_language", "PROTECCION", "es"},
		{"prefix_many_matches", "gest", ""},
		{"no_query", "", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := courses.CatalogQuery{Query: bc.query, Language: bc.lang, Limit: 20}
			for b.Loop() {
				if _, _, err := a.svc.Catalog(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
