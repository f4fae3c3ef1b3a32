package library_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

func ids(res *library.Results) []int64 {
	var out []int64
	for _, it := range res.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestWholeWordsBeforePrefixes: words are matched whole while they find a
// page of items; fewer, and they are matched as starts of words, on every
// page of that search.
func TestWholeWordsBeforePrefixes(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("wp")
	// 25 items say "previdência" whole; one more only starts with it.
	var whole []int64
	for i := range library.DefaultLimit + 5 {
		p := params("Previdência rural " + tag + " " + unique(""))
		p.Year = 2000 + i
		whole = append(whole, e.item(lib, p).ID)
	}
	longer := params("Previdenciário " + tag)
	longer.Language = "en" // not stemmed to previdenc: only a prefix finds it
	extra := e.item(lib, longer)

	res := e.search(library.Query{Text: "previdência " + tag, Limit: 100})
	if res.Total != len(whole) || slices.Contains(ids(res), extra.ID) {
		t.Fatalf("whole words find %d items (want %d), the longer word among them: %v", res.Total, len(whole), slices.Contains(ids(res), extra.ID))
	}
	// A start of a word finds every item it starts, page after page.
	q := library.Query{Text: "previd " + tag, Limit: 10, Sort: library.SortDate}
	var got []int64
	for page := 0; page < 10; page++ {
		res := e.search(q)
		if page == 0 && res.Total != len(whole)+1 {
			t.Fatalf("a prefix finds %d items, want %d", res.Total, len(whole)+1)
		}
		got = append(got, ids(res)...)
		if q.After = res.Next; q.After == "" {
			break
		}
	}
	if len(got) != len(whole)+1 || !slices.Contains(got, extra.ID) {
		t.Fatalf("the prefix's pages list %d items (want %d), the longer word among them: %v", len(got), len(whole)+1, slices.Contains(got, extra.ID))
	}
}

// TestSearchFollowsEveryChange: what a search finds follows publishing,
// editing, withdrawing and publishing again, each at once.
func TestSearchFollowsEveryChange(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lib := e.user(accounts.RoleAdmin)
	tag := unique("fc")
	p := params("Cadastro único " + tag)
	draft, err := e.lib.CreateItem(ctx, lib, p)
	if err != nil {
		t.Fatal(err)
	}
	find := func(q library.Query) bool {
		return slices.Contains(ids(e.search(q)), draft.ID)
	}
	if find(library.Query{Text: tag}) {
		t.Fatal("a draft is found")
	}
	if _, err := e.lib.Publish(ctx, lib, draft.ID); err != nil {
		t.Fatal(err)
	}
	if !find(library.Query{Text: tag}) || !find(library.Query{Text: tag, Countries: []string{"MZ"}}) {
		t.Fatal("a published item is not found")
	}
	p.Title, p.Countries, p.Year, p.Type = "Registo social "+tag, []string{"AO"}, 1999, library.TypeLegislation
	if _, err := e.lib.UpdateItem(ctx, lib, draft.ID, p); err != nil {
		t.Fatal(err)
	}
	if find(library.Query{Text: "cadastro " + tag}) || !find(library.Query{Text: "registo " + tag}) {
		t.Fatal("the search does not follow an edited title")
	}
	if find(library.Query{Text: tag, Countries: []string{"MZ"}}) || !find(library.Query{Text: tag, Countries: []string{"AO"}}) ||
		!find(library.Query{Text: tag, Type: library.TypeLegislation, YearFrom: 1999, YearTo: 1999}) ||
		find(library.Query{Text: tag, YearFrom: 2000}) {
		t.Fatal("the filters do not follow an edited country, type or year")
	}
	if _, err := e.lib.Withdraw(ctx, lib, draft.ID); err != nil {
		t.Fatal(err)
	}
	if find(library.Query{Text: tag}) || find(library.Query{Countries: []string{"AO"}, YearTo: 1999}) {
		t.Fatal("a withdrawn item is found")
	}
	if _, err := e.lib.Publish(ctx, lib, draft.ID); err != nil {
		t.Fatal(err)
	}
	if !find(library.Query{Text: "registo " + tag}) {
		t.Fatal("an item published again is not found")
	}
}

// TestFiltersOfUnknownValuesFindNothing: a country, language or theme no
// item can have is a search with no results, not an error.
func TestFiltersOfUnknownValuesFindNothing(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	tag := unique("uv")
	e.item(lib, params("Estudo "+tag))
	if res := e.search(library.Query{Text: tag}); res.Total != 1 {
		t.Fatalf("the item is not found: %d", res.Total)
	}
	for _, q := range []library.Query{
		{Text: tag, Countries: []string{"XYZ"}}, {Text: tag, Countries: []string{"ZZ"}},
		{Text: tag, Languages: []string{"p"}}, {Text: tag, Languages: []string{"português"}},
		{Text: tag, Themes: []string{"no-such-theme"}}, {Text: tag, YearFrom: 99999},
		{Text: tag, Type: library.Type("poem")},
	} {
		if res := e.search(q); res.Total != 0 || len(res.Items) != 0 {
			t.Errorf("%+v finds %d", q, res.Total)
		}
	}
}

// TestFewAndManyMatchesListTheSame: the page is the same whether the
// matches are few (read whole) or past the count cap (the date order
// walked), in every order, page after page.
func TestFewAndManyMatchesListTheSame(t *testing.T) {
	e := newEnv(t)
	tag := unique("fmprefix")
	e.seedSearch(tag, 60)
	queries := []library.Query{
		{Text: tag},
		// The start of a word (whole words find nothing), by relevance.
		{Text: tag[:len(tag)-1]},
		{Text: tag, PortugueseFirst: true},
		{Text: tag, Sort: library.SortDate},
		{Text: tag, Countries: []string{"MZ"}, PortugueseFirst: true},
		{Text: "pensões " + tag, Languages: []string{"pt"}, YearFrom: 1995, YearTo: 2015},
	}
	for _, window := range []int{500, 7} {
		want := map[int][]int64{}
		func() {
			defer library.SetSearchLimits(window, library.CountCap)()
			for i, q := range queries {
				want[i] = e.allPages(q)
				if len(want[i]) == 0 {
					t.Fatalf("%+v finds nothing", q)
				}
			}
		}()
		func() {
			defer library.SetSearchLimits(window, 3)() // every search has many matches
			for i, q := range queries {
				if got := e.allPages(q); !slices.Equal(got, want[i]) {
					t.Errorf("window %d, %+v past the cap:\ngot  %v\nwant %v", window, q, got, want[i])
				}
			}
		}()
	}
}

// TestCountryTotalIsExactPastTheCap: a country page says how many items
// the country has, however many more than a search counts.
func TestCountryTotalIsExactPastTheCap(t *testing.T) {
	e := newEnv(t)
	lib := e.user(accounts.RoleAdmin)
	before, err := e.lib.Country(context.Background(), "KI", false)
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		p := params("Kiribati " + unique(""))
		p.Countries = []string{"KI"}
		e.item(lib, p)
	}
	defer library.SetSearchLimits(500, 2)()
	cp, err := e.lib.Country(context.Background(), "KI", false)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Total != before.Total+6 || len(cp.Items) != min(cp.Total, 20) {
		t.Fatalf("country page: total %d (want %d), %d items", cp.Total, before.Total+6, len(cp.Items))
	}
}
