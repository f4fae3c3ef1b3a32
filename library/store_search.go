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

// Search returns up to sr.limit+1 results after sr.after, in sr's order:
// Portuguese first if asked, then by relevance if asked, then newest
// first. The page is found by keyset (the order's values of the last
// result), never by OFFSET, so page 500 costs what page 1 does.
func (s *Store) Search(ctx context.Context, sr search) ([]ranked, error) {
	var rows []ranked
	q := sr.filter(s.db.NewSelect().Model(&rows))
	rank, rankArgs := "0::real", []any(nil)
	if sr.relevance {
		rank, rankArgs = "ts_rank(li.search, library_tsquery(?))", []any{sr.text}
	}
	q = q.ColumnExpr("?TableColumns").ColumnExpr(rank+" AS rank", rankArgs...)
	var keys, marks []string
	var keyArgs, values []any
	if sr.portugueseFirst {
		q = q.OrderExpr("li.in_portuguese DESC")
		keys, marks = append(keys, "li.in_portuguese"), append(marks, "?")
		if sr.after != nil {
			values = append(values, sr.after.Portuguese)
		}
	}
	if sr.relevance {
		q = q.OrderExpr(rank+" DESC", rankArgs...)
		keys, marks, keyArgs = append(keys, rank), append(marks, "?::real"), rankArgs
		if sr.after != nil {
			values = append(values, sr.after.Rank)
		}
	}
	q = q.OrderExpr("li.sort_date DESC, li.id DESC")
	keys, marks = append(keys, "li.sort_date", "li.id"), append(marks, "?::date", "?")
	if sr.after != nil {
		values = append(values, sr.after.Date, sr.after.ID)
		// Every key is descending, so "after" is one row comparison. The
		// rank is compared as the real it was sent as.
		q = q.Where("("+strings.Join(keys, ", ")+") < ("+strings.Join(marks, ", ")+")", append(keyArgs, values...)...)
	}
	if err := q.Limit(sr.limit + 1).Scan(ctx); err != nil {
		return nil, wrap(err, "search %q", sr.text)
	}
	return rows, nil
}

// facetRow is one value of one facet with its count.
type facetRow struct {
	Facet string `bun:"facet"`
	Value string `bun:"value"`
	Count int    `bun:"count"`
}

// Facets counts every result matching sr (the cursor aside) by type,
// year, country, theme id and language, in one pass over the matches.
func (s *Store) Facets(ctx context.Context, sr search) (facetRows, error) {
	var rows []facetRow
	if sr.unfiltered() {
		// The whole library: the counts kept by the trigger of
		// migration 20261201230100, not a count of every item.
		if err := s.db.NewRaw(`SELECT facet, value, count FROM library_facet_counts WHERE count > 0`).Scan(ctx, &rows); err != nil {
			return facetRows{}, wrap(err, "facet counts")
		}
		return groupFacets(rows), nil
	}
	matches := sr.filter(s.db.NewSelect().Model((*Item)(nil)).Column("type", "year", "countries", "themes", "languages"))
	err := s.db.NewRaw(`WITH m AS MATERIALIZED (?)
		SELECT 'type' AS facet, type AS value, count(*) AS count FROM m GROUP BY type
		UNION ALL SELECT 'year', year::text, count(*) FROM m GROUP BY year
		UNION ALL SELECT 'country', c, count(*) FROM m, unnest(m.countries) c GROUP BY c
		UNION ALL SELECT 'theme', t::text, count(*) FROM m, unnest(m.themes) t GROUP BY t
		UNION ALL SELECT 'language', l, count(*) FROM m, unnest(m.languages) l GROUP BY l`, matches).Scan(ctx, &rows)
	if err != nil {
		return facetRows{}, wrap(err, "facets of %q", sr.text)
	}
	return groupFacets(rows), nil
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
