package library_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// titles returns the titles of a page of results.
func titles(res *library.Results) []string {
	out := make([]string, len(res.Items))
	for i, it := range res.Items {
		out[i] = it.Title
	}
	return out
}

func (e *env) search(q library.Query) *library.Results {
	e.t.Helper()
	res, err := e.lib.Search(context.Background(), q)
	if err != nil {
		e.t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func TestSearchIsStemmedPerLanguage(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	pt := params("Proteção social no Moçambique " + tag)
	pt.Abstract = "Pensões sociais não contributivas."
	e.item(lib, pt)
	es := params("Protecciones sociales " + tag)
	es.Language, es.Abstract = "es", "Pensiones no contributivas."
	e.item(lib, es)
	en := params("Social protection floors " + tag)
	en.Language, en.Abstract = "en", "Pensions for older persons."
	e.item(lib, en)

	// Stems of one language's word may start another's ("proteções" →
	// protec… in Spanish, which also starts "protection"): a search finds
	// its language's items and may find kindred words in others.
	cases := []struct {
		q    string
		want []string
	}{
		{"proteções", []string{pt.Title}},
		{"protecao", []string{pt.Title}},
		{"PROTECOES", []string{pt.Title}},
		{"pensão", []string{pt.Title}},
		{"social", []string{pt.Title, es.Title, en.Title}},
		{"protección", []string{es.Title}},
		{"pension", []string{es.Title, en.Title}},
		{"pensões", []string{pt.Title}},
		{"protections", []string{en.Title}},
	}
	for _, q := range []string{"desemprego", "floors"} {
		if res := e.search(library.Query{Text: q + " " + tag}); q == "desemprego" && res.Total != 0 || q == "floors" && res.Total != 1 {
			t.Errorf("%q finds %q", q, titles(res))
		}
	}
	for _, c := range cases {
		res := e.search(library.Query{Text: c.q + " " + tag})
		got := titles(res)
		for _, w := range c.want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("%q finds %q, want %q among them", c.q, got, w)
			}
		}
	}
}

func TestSearchFindsAuthorsAndTranslations(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	p := params("Relatório anual " + tag)
	p.Authors = []string{"Ana Peña", "João Conceição"}
	p.Translations = []library.TranslationParams{{Language: "en", Title: "Annual report", Abstract: "Unemployment insurance."}}
	e.item(lib, p)
	for _, q := range []string{"pena", "Conceicao", "unemployment"} {
		if res := e.search(library.Query{Text: q + " " + tag}); res.Total != 1 {
			t.Errorf("%q finds %d items, want 1", q, res.Total)
		}
	}
}

func TestDraftsAndWithdrawnAreNotFound(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	if _, err := e.lib.CreateItem(ctx, lib, params("Rascunho "+tag)); err != nil {
		t.Fatal(err)
	}
	it := e.item(lib, params("Retirado "+tag))
	if _, err := e.lib.Withdraw(ctx, lib, it.ID); err != nil {
		t.Fatal(err)
	}
	if res := e.search(library.Query{Text: tag}); res.Total != 0 {
		t.Fatalf("search finds %q", titles(res))
	}
}

func TestFacetsCountAndCombine(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	pensions, health := e.theme("pensions"), e.theme("health-protection")
	mk := func(title, lang string, countries []string, themes []int64, typ library.Type, year int) {
		p := params(title + " " + tag)
		p.Language, p.Countries, p.Themes, p.Type, p.Year = lang, countries, themes, typ, year
		e.item(lib, p)
	}
	mk("Um", "pt", []string{"MZ", "AO"}, []int64{pensions}, library.TypeReport, 2020)
	mk("Dois", "pt", []string{"MZ"}, []int64{pensions, health}, library.TypeLegislation, 2021)
	mk("Tres", "es", []string{"PE"}, []int64{health}, library.TypeReport, 2021)

	res := e.search(library.Query{Text: tag})
	if res.Total != 3 {
		t.Fatalf("total %d, want 3", res.Total)
	}
	want := map[string]map[string]int{
		"country":  {"MZ": 2, "AO": 1, "PE": 1},
		"theme":    {"pensions": 2, "health-protection": 2},
		"language": {"pt": 2, "es": 1},
		"type":     {"report": 2, "legislation": 1},
		"year":     {"2021": 2, "2020": 1},
	}
	got := map[string][]library.FacetValue{"country": res.Facets.Country, "theme": res.Facets.Theme,
		"language": res.Facets.Language, "type": res.Facets.Type, "year": res.Facets.Year}
	for facet, values := range want {
		if len(got[facet]) != len(values) {
			t.Errorf("%s facet %v, want %v", facet, got[facet], values)
		}
		for _, v := range got[facet] {
			if values[v.Value] != v.Count {
				t.Errorf("%s %s: %d, want %d", facet, v.Value, v.Count, values[v.Value])
			}
		}
	}
	if res.Facets.Year[0].Value != "2021" {
		t.Errorf("years %v, want newest first", res.Facets.Year)
	}

	// Two countries: items about both; a theme and a type on top.
	if res := e.search(library.Query{Text: tag, Countries: []string{"MZ", "AO"}}); res.Total != 1 || res.Items[0].Title != "Um "+tag {
		t.Errorf("MZ and AO: %q", titles(res))
	}
	res = e.search(library.Query{Text: tag, Themes: []string{"health-protection"}, Type: library.TypeReport})
	if res.Total != 1 || res.Items[0].Title != "Tres "+tag {
		t.Errorf("health and report: %q", titles(res))
	}
	if len(res.Facets.Country) != 1 || res.Facets.Country[0] != (library.FacetValue{Value: "PE", Count: 1}) {
		t.Errorf("facets follow the filters: %v", res.Facets.Country)
	}
	if res := e.search(library.Query{Text: tag, YearFrom: 2021, YearTo: 2021, Languages: []string{"pt"}}); res.Total != 1 {
		t.Errorf("2021 in Portuguese: %q", titles(res))
	}
	if res := e.search(library.Query{Text: tag, Themes: []string{"no-such-theme"}}); res.Total != 0 {
		t.Errorf("unknown theme finds %q", titles(res))
	}
}

