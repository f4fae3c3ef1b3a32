package app

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/app/i18n"
	"github.com/aula-platform/aula/assets"
)

// The library pages' active filters, facet lists and result rows as the
// templates wrote them before they were written in Go (activeFiltersHTML,
// facetsHTML, itemRowsHTML): the pages must read the same.
const libraryRowsTemplate = `{{range .Active}}<a class="chip" href="{{.Href}}">{{.Label}} <span aria-hidden="true">×</span><span class="visually-hidden">{{$.T "library.filters.remove"}}</span></a>{{end}}
|{{range .Facets}}
    <section>
      <h2>{{.Label}}</h2>
      <ul>
        {{range .Values}}<li><a href="{{.Href}}"{{if .Selected}} aria-current="true" class="selected"{{end}}>{{.Label}}</a> <span class="count">{{.Count}}</span></li>{{end}}
      </ul>
    </section>
    {{end}}
|{{range .Items}}
      <li lang="{{.Language}}">
        <h3><a href="{{.URL}}">{{.Title}}</a></h3>
        <p class="meta" lang="{{$.Lang}}">{{.Type}} · {{.Year}}{{range .Countries}} · {{.}}{{end}}</p>
        {{if .Abstract}}<p>{{.Abstract}}</p>{{end}}
      </li>
      {{end}}
|{{range .Items}}
    <li lang="{{.Language}}">
      <h3><a href="{{.URL}}">{{.Title}}</a></h3>
      <p class="meta" lang="{{$.Lang}}">{{.Type}} · {{.Year}}</p>
      {{if .Abstract}}<p>{{.Abstract}}</p>{{end}}
    </li>
    {{end}}`

// TestLibraryRowsAsTheTemplateWroteThem: the search page's chips, facets
// and results and the country page's results, written in Go, are the HTML
// the templates wrote for the same search (words with a space, a "+",
// markup, quotes and accents; a selected value of each kind; labels and
// titles with markup), in three languages.
func TestLibraryRowsAsTheTemplateWroteThem(t *testing.T) {
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("library").Parse(libraryRowsTemplate))
	values := url.Values{"q": {`proteção social + "a&b" <i>'x'`}, "country": {"BR"}, "theme": {"saúde"},
		"year_from": {"2020"}, "year_to": {"2020"}, "sort": {"date"}, "after": {"abc+def=="}}
	kinds := []struct {
		name, label string
		values      []facetValueJSON
	}{
		{"country", "library.facet.country", []facetValueJSON{{"BR", "Brasil", 12345}, {"MZ", `Moçambique <b>"&'+`, 1}}},
		{"theme", "library.facet.theme", []facetValueJSON{{"saúde", "Saúde & <cuidados>", 7}, {"a b+c", "A 'b' + c", 0}}},
		{"language", "library.facet.language", []facetValueJSON{{"pt", "português", 2000}}},
		{"type", "library.facet.type", []facetValueJSON{{"report", "Relatório", 3}}},
		{"year", "library.facet.year", []facetValueJSON{{"2020", "2020", 5}, {"2019", "2019", 9}}},
	}
	items := []itemCard{
		{ID: 1, URL: itemPath(1), Title: `Proteção "social" <script>alert('x')</script> & C++`, Language: "pt", Type: "Relatório",
			Year: 2020, Countries: []string{"Brasil", "Moçambique <b>"}, Abstract: "Um resumo & <i>mais</i> + 'aspas'…"},
		{ID: 22, URL: itemPath(22), Title: "Sem resumo", Language: "en", Type: "Link <x>", Year: 1999},
		{ID: 333, URL: itemPath(333), Title: "\x00nul", Language: `e"s`, Type: "Ley", Year: 0, Countries: []string{"Perú"}, Abstract: "x"},
	}
	for _, lang := range []string{"es", "en", "pt-BR"} {
		p := Page{Lang: lang, tr: bundle.Printer(lang)}
		var groups []facetGroup
		var active []facetLink
		for _, k := range kinds {
			g := facetGroup{Name: k.name, Label: p.T(k.label)}
			for _, v := range k.values {
				next, on := toggled(values, k.name, v.Value)
				link := facetLink{Label: v.Label, Count: v.Count, Href: searchURL(next), Selected: on}
				g.Values = append(g.Values, link)
				if on {
					active = append(active, link)
				}
			}
			groups = append(groups, g)
		}
		if len(active) != 3 {
			t.Fatalf("%d values selected, want 3 (country, theme, year)", len(active))
		}
		var want bytes.Buffer
		if err := tmpl.Execute(&want, struct {
			Page
			Active []facetLink
			Facets []facetGroup
			Items  []itemCard
		}{p, active, groups, items}); err != nil {
			t.Fatal(err)
		}
		got := string(activeFiltersHTML(p, active)) + "\n|" + string(facetsHTML(groups)) + "\n|" +
			string(itemRowsHTML(p, items, "      ", true)) + "\n|" + string(itemRowsHTML(p, items, "    ", false))
		if got != want.String() {
			t.Errorf("%s: library rows\n%s\nthe template wrote\n%s", lang, got, want.String())
		}
		for _, s := range []string{"&lt;script&gt;", "&amp;", "&#43;", `aria-current="true"`, "12345", "Moçambique &lt;b&gt;"} {
			if !strings.Contains(got, s) {
				t.Errorf("%s: library rows lack %s", lang, s)
			}
		}
	}
	if activeFiltersHTML(Page{}, nil) != "" {
		t.Error("no selected value writes chips")
	}
}
