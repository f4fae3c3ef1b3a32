package app

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
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
