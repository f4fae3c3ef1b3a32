package library_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
)

// seedSearch publishes n items carrying tag, written in SQL as the
// benchmark writes them: in Portuguese, Spanish and English, the tag in the
// title of some, once or twice in the abstract of others, over 30 years,
// several countries and themes. It returns their ids.
func (e *env) seedSearch(tag string, n int) []int64 {
	e.t.Helper()
	ctx := context.Background()
	var ids []int64
	err := e.db.NewRaw(`
		INSERT INTO library_items (type, status, title, abstract, language, languages, countries, themes, year, date,
			authors, published_at)
		SELECT (ARRAY['publication','experience','report','legislation'])[1 + i % 4], 'published',
			CASE i % 3 WHEN 0 THEN 'Pensões sociais ' || ?0 || ' ' || i ELSE 'Relatório ' || i END,
			CASE i % 3 WHEN 1 THEN 'Sobre as pensões e ' || ?0 WHEN 2 THEN ?0 || ' e ' || ?0 || ' na economia' ELSE '' END,
			l, ARRAY[l], (CASE i % 4 WHEN 0 THEN ARRAY['MZ','AO'] WHEN 1 THEN ARRAY['MZ','BR'] WHEN 2 THEN ARRAY['PE','MZ']
				ELSE ARRAY['BR','PT'] END)[1:1 + i % 2],
			ARRAY[1 + i % 5, 6 + i % 3]::bigint[], 1990 + i % 30, make_date(1990 + i % 30, 1 + i % 12, 1 + i % 28),
			ARRAY['Ana Peña'], now()
		FROM generate_series(0, ?1 - 1) i, LATERAL (SELECT (ARRAY['pt','es','en','pt'])[1 + i % 4] AS l) x
		RETURNING id`, tag, n).Scan(ctx, &ids)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.NewRaw(`UPDATE library_items SET search = library_item_search(id) WHERE id IN (?)`, bun.List(ids)).Exec(ctx); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// allPages runs q page after page and returns the ids in order.
func (e *env) allPages(q library.Query) []int64 {
	e.t.Helper()
	var ids []int64
	q.Limit = 7
	for page := 0; ; page++ {
		res := e.search(q)
		for _, it := range res.Items {
			ids = append(ids, it.ID)
		}
		if q.After = res.Next; q.After == "" {
			return ids
		}
		if page > 1000 {
			e.t.Fatal("pages never end")
		}
	}
}

// tsText is the tsquery text a search uses for q's words: whole words,
// or starts of words when whole words find fewer than 20 items.
func (e *env) tsText(q library.Query) string {
	e.t.Helper()
	prefix := courses.SearchText(q.Text)
	whole := strings.ReplaceAll(prefix, "':*", "'")
	var n int
	err := e.db.NewRaw(`SELECT count(*) FROM library_items WHERE status = 'published' AND search @@ library_tsquery(?)
		AND countries @> ?`, whole, pgdialect.Array(append([]string{}, q.Countries...))).Scan(context.Background(), &n)
	if err != nil {
		e.t.Fatal(err)
	}
	if n < library.DefaultLimit {
		return prefix
	}
	return whole
}

// referenceOrder is relevance as it was before the ranked window: every
// match ranked by ts_rank, in SQL; with window > 0, only the first window
// matches in date order are ranked, and the rest follow by date.
func (e *env) referenceOrder(q library.Query, window int) []int64 {
	e.t.Helper()
	where := "status = 'published' AND search @@ library_tsquery(?0)"
	if len(q.Countries) > 0 {
		where += " AND countries @> ?1"
	}
	pt := ""
	if q.PortugueseFirst {
		pt = "in_portuguese DESC, "
	}
	text := e.tsText(q)
	sql := `SELECT id FROM library_items WHERE ` + where + ` ORDER BY ` + pt + `ts_rank(search, library_tsquery(?0)) DESC, sort_date DESC, id DESC`
	if window > 0 {
		sql = fmt.Sprintf(`WITH d AS (SELECT id, in_portuguese, sort_date, row_number() OVER (ORDER BY %[1]ssort_date DESC, id DESC) AS n,
				ts_rank(search, library_tsquery(?0)) AS rank FROM library_items WHERE %[2]s)
			SELECT id FROM d ORDER BY n > %[3]d, CASE WHEN n <= %[3]d THEN rank END DESC, %[1]ssort_date DESC, id DESC`, pt, where, window)
	}
	var ids []int64
	if err := e.db.NewRaw(sql, text, pgdialect.Array(q.Countries)).Scan(context.Background(), &ids); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// TestRelevanceRanksAWindowThenDates: relevance ranks every match with
// ts_rank while there are fewer than the window (the order before the
// window existed), and past it ranks the window's matches and lists the
// rest newest first, every match once over the pages.
func TestRelevanceRanksAWindowThenDates(t *testing.T) {
	e := newEnv(t)
	tag := unique("rw")
	e.seedSearch(tag, 90)
	queries := []library.Query{
		{Text: tag},
		{Text: tag, PortugueseFirst: true},
		{Text: "pensões " + tag, PortugueseFirst: true},
		{Text: "social " + tag},
		{Text: "pensões " + tag, Countries: []string{"MZ"}},
	}
	for _, q := range queries {
		got, want := e.allPages(q), e.referenceOrder(q, 0)
		if len(want) < 15 {
			t.Fatalf("%+v: only %d matches", q, len(want))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%+v: below the window\ngot  %v\nwant %v", q, got, want)
		}
	}
	defer library.SetSearchLimits(13, library.CountCap)()
	for _, q := range queries {
		got, want := e.allPages(q), e.referenceOrder(q, 13)
		if !slices.Equal(got, want) {
			t.Errorf("%+v: past the window\ngot  %v\nwant %v", q, got, want)
		}
	}
}

// referenceFacets counts facets as the store did before facet_keys: five
// passes over every match.
func (e *env) referenceFacets(q library.Query) map[string]int {
	e.t.Helper()
	var rows []struct {
		Facet, Value string
		Count        int
	}
	countries := "true"
	if len(q.Countries) > 0 {
		countries = "countries @> ?1"
	}
	err := e.db.NewRaw(`WITH m AS MATERIALIZED (SELECT type, year, countries, themes, languages FROM library_items
			WHERE status = 'published' AND search @@ library_tsquery(?0) AND `+countries+`)
		SELECT 'type' AS facet, type AS value, count(*) AS count FROM m GROUP BY type
		UNION ALL SELECT 'year', year::text, count(*) FROM m GROUP BY year
		UNION ALL SELECT 'country', c, count(*) FROM m, unnest(m.countries) c GROUP BY c
		UNION ALL SELECT 'theme', th.slug, count(*) FROM m, unnest(m.themes) t JOIN library_themes th ON th.id = t GROUP BY th.slug
		UNION ALL SELECT 'language', l, count(*) FROM m, unnest(m.languages) l GROUP BY l`,
		e.tsText(q), pgdialect.Array(q.Countries)).Scan(context.Background(), &rows)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Facet+":"+r.Value] = r.Count
	}
	return out
}

