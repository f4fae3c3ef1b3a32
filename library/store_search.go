package library

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// filter adds sr's conditions to q, whose model is library_items AS li.
// Every condition is one an index serves: the search vector and the
// array facets by GIN (@@, @>), all partial on published items.
func (sr search) filter(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("li.status = ?", StatusPublished)
	if sr.text != "" {
		q = q.Where("li.search @@ library_tsquery(?)", sr.text)
	}
	if len(sr.countries) > 0 {
		q = q.Where("li.countries @> ?", pgdialect.Array(sr.countries))
	}
	if len(sr.themes) > 0 {
		q = q.Where("li.themes @> ?::bigint[]", pgdialect.Array(sr.themes))
	}
	if len(sr.languages) > 0 {
		q = q.Where("li.languages @> ?", pgdialect.Array(sr.languages))
	}
	if sr.typ != "" {
		q = q.Where("li.type = ?", sr.typ)
	}
	if sr.yearFrom != 0 {
		q = q.Where("li.year >= ?", sr.yearFrom)
	}
	if sr.yearTo != 0 {
		q = q.Where("li.year <= ?", sr.yearTo)
	}
	return q
}

// rankWindow is how many matches relevance ranks with ts_rank: the
// first rankWindow in date order (Portuguese first if asked). Beyond them
// the matches follow newest first, unranked. Ranking every match cost
// about a second for a word in most of 100,000 items; rankWindow bounds
// it, and every search with fewer matches is ranked whole. A variable
// for tests.
var rankWindow = 500

// Search returns up to sr.limit+1 results after sr.after, in sr's order:
// Portuguese first if asked, then by relevance if asked, then newest
// first. The page is found by keyset (the order's values of the last
// result), never by OFFSET, so page 500 costs what page 1 does.
func (s *Store) Search(ctx context.Context, sr search) ([]ranked, error) {
	var rows []ranked
	var err error
	if sr.relevance && (sr.after == nil || !sr.after.Beyond) {
		err = s.rankedSearch(ctx, sr, &rows)
	} else {
		err = s.byDate(sr, sr.after, sr.relevance).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, wrap(err, "search %q", sr.text)
	}
	return rows, nil
}

// dateKeys are the columns of the date order, in it; with a cursor's
// values, a row comparison finds what comes after it (every key is
// descending).
func (sr search) dateKeys(after *cursor) (keys, marks []string, values []any) {
	if sr.portugueseFirst {
		keys, marks = append(keys, "li.in_portuguese"), append(marks, "?")
		if after != nil {
			values = append(values, after.Portuguese)
		}
	}
	keys, marks = append(keys, "li.sort_date", "li.id"), append(marks, "?::date", "?")
	if after != nil {
		values = append(values, after.Date, after.ID)
	}
	return keys, marks, values
}

// byDate is the page of matches after after in the date order (Portuguese
// first if asked), beyond marking them as past relevance's ranked window.
func (s *Store) byDate(sr search, after *cursor, beyond bool) *bun.SelectQuery {
	q := sr.filter(s.db.NewSelect().Model((*ranked)(nil))).
		ColumnExpr("?TableColumns, 0::real AS rank, ? AS beyond", beyond)
	keys, marks, values := sr.dateKeys(after)
	for _, k := range keys {
		q = q.OrderExpr(k + " DESC")
	}
	if after != nil {
		q = q.Where("("+strings.Join(keys, ", ")+") < ("+strings.Join(marks, ", ")+")", values...)
	}
	return q.Limit(sr.limit + 1)
}

// rankedSearch is a page in relevance order: the first rankWindow
// matches in date order ranked by ts_rank (title matches first), then
// the matches past the window's last, by date. Both parts are asked in
// the order an index walks, with a LIMIT, so a word in most items costs
// what a rare one does.
func (s *Store) rankedSearch(ctx context.Context, sr search, rows *[]ranked) error {
	window := sr.filter(s.db.NewSelect().Model((*Item)(nil))).
		ColumnExpr("li.id, li.in_portuguese, li.sort_date, ts_rank(li.search, library_tsquery(?)) AS rank", sr.text)
	keys, _, _ := sr.dateKeys(nil)
	for _, k := range keys {
		window = window.OrderExpr(k + " DESC")
	}
	window = window.Limit(rankWindow)
	// The window's last match, only if the window is full: where the
	// unranked rest begins.
	last := s.db.NewSelect().Table("w").ColumnExpr("in_portuguese, sort_date, id").
		OrderExpr(strings.ReplaceAll(strings.Join(keys, " DESC, "), "li.", "") + " DESC").
		Offset(rankWindow - 1).Limit(1)
	ranks := s.db.NewSelect().Model((*ranked)(nil)).Join("JOIN w ON w.id = li.id").
		ColumnExpr("?TableColumns, w.rank, false AS beyond")
	order := []string{"w.rank", "li.sort_date", "li.id"}
	marks := []string{"?::real", "?::date", "?"}
	var values []any
	if sr.portugueseFirst {
		order, marks = append([]string{"li.in_portuguese"}, order...), append([]string{"?"}, marks...)
	}
	if a := sr.after; a != nil {
		if sr.portugueseFirst {
			values = append(values, a.Portuguese)
		}
		values = append(values, a.Rank, a.Date, a.ID)
		ranks = ranks.Where("("+strings.Join(order, ", ")+") < ("+strings.Join(marks, ", ")+")", values...)
	}
	for _, k := range order {
		ranks = ranks.OrderExpr(k + " DESC")
	}
	ranks = ranks.Limit(sr.limit + 1)
	// The rest after the window's last match: the date order from a
	// cursor of its values.
	bKeys := make([]string, len(keys))
	for i, k := range keys {
		bKeys[i] = "b." + strings.TrimPrefix(k, "li.")
	}
	rest := s.byDate(sr, nil, true).Join("JOIN b ON true").
		Where("(" + strings.Join(keys, ", ") + ") < (" + strings.Join(bKeys, ", ") + ")")
	outer := "beyond"
	if sr.portugueseFirst {
		outer += ", in_portuguese DESC"
	}
	outer += ", rank DESC, sort_date DESC, id DESC"
	return s.db.NewRaw(`WITH w AS MATERIALIZED (?), b AS MATERIALIZED (?)
		SELECT * FROM ((?) UNION ALL (?)) p ORDER BY `+outer+` LIMIT ?`,
		window, last, ranks, rest, sr.limit+1).Scan(ctx, rows)
}

