package app

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
	"strconv"
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

// TestCountryNamesInEachReadersLanguage: countries are named in the
// reader's language whichever language asked for them first (the names
// are kept per process), the code when CLDR has none.
func TestCountryNamesInEachReadersLanguage(t *testing.T) {
	want := map[string]string{"pt-BR": "Moçambique", "en": "Mozambique", "es": "Mozambique", "pt-PT": "Moçambique", "fr": "Mozambique"}
	for round := 0; round < 2; round++ {
		for _, locale := range []string{"pt-BR", "en", "es", "pt-PT", "fr"} {
			for _, code := range []string{"MZ", "mz"} {
				if got := countryName(code, locale); got != want[locale] {
					t.Errorf("round %d: countryName(%s, %s) = %q, want %q", round, code, locale, got, want[locale])
				}
			}
		}
	}
	if got := countryName("BR", "pt-BR"); got != "Brasil" {
		t.Errorf("countryName(BR, pt-BR) = %q", got)
	}
	if got := countryName("ZZ1", "en"); got != "ZZ1" {
		t.Errorf("countryName(ZZ1) = %q, want the code", got)
	}
}

// TestFacetLinksAsSearchURLWroteThem: each facet link of a search (adding
// a value, taking one off, replacing the type or the year, with and
// without other parameters, a cursor, a parameter left without values)
// is the link searchURL wrote for the toggled search.
func TestFacetLinksAsSearchURLWroteThem(t *testing.T) {
	searches := []string{
		"", "after=xyz", "csrf=a&after=b", "q=prote%C3%A7%C3%A3o+social", "q=a%2Bb+%3Cc%3E&sort=date&after=abc",
		"country=BR", "country=BR&country=MZ&q=x", "country=", "type=report", "type=report&type=law",
		"year_from=2020&year_to=2020", "year_from=2019&year_to=2020&q=y", "year_from=2020", "year_to=2020&zz=1&aa=2",
		"theme=sa%C3%BAde&theme=a+b%2Bc&language=pt&language=es&type=law&year_from=2001&year_to=2001&sort=relevance",
	}
	toggles := []struct{ name, value string }{
		{"country", "BR"}, {"country", "MZ"}, {"country", ""}, {"theme", "saúde"}, {"theme", "a b+c"}, {"theme", "x&y=z"},
		{"language", "pt"}, {"language", "en"}, {"type", "report"}, {"type", "law"}, {"type", "link"},
		{"year", "2020"}, {"year", "2001"}, {"year", "2019"},
	}
	for _, search := range searches {
		values, err := url.ParseQuery(search)
		if err != nil {
			t.Fatal(err)
		}
		links := newFacetLinks(values)
		for _, tg := range toggles {
			next, wantOn := toggled(values, tg.name, tg.value)
			want := searchURL(next)
			got, on := links.href(tg.name, tg.value)
			if got != want || on != wantOn {
				t.Errorf("%q, %s=%s: %s (selected %t), searchURL wrote %s (%t)", search, tg.name, tg.value, got, on, want, wantOn)
			}
		}
	}
}

// toggled is values with value of name added, or removed when present.
// type and year hold one value: another replaces it. It is how the page
// wrote its facet links before facetLinks, which must write the same.
func toggled(values url.Values, name, value string) (url.Values, bool) {
	v := url.Values{}
	for k, list := range values {
		v[k] = slices.Clone(list)
	}
	if name == "year" {
		on := v.Get("year_from") == value && v.Get("year_to") == value
		v.Del("year_from")
		v.Del("year_to")
		if !on {
			v.Set("year_from", value)
			v.Set("year_to", value)
		}
		return v, on
	}
	list := v[name]
	if i := slices.Index(list, value); i >= 0 {
		v[name] = slices.Delete(list, i, i+1)
		return v, true
	}
	if name == "type" {
		v[name] = []string{value}
	} else {
		v[name] = append(list, value)
	}
	return v, false
}

// BenchmarkLibraryRows: a search page's 20 results and 5 facets of 12
// values each, as the template ranged over them (template) and as the Go
// writers write them, facet links included (go).
func BenchmarkLibraryRows(b *testing.B) {
	bundle, err := i18n.Load(assets.I18n)
	if err != nil {
		b.Fatal(err)
	}
	p := Page{Lang: "pt-BR", tr: bundle.Printer("pt-BR")}
	tmpl := template.Must(template.New("library").Parse(libraryRowsTemplate))
	values, _ := url.ParseQuery("q=prote%C3%A7%C3%A3o+social&country=BR&sort=date")
	items := make([]itemCard, 20)
	for i := range items {
		items[i] = itemCard{ID: int64(i), URL: itemPath(int64(i)), Title: "Proteção social e seguridade no Brasil, relatório " + strconv.Itoa(i),
			Language: "pt", Type: "Relatório", Year: 2000 + i, Countries: []string{countryName("BR", p.Lang), countryName("MZ", p.Lang)},
			Abstract: snippet(strings.Repeat("Um resumo do documento sobre a previdência social & os seus desafios. ", 6), 280)}
	}
	names := []string{"country", "theme", "language", "type", "year"}
	build := func(href func(name, value string) (string, bool)) ([]facetGroup, []facetLink) {
		var groups []facetGroup
		var active []facetLink
		for _, name := range names {
			g := facetGroup{Name: name, Label: p.T("library.facet." + name)}
			for j := 0; j < 12; j++ {
				value := []string{"BR", "MZ", "AO", "PT", "CV", "GW", "ST", "TL", "AR", "CL", "PE", "UY"}[j]
				if name == "year" {
					value = strconv.Itoa(2000 + j)
				}
				h, on := href(name, value)
				link := facetLink{Label: value + " label", Count: 100 * j, Href: h, Selected: on}
				g.Values = append(g.Values, link)
				if on {
					active = append(active, link)
				}
			}
			groups = append(groups, g)
		}
		return groups, active
	}
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			groups, active := build(func(name, value string) (string, bool) {
				next, on := toggled(values, name, value)
				return searchURL(next), on
			})
			var out bytes.Buffer
			if err := tmpl.Execute(&out, struct {
				Page
				Active []facetLink
				Facets []facetGroup
				Items  []itemCard
			}{p, active, groups, items}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			groups, active := build(newFacetLinks(values).href)
			_ = activeFiltersHTML(p, active) + facetsHTML(groups) + itemRowsHTML(p, items, "      ", true) + itemRowsHTML(p, items, "    ", false)
		}
	})
}