func facetMap(f library.Facets) map[string]int {
	out := map[string]int{}
	for facet, values := range map[string][]library.FacetValue{"type": f.Type, "year": f.Year, "country": f.Country,
		"theme": f.Theme, "language": f.Language} {
		for _, v := range values {
			out[facet+":"+v.Value] = v.Count
		}
	}
	return out
}

// TestFacetsAgreeWithCountingEveryMatch: facets counted from facet_keys are
// the counts of the five passes they replace; past the count cap the total
// says "more" and the facets count that many matches, never more than
// there are.
func TestFacetsAgreeWithCountingEveryMatch(t *testing.T) {
	e := newEnv(t)
	tag := unique("fk")
	e.seedSearch(tag, 90)
	for _, q := range []library.Query{{Text: tag}, {Text: "pensões " + tag}, {Text: tag, Countries: []string{"MZ"}}} {
		res, want := e.search(q), e.referenceFacets(q)
		if got := facetMap(res.Facets); !maps(got, want) {
			t.Errorf("%+v: facets\ngot  %v\nwant %v", q, got, want)
		}
		if res.More || res.Total != sum(res.Facets.Type) {
			t.Errorf("%+v: total %d (more %v), types %d", q, res.Total, res.More, sum(res.Facets.Type))
		}
	}
	defer library.SetSearchLimits(500, 40)()
	res, exact := e.search(library.Query{Text: tag}), e.referenceFacets(library.Query{Text: tag})
	if res.Total != 40 || !res.More || sum(res.Facets.Type) != 40 {
		t.Fatalf("past the cap: total %d more %v types %d", res.Total, res.More, sum(res.Facets.Type))
	}
	for k, n := range facetMap(res.Facets) {
		if n > exact[k] {
			t.Errorf("past the cap %s counts %d of %d", k, n, exact[k])
		}
	}
	if res := e.search(library.Query{Text: "pensões " + tag, Countries: []string{"PE"}}); res.More || res.Total == 0 {
		t.Errorf("a narrower search is counted: total %d more %v", res.Total, res.More)
	}
	// Past the cap the facets are the same whichever the sort: a reader
	// who sorts by date sees the numbers he saw by relevance.
	defer library.SetSearchLimits(500, 5)()
	byRank, byDate := e.search(library.Query{Text: tag}), e.search(library.Query{Text: tag, Sort: library.SortDate})
	if got, want := facetMap(byDate.Facets), facetMap(byRank.Facets); !maps(got, want) {
		t.Errorf("past the cap, by date the facets are\n%v\nby relevance\n%v", got, want)
	}
}