// facetRow is one value of one facet with its count.
type facetRow struct {
	Facet string `bun:"facet"`
	Value string `bun:"value"`
	Count int    `bun:"count"`
}

// CountCap is how many matches a search counts, with their facets:
// counting more cost hundreds of milliseconds for a word in most of
// 100,000 items. Past it the total is "more than CountCap" and the facets
// count the first CountCap matches the database finds.
const CountCap = 10_000

// countCap is CountCap, a variable for tests.
var countCap = CountCap

// Facets counts the results matching sr (the cursor aside) by type,
// year, country, theme id and language, in one pass over at most
// countCap of them, and how many there are (countCap+1: more).
func (s *Store) Facets(ctx context.Context, sr search) (facetRows, error) {
	var rows []facetRow
	if sr.unfiltered() {
		// The whole library: the counts kept by the trigger of
		// migration 20261201230100, not a count of every item.
		if err := s.db.NewRaw(`SELECT facet, value, count FROM library_facet_counts WHERE count > 0`).Scan(ctx, &rows); err != nil {
			return facetRows{}, wrap(err, "facet counts")
		}
		f := groupFacets(rows)
		for _, v := range f.Type {
			f.matches += v.Count // every item has one type
		}
		return f, nil // every item counted, however many
	}
	// facet_keys ('type:report', 'country:MZ'…, migration 20261201330000)
	// make the count one unnest of one column.
	matches := sr.filter(s.db.NewSelect().Model((*Item)(nil)).Column("facet_keys")).Limit(countCap + 1)
	var keys []struct {
		Key   string `bun:"key"`
		Count int    `bun:"count"`
	}
	err := s.db.NewRaw(`WITH m AS MATERIALIZED (?)
		SELECT k AS key, count(*) AS count FROM (SELECT facet_keys FROM m LIMIT ?) f, unnest(f.facet_keys) k GROUP BY k
		UNION ALL SELECT '', count(*) FROM m`, matches, countCap).Scan(ctx, &keys)
	if err != nil {
		return facetRows{}, wrap(err, "facets of %q", sr.text)
	}
	matched := 0
	for _, k := range keys {
		facet, value, ok := strings.Cut(k.Key, ":")
		if !ok {
			matched = k.Count
			continue
		}
		rows = append(rows, facetRow{Facet: facet, Value: value, Count: k.Count})
	}
	f := groupFacets(rows)
	f.matches, f.more = min(matched, countCap), matched > countCap
	return f, nil
}

// unfiltered reports whether sr asks for the whole library.
func (sr search) unfiltered() bool {
	return sr.text == "" && len(sr.countries) == 0 && len(sr.themes) == 0 && len(sr.languages) == 0 &&
		sr.typ == "" && sr.yearFrom == 0 && sr.yearTo == 0
}

// groupFacets sorts facet rows into facets, each in its order.
func groupFacets(rows []facetRow) facetRows {
	var f facetRows
	for _, r := range rows {
		v := FacetValue{Value: r.Value, Count: r.Count}
		switch r.Facet {
		case "type":
			f.Type = append(f.Type, v)
		case "year":
			f.Year = append(f.Year, v)
		case "country":
			f.Country = append(f.Country, v)
		case "theme":
			f.Theme = append(f.Theme, v)
		case "language":
			f.Language = append(f.Language, v)
		}
	}
	for _, list := range [][]FacetValue{f.Type, f.Country, f.Theme, f.Language} {
		byCount(list)
	}
	// Years read as a timeline, newest first.
	sort.Slice(f.Year, func(i, j int) bool {
		a, _ := strconv.Atoi(f.Year[i].Value)
		b, _ := strconv.Atoi(f.Year[j].Value)
		return a > b
	})
	return f
}

// byCount orders facet values most frequent first, then by value.
func byCount(list []FacetValue) {
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Value < list[j].Value
	})
}
