package library

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun/dialect/pgdialect"
)

// Searches read library_search (migration 20261202010000): one narrow row
// per published item with its Portuguese flag, date, facet values as
// integers (keys) and search vector. The keys are written by the SQL
// function library_search_keys; searchKeys writes the same numbers.
const (
	keyType     = 100
	keyLanguage = 1000
	keyCountry  = 2000
	keyYear     = 10000
	keyTheme    = 1000000
	// noKey is in no item's keys: a filter on a value no item can have.
	noKey = -1
)

// letterKey is base + 26 × first letter + second letter of a two-letter
// code of letters from a (lower case, languages) or A (upper, countries);
// noKey for any other string, which no item carries.
func letterKey(base int, code string, a byte) int {
	if len(code) != 2 || code[0] < a || code[0] > a+25 || code[1] < a || code[1] > a+25 {
		return noKey
	}
	return base + int(code[0]-a)*26 + int(code[1]-a)
}

// facetOfKey is the facet and value a key stands for ("" for none).
func facetOfKey(k int) (facet, value string) {
	switch {
	case k >= keyTheme:
		return "theme", strconv.Itoa(k - keyTheme)
	case k >= keyYear:
		return "year", strconv.Itoa(k - keyYear)
	case k >= keyCountry && k < keyCountry+26*26:
		k -= keyCountry
		return "country", string([]byte{byte('A' + k/26), byte('A' + k%26)})
	case k >= keyLanguage && k < keyLanguage+26*26:
		k -= keyLanguage
		return "language", string([]byte{byte('a' + k/26), byte('a' + k%26)})
	case k > keyType && k <= keyType+len(Types):
		return "type", string(Types[k-keyType-1])
	}
	return "", ""
}

// searchKeys are the keys an item must all carry to match sr's filters.
func (sr search) searchKeys() []int {
	var keys []int
	if sr.typ != "" {
		k := noKey
		for i, t := range Types {
			if t == sr.typ {
				k = keyType + i + 1
			}
		}
		keys = append(keys, k)
	}
	for _, l := range sr.languages {
		keys = append(keys, letterKey(keyLanguage, l, 'a'))
	}
	for _, c := range sr.countries {
		keys = append(keys, letterKey(keyCountry, c, 'A'))
	}
	for _, t := range sr.themes {
		if t <= 0 || t > 1<<30 {
			keys = append(keys, noKey)
		} else {
			keys = append(keys, keyTheme+int(t))
		}
	}
	return keys
}

// where is sr's conditions on library_search AS ls (the cursor aside),
// each one an index answers: the search vector and the keys by GIN, a year
// range by the date order's btree.
func (sr search) where() (string, []any) {
	conds, args := []string{"true"}, []any{}
	if sr.text != "" {
		conds, args = append(conds, "ls.search @@ library_tsquery(?)"), append(args, sr.text)
	}
	if keys := sr.searchKeys(); len(keys) > 0 {
		conds, args = append(conds, "ls.keys @> ?::integer[]"), append(args, pgdialect.Array(keys))
	}
	// sort_date is the date, or the first day of the year: in the year.
	if sr.yearFrom != 0 {
		conds, args = append(conds, "ls.sort_date >= make_date(?, 1, 1)"), append(args, min(sr.yearFrom, 10000))
	}
	if sr.yearTo != 0 {
		conds, args = append(conds, "ls.sort_date < make_date(?, 1, 1)"), append(args, min(sr.yearTo, 9999)+1)
	}
	return strings.Join(conds, " AND "), args
}

// rankWindow is how many matches relevance ranks with ts_rank: the
// first rankWindow in date order (Portuguese first if asked). Beyond them
// the matches follow newest first, unranked. Ranking every match cost
// about a second for a word in most of 100,000 items; rankWindow bounds
// it, and every search with fewer matches is ranked whole. A variable
// for tests.
var rankWindow = 500

// dateKeys are the columns of the date order on library_search, in it;
// every key is descending.
func (sr search) dateKeys() []string {
	if sr.portugueseFirst {
		return []string{"in_portuguese", "sort_date", "item_id"}
	}
	return []string{"sort_date", "item_id"}
}