func maps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func sum(values []library.FacetValue) int {
	n := 0
	for _, v := range values {
		n += v.Count
	}
	return n
}

// scansItems finds a plan's scan of every item (list_versions is
// one row).
var scansItems = regexp.MustCompile(`Seq Scan on library_(search|items)\b`)

// TestSearchQueriesUseTheIndexes: every statement of a search with words
// and filters (the page, by relevance and by date, and the facets) is one
// the search vector's and the date order's indexes answer, never a scan
// of every item. Sequential scans are disabled as an installation of
// 100,000 items would make the planner avoid them; a query the indexes
// cannot serve still scans.
func TestSearchQueriesUseTheIndexes(t *testing.T) {
	e := newEnv(t)
	tag := unique("ix")
	e.seedSearch(tag, 30)
	// Enough other items that an index is worth its while to the planner.
	for range 4 {
		e.seedSearch(unique("other"), 500)
	}
	if _, err := e.db.ExecContext(context.Background(), `ANALYZE library_items`); err != nil {
		t.Fatal(err)
	}
	log := &testdb.QueryLog{}
	e.db.AddQueryHook(log)
	ctx := context.Background()
	// Every page run whole, its statements explained: a kept search reads
	// only the page's items by their ids.
	defer library.KeepNoSearches(e.lib)()
	for _, q := range []library.Query{
		{Text: "pensões " + tag, PortugueseFirst: true},
		{Text: "pensões " + tag, Countries: []string{"MZ"}, Sort: library.SortDate},
	} {
		log.Reset()
		res := e.search(q)
		if res.Next == "" {
			q.Limit = 3
			res = e.search(q)
		}
		q.After = res.Next
		e.search(q)
		queries := log.Queries()
		explained := 0
		for _, query := range queries {
			if !strings.Contains(query, "library_tsquery") {
				continue
			}
			explained++
			var plan []string
			err := e.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
					return err
				}
				return tx.NewRaw("EXPLAIN "+query).Scan(ctx, &plan)
			})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			if scansItems.MatchString(text) ||
				!strings.Contains(text, "library_search_search_idx") && !strings.Contains(text, "library_search_keys_idx") &&
					!strings.Contains(text, "date_idx") {
				t.Errorf("%+v: a statement scans every item:\n%s\n%s", q, query, text)
			}
		}
		if explained < 3 {
			t.Errorf("%+v: %d statements seen", q, explained)
		}
	}
}

// TestQueryRanksAsEveryLanguageORed: library_tsquery drops the languages'
// repeated queries, and ranks as the OR of all four did, also when every
// language makes the same query: ts_rank picks its formula by the top
// operator, and an AND alone would rank by how close the words are.
func TestQueryRanksAsEveryLanguageORed(t *testing.T) {
	e := newEnv(t)
	docs := []string{
		"pension pension pension pension of the members of the fund in the later years of their working lives reform reform reform",
		"pension reform",
		"proteção social e proteções sociais dos trabalhadores da economia informal",
	}
	for _, q := range []string{"'pension' & 'reform'", "'proteção' & 'social'", "'pensões'", "'reform'"} {
		for _, d := range docs {
			var got, want float64
			err := e.db.NewRaw(`SELECT ts_rank(to_tsvector('aula_search', ?0), library_tsquery(?1)),
				ts_rank(to_tsvector('aula_search', ?0), to_tsquery('aula_pt', library_pt_singular(?1)) || to_tsquery('aula_es', ?1)
					|| to_tsquery('aula_en', ?1) || to_tsquery('aula_search', ?1))`, d, q).Scan(context.Background(), &got, &want)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%q in %q ranks %.4f, the four languages ORed %.4f", q, d, got, want)
			}
		}
	}
}