func TestPortugueseFirstAndPages(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	for i, lang := range []string{"es", "pt", "en", "pt", "es"} {
		p := params(lang + " " + tag)
		p.Language, p.Year = lang, 2010+i
		e.item(lib, p)
	}
	res := e.search(library.Query{Text: tag, Sort: library.SortDate})
	if got := titles(res); got[0] != "es "+tag || res.Items[0].Year != 2014 {
		t.Fatalf("newest first: %q", got)
	}
	var all []library.Item
	after := ""
	for page := 0; ; page++ {
		res := e.search(library.Query{Text: tag, PortugueseFirst: true, Limit: 2, After: after})
		all = append(all, res.Items...)
		if res.Total != 5 {
			t.Fatalf("total %d on page %d", res.Total, page)
		}
		if after = res.Next; after == "" {
			break
		}
		if page > 5 {
			t.Fatal("pages never end")
		}
	}
	if len(all) != 5 {
		t.Fatalf("%d items over the pages, want 5", len(all))
	}
	if all[0].Language != "pt" || all[1].Language != "pt" || all[2].Language == "pt" {
		t.Fatalf("Portuguese first: %v %v %v", all[0].Language, all[1].Language, all[2].Language)
	}
	if all[0].Year != 2013 || all[1].Year != 2011 || all[2].Year != 2014 {
		t.Fatalf("then newest first: %d %d %d", all[0].Year, all[1].Year, all[2].Year)
	}
}

func TestRelevanceRanksTitlesFirst(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("z")
	a := params("Desemprego " + tag)
	a.Year = 2000
	e.item(lib, a)
	b := params("Outro estudo " + tag)
	b.Abstract, b.Year = "Fala de desemprego.", 2020
	e.item(lib, b)
	res := e.search(library.Query{Text: "desemprego " + tag})
	if got := titles(res); len(got) != 2 || got[0] != a.Title {
		t.Fatalf("relevance: %q, want the title match first", got)
	}
	res = e.search(library.Query{Text: "desemprego " + tag, Limit: 1})
	next := e.search(library.Query{Text: "desemprego " + tag, Limit: 1, After: res.Next})
	if len(next.Items) != 1 || next.Items[0].Title != b.Title || next.Next != "" {
		t.Fatalf("second page by relevance: %q next %q", titles(next), next.Next)
	}
}

func TestBadCursorIsRefused(t *testing.T) {
	e := newEnv(t)
	_, err := e.lib.Search(context.Background(), library.Query{After: "not-a-cursor"})
	if err == nil {
		t.Fatal("a made-up cursor is accepted")
	}
}

func TestBrowsingFacetsFollowEveryChange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	count := func(values []library.FacetValue, v string) int {
		for _, x := range values {
			if x.Value == v {
				return x.Count
			}
		}
		return 0
	}
	before := e.search(library.Query{})
	p := params("Contado " + unique("z"))
	p.Countries, p.Year = []string{"GQ"}, 1801
	it := e.item(lib, p)
	after := e.search(library.Query{})
	if after.Total != before.Total+1 || count(after.Facets.Country, "GQ") != count(before.Facets.Country, "GQ")+1 ||
		count(after.Facets.Year, "1801") != count(before.Facets.Year, "1801")+1 {
		t.Fatalf("publishing: total %d→%d, GQ %d→%d", before.Total, after.Total,
			count(before.Facets.Country, "GQ"), count(after.Facets.Country, "GQ"))
	}
	p.Countries = []string{"CV"}
	if _, err := e.lib.UpdateItem(ctx, lib, it.ID, p); err != nil {
		t.Fatal(err)
	}
	edited := e.search(library.Query{})
	if count(edited.Facets.Country, "GQ") != count(before.Facets.Country, "GQ") || count(edited.Facets.Country, "CV") != count(after.Facets.Country, "CV")+1 {
		t.Fatal("editing the countries does not move the counts")
	}
	if _, err := e.lib.Withdraw(ctx, lib, it.ID); err != nil {
		t.Fatal(err)
	}
	if gone := e.search(library.Query{}); gone.Total != before.Total || count(gone.Facets.Year, "1801") != count(before.Facets.Year, "1801") {
		t.Fatalf("withdrawing: total %d, want %d", gone.Total, before.Total)
	}
	// The counts kept agree with counting the items (every one: other
	// tests' items are more than the cap).
	defer library.SetSearchLimits(500, 1<<30)()
	kept := e.search(library.Query{})
	counted := e.search(library.Query{YearFrom: 1})
	if kept.Total != counted.Total || len(kept.Facets.Country) != len(counted.Facets.Country) {
		t.Fatalf("kept counts %d/%d, counted %d/%d", kept.Total, len(kept.Facets.Country), counted.Total, len(counted.Facets.Country))
	}
}