// rankKeys are the columns of the relevance order in the ranked window.
func (sr search) rankKeys() []string {
	if sr.portugueseFirst {
		return []string{"in_portuguese", "rank", "sort_date", "item_id"}
	}
	return []string{"rank", "sort_date", "item_id"}
}

// cols are keys with alias in front.
func cols(alias string, keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = alias + "." + k
	}
	return strings.Join(out, ", ")
}

// desc orders by keys of alias, each descending.
func desc(alias string, keys []string) string {
	return strings.ReplaceAll(cols(alias, keys), ",", " DESC,") + " DESC"
}

// past is the row comparison "comes after the cursor c" on keys of alias
// (every key descending).
func past(alias string, keys []string, c *cursor) (string, []any) {
	marks, args := make([]string, len(keys)), make([]any, len(keys))
	for i, k := range keys {
		switch k {
		case "in_portuguese":
			marks[i], args[i] = "?", c.Portuguese
		case "rank":
			marks[i], args[i] = "?::real", c.Rank
		case "sort_date":
			marks[i], args[i] = "?::date", c.Date
		case "item_id":
			marks[i], args[i] = "?", c.ID
		}
	}
	return "(" + cols(alias, keys) + ") < (" + strings.Join(marks, ", ") + ")", args
}

// stmt is SQL text written piece by piece with its arguments in order.
type stmt struct {
	sql  strings.Builder
	args []any
}

func (b *stmt) add(sql string, args ...any) {
	b.sql.WriteString(sql)
	b.args = append(b.args, args...)
}

// Search returns up to sr.limit+1 results after sr.after, in sr's order:
// Portuguese first if asked, then by relevance if asked, then newest
// first. The page is found by keyset (the order's values of the last
// result), never by OFFSET, so page 500 costs what page 1 does.
//
// How the matches are read depends on how many there are, which Facets
// counted first (sr.few: at most countCap). Few: every match is read
// through the indexes of its conditions, then sorted, which costs what
// the matches do. Many: the date order's index is walked until enough
// matches are found, which costs what the page does. The planner alone
// cannot tell the two apart when conditions are correlated: a country
// and a theme no item shares are estimated at hundreds of matches, and
// the walk then visits every item (190 ms at 100,000 items).
func (s *Store) Search(ctx context.Context, sr search) ([]ranked, error) {
	where, whereArgs := sr.where()
	var b stmt
	// src is the matches: a CTE computed once when few, else the table
	// under the conditions, whose date order an index walks.
	src, srcArgs := "(SELECT * FROM library_search AS ls WHERE "+where+")", whereArgs
	b.add("WITH ")
	if sr.few {
		b.add("m AS MATERIALIZED (SELECT * FROM library_search AS ls WHERE "+where+"), ", whereArgs...)
		src, srcArgs = "m", nil
	}
	dkeys, limit := sr.dateKeys(), sr.limit+1
	order := "p." + strings.Join(dkeys, " DESC, p.") + " DESC"
	if sr.relevance && (sr.after == nil || !sr.after.Beyond) {
		// w: the window, the first rankWindow matches in date order,
		// ranked; r: the page of the window by rank after the cursor;
		// then, only when r is not a page and the window is full, the
		// matches past the window's last (b) in date order.
		rkeys := sr.rankKeys()
		cur, curArgs := "true", []any(nil)
		if sr.after != nil {
			cur, curArgs = past("w", rkeys, sr.after)
		}
		b.add("w AS MATERIALIZED (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, ts_rank(ls.search, library_tsquery(?)) AS rank", sr.text)
		b.add(" FROM "+src+" AS ls", srcArgs...)
		b.add(" ORDER BY "+desc("ls", dkeys)+" LIMIT ?), ", rankWindow)
		b.add("r AS MATERIALIZED (SELECT w.*, false AS beyond FROM w WHERE "+cur, curArgs...)
		b.add(" ORDER BY "+desc("w", rkeys)+" LIMIT ?), ", limit)
		b.add("b AS MATERIALIZED (SELECT * FROM w ORDER BY "+desc("w", dkeys)+" OFFSET ? LIMIT 1), ", rankWindow-1)
		b.add("p AS (SELECT * FROM r UNION ALL (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, 0::real, true")
		b.add(" FROM "+src+" AS ls", srcArgs...)
		b.add(", b WHERE ("+cols("ls", dkeys)+") < ("+cols("b", dkeys)+") AND (SELECT count(*) FROM r) < ?", limit)
		b.add(" ORDER BY "+desc("ls", dkeys)+" LIMIT ?)) ", limit)
		order = "p.beyond, p." + strings.Join(rkeys, " DESC, p.") + " DESC"
	} else {
		cur, curArgs := "true", []any(nil)
		if sr.after != nil {
			cur, curArgs = past("ls", dkeys, sr.after)
		}
		b.add("p AS MATERIALIZED (SELECT ls.item_id, 0::real AS rank, ?::boolean AS beyond, ls.in_portuguese, ls.sort_date", sr.relevance)
		b.add(" FROM "+src+" AS ls", srcArgs...)
		b.add(" WHERE "+cur, curArgs...)
		b.add(" ORDER BY "+desc("ls", dkeys)+" LIMIT ?) ", limit)
	}
	b.add("?", s.db.NewSelect().Model((*ranked)(nil)).ColumnExpr("?TableColumns, p.rank, p.beyond").
		Join("JOIN p ON p.item_id = li.id").OrderExpr(order).Limit(limit))
	var rows []ranked
	if err := s.db.NewRaw(b.sql.String(), b.args...).Scan(ctx, &rows); err != nil {
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

// CountCap is how many matches a search counts, with their facets: a
// search with more says "more than CountCap" and its facets count the
// first CountCap matches the database finds, lower bounds of the true
// counts. Counting 10,000 matches cost about 30 ms on an idle core, 2,000
// about 5 (docs/library.md, Speed).
const CountCap = 2_000

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
	where, args := sr.where()
	// The keys of the first countCap matches as one text of numbers,
	// counted here: PostgreSQL's unnest and GROUP BY of the same 10,000
	// numbers cost twice as much as the scan that finds them.
	var counted struct {
		N    int    `bun:"n"`
		Keys string `bun:"keys"`
	}
	err := s.db.NewRaw(`SELECT count(*) AS n, coalesce(string_agg(k, ',') FILTER (WHERE i <= ?), '') AS keys
		FROM (SELECT array_to_string(m.keys, ',') AS k, row_number() OVER () AS i
			FROM (SELECT ls.keys FROM library_search AS ls WHERE `+where+` LIMIT ?) AS m) AS x`,
		append(append([]any{countCap}, args...), countCap+1)...).Scan(ctx, &counted)
	if err != nil {
		return facetRows{}, wrap(err, "facets of %q", sr.text)
	}
	counts := map[int]int{}
	for field := range strings.SplitSeq(counted.Keys, ",") {
		if k, err := strconv.Atoi(field); err == nil {
			counts[k]++
		}
	}
	for k, n := range counts {
		if facet, value := facetOfKey(k); facet != "" {
			rows = append(rows, facetRow{Facet: facet, Value: value, Count: n})
		}
	}
	matched := counted.N
	f := groupFacets(rows)
	f.matches, f.more = min(matched, countCap), matched > countCap
	return f, nil
}

// FacetCount is how many published items have value of facet ("country",
// "MZ"), as the trigger of migration 20261201230100 keeps it.
func (s *Store) FacetCount(ctx context.Context, facet, value string) (int, error) {
	var n []int
	err := s.db.NewRaw(`SELECT count FROM library_facet_counts WHERE facet = ? AND value = ?`, facet, value).Scan(ctx, &n)
	if err != nil {
		return 0, wrap(err, "count of %s %s", facet, value)
	}
	if len(n) == 0 {
		return 0, nil
	}
	return max(n[0], 0), nil
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
