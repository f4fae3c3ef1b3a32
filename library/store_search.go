package library

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/aula-platform/aula/postgres"
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

// past is the row comparison "comes after sr's cursor" on keys of alias
// (every key descending); "true" without a cursor.
func (sr search) past(alias string, keys []string) (string, []any) {
	c := sr.after
	if c == nil {
		return "true", nil
	}
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

// walk is the matches of sr past its cursor in the date order, read by
// walking the date order's index: it costs what the page does, however
// many items match.
func (sr search) walk(b *stmt, beyond bool) {
	where, args := sr.where()
	cur, curArgs := sr.past("ls", sr.dateKeys())
	b.add("SELECT ls.item_id, ls.in_portuguese, ls.sort_date, 0::real AS rank, ?::boolean AS beyond", beyond)
	b.add(" FROM library_search AS ls WHERE "+where, args...)
	b.add(" AND "+cur, curArgs...)
}

// Search returns up to sr.limit+1 results after sr.after, newest first
// (Portuguese first if asked), for a search without words whose matches
// the caller has counted: the whole library, or a country page. Words
// and filters are searched by SearchCounted.
//
// How the matches are read depends on sr.few (at most countCap match).
// Few: every match is read through the indexes of its conditions, then
// sorted, which costs what the matches do. Many: the date order's index
// is walked until the page is full, which costs what the page does. The
// planner alone cannot tell the two apart when conditions are
// correlated: a country and a theme no item shares are estimated at
// hundreds of matches, and the walk then visits every item (190 ms at
// 100,000 items).
func (s *Store) Search(ctx context.Context, sr search) ([]ranked, error) {
	dkeys, limit := sr.dateKeys(), sr.limit+1
	var b stmt
	if sr.few {
		// MATERIALIZED: the matches first, through their indexes.
		where, args := sr.where()
		b.add("WITH m AS MATERIALIZED (SELECT * FROM library_search AS ls WHERE "+where+"), ", args...)
		cur, curArgs := sr.past("m", dkeys)
		b.add("p AS (SELECT m.item_id, m.in_portuguese, m.sort_date, 0::real AS rank, false AS beyond FROM m WHERE "+cur, curArgs...)
		b.add(" ORDER BY "+desc("m", dkeys)+" LIMIT ?) ", limit)
	} else {
		b.add("WITH p AS (")
		sr.walk(&b, false)
		b.add(" ORDER BY "+desc("ls", dkeys)+" LIMIT ?) ", limit)
	}
	b.add("?", s.db.NewSelect().Model((*ranked)(nil)).ColumnExpr("?TableColumns, p.rank, p.beyond").
		Join("JOIN p ON p.item_id = li.id").OrderExpr(desc("p", dkeys)).Limit(limit))
	var rows []ranked
	if err := s.db.NewRaw(b.sql.String(), b.args...).Scan(ctx, &rows); err != nil {
		return nil, wrap(err, "search")
	}
	return rows, nil
}

// readSize is how many matches SearchCounted reads in the date order:
// one more than it counts, and at least the ranked window and a page
// past it, so that the first pages of a relevance search come from them.
func (sr search) readSize() int { return max(countCap+1, rankWindow+sr.limit+1) }

// counted is a row of SearchCounted's statement: a result, or none when
// the page is empty (ID 0), with the count and the facets' keys; the
// first row also carries what a kept search holds (searches_kept.go).
type counted struct {
	ranked `bun:",extend"`
	Total  int     `bun:"total,scanonly"`
	Keys   *string `bun:"keys,scanonly"`
	// The matches read (a), comma-separated, in a's order: ids, dates,
	// Portuguese flags (t or f).
	KeptIDs   *string `bun:"kept_ids,scanonly"`
	KeptDates *string `bun:"kept_dates,scanonly"`
	KeptPts   *string `bun:"kept_pts,scanonly"`
	// Window is the ranked window in relevance order, "id rank date t|f"
	// apart by ","; nil when the statement ranked none.
	Window  *string `bun:"kept_window,scanonly"`
	Version int64   `bun:"version,scanonly"`
}

// SearchCounted returns the facets and count of the items matching sr
// (the cursor aside) and up to sr.limit+1 results after sr.after, in
// sr's order: Portuguese first if asked, then by relevance if asked,
// then newest first. The page is found by keyset (the order's values of
// the last result), never by OFFSET, so page 500 costs what page 1 does.
//
// One statement reads the first readSize matches once (a): one aggregate
// of them counts them and joins their facet keys (keys_text). Whole
// words by relevance, a search's first and most asked form, read them in
// the date order as two walks of it (walking its index when the planner
// expects many more matches than readSize, else through the indexes of
// the conditions and sorted): the window, the first rankWindow, ranked as
// they are read (w), then the rest from w's last (the page past the
// window, when the window does not fill it, is the start of that rest).
// Otherwise a also keeps the matches' ids, dates and Portuguese flags as
// arrays: by relevance (starts of words), a reads the first matches the
// database finds and the window comes from the arrays when they hold
// every match, else from a walk of the date order (win); by date, the
// page is sorted from the arrays when they hold every match, else read by
// walking the date order's index from the cursor.
//
// It was two statements: the count and facets, then a page that read the
// same matches again. For «proteção social» at 100,000 items the second
// read was about half of the search's CPU, each statement's planning
// another millisecond (docs/library.md, Speed).
//
// With keep, it also returns what the search's later pages and sorts
// need of it (the first readSize matches in the date order, the ranked
// window), to be kept (searches_kept.go), with the version of
// library_search read in the same statement; without, the kept search
// holds the count and facets only, and serves no page. Most searches are
// asked once: the lists cost a first search a fifth of its CPU.
func (s *Store) SearchCounted(ctx context.Context, sr search, keep bool) (facetRows, []ranked, *keptSearch, error) {
	// byRank: the first pages by relevance, whose window is the first
	// matches in the date order; any other page is by date. A search for
	// words reads its matches in the date order (ordered), whatever its
	// sort and page, so that past countCap its facets count the same
	// matches, the newest, when the reader changes sort or turns a page.
	// Not the starts of words: PostgreSQL estimates 'prot':* at 2,000 of
	// 100,000 items, where it starts a word of every one, and read in the
	// date order every match was then read and sorted (180 ms); a reads
	// the first matches the database finds, and the window comes from
	// the date order's index (win). Nor filters alone: a country and a
	// theme no item shares would walk the whole date order (below).
	byRank := sr.relevance && (sr.after == nil || !sr.after.Beyond)
	ordered := sr.text != "" && !strings.Contains(sr.text, ":*")
	var b stmt
	var order []string
	window := "NULL::text"
	if byRank && ordered {
		order, window = sr.rankedWalks(&b, keep)
	} else {
		order = sr.readOnce(&b, byRank, ordered)
		if byRank {
			window = "(SELECT string_agg(concat_ws(' ', w.item_id, w.rank, w.sort_date, w.in_portuguese), ','" +
				" ORDER BY " + desc("w", sr.rankKeys()) + ") FROM w)"
		}
	}
	// The page in order, numbered; the count and keys come with every
	// row (the keys on the first only), and alone when the page is empty.
	order = slices.Clone(order)
	for i, k := range order {
		if k == "beyond" {
			order[i] = "p.beyond"
		} else {
			order[i] = "p." + k + " DESC"
		}
	}
	b.add("pp AS (SELECT p.*, row_number() OVER (ORDER BY " + strings.Join(order, ", ") + ") AS ord FROM p) ")
	first := "CASE WHEN pp.ord IS NULL OR pp.ord = 1 THEN "
	lists := func(expr string) string { return first + expr + " END" }
	if !keep {
		lists = func(string) string { return "NULL::text" }
	}
	b.add("?", s.db.NewSelect().Model((*counted)(nil)).
		ColumnExpr("?TableColumns, pp.rank, pp.beyond, a.total, "+first+"a.keys END AS keys").
		ColumnExpr(lists("array_to_string(a.ids, ',')")+" AS kept_ids, "+lists("array_to_string(a.dates, ',')")+" AS kept_dates").
		ColumnExpr(lists("array_to_string(a.pts, ',')")+" AS kept_pts, "+lists(window)+" AS kept_window").
		ColumnExpr(libraryVersion+" AS version").
		Join("JOIN pp ON pp.item_id = li.id").Join("RIGHT JOIN a ON pp.ord <= ?", sr.limit+1).OrderExpr("pp.ord"))
	var rows []counted
	if err := s.db.NewRaw(b.sql.String(), b.args...).Scan(ctx, &rows); err != nil {
		return facetRows{}, nil, nil, wrap(err, "search %q", sr.text)
	}
	if len(rows) == 0 {
		return facetRows{}, nil, nil, wrap(errors.New("no count"), "search %q", sr.text)
	}
	keys := ""
	if rows[0].Keys != nil {
		keys = *rows[0].Keys
	}
	f := countKeys(keys, countCap)
	f.matches, f.more = min(rows[0].Total, countCap), rows[0].Total > countCap
	page := make([]ranked, 0, len(rows))
	for _, r := range rows {
		if r.ID != 0 {
			page = append(page, r.ranked)
		}
	}
	k := &keptSearch{version: rows[0].Version, facets: cloneFacets(f), read: rows[0].Total}
	if keep {
		var err error
		if k, err = newKeptSearch(sr, f, &rows[0], ordered, byRank); err != nil {
			return facetRows{}, nil, nil, wrap(err, "search %q", sr.text)
		}
	}
	return f, page, k, nil
}

// rankedWalks writes the statement's a and p for whole words by
// relevance (SearchCounted) and returns p's order and the ranked window
// as text (kept_window). One walk of the date order in two parts: w, the
// window, the first rankWindow matches with their rank, computed from the
// vector the walk has just read; then the rest of the first readSize from
// w's last, which a counts with w. It was one walk of readSize into
// arrays, whose first rankWindow ids were then read again by primary key
// to be ranked, the page taken from the arrays. Not one walk numbered by
// row_number(): the window function copies every row it numbers, vector
// and all, which cost more than reading the window again. Nor the rest as
// a CTE that a and the page past the window both read: writing its rows
// down cost more (0.3 ms) than planning a third scan saved. The rest, and
// the page past the window, run only when the window is full (one-time
// filters on w's count): with fewer matches there are no more, and they
// would walk the date order past the last match once more.
func (sr search) rankedWalks(b *stmt, keep bool) ([]string, string) {
	where, whereArgs := sr.where()
	dkeys, limit, size := sr.dateKeys(), sr.limit+1, sr.readSize()
	asc := strings.ReplaceAll(desc("w", dkeys), " DESC", "")
	// after: past w's last match in the date order, a row comparison of
	// the date order's index; NULL (nothing) when w is empty.
	lasts := make([]string, len(dkeys))
	for i, k := range dkeys {
		lasts[i] = "(SELECT l." + k + " FROM l)"
	}
	after := fmt.Sprintf("(SELECT count(*) FROM w) = %d AND (%s) < (%s)", rankWindow, cols("ls", dkeys), strings.Join(lasts, ", "))
	b.add("WITH w AS (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, ls.keys_text, ts_rank(ls.search, library_tsquery(?)) AS rank", sr.text)
	b.add(" FROM library_search AS ls WHERE "+where, whereArgs...)
	b.add(fmt.Sprintf(" ORDER BY %s LIMIT %d), ", desc("ls", dkeys), rankWindow))
	b.add("l AS (SELECT " + cols("w", dkeys) + " FROM w ORDER BY " + asc + " LIMIT 1), ")
	// a: how many (countCap+1 and more: more than countCap) and the
	// keys of each, counted in Go: PostgreSQL's unnest and GROUP BY of the
	// same 10,000 numbers cost twice the read of them. The arrays only to
	// be kept; every aggregate reads the rows in the union's order, the
	// date order, so they are aligned.
	b.add("a AS (SELECT count(*) AS total, coalesce(string_agg(x.keys_text, ';'), '') AS keys")
	if keep {
		b.add(", coalesce(array_agg(x.item_id), '{}') AS ids, coalesce(array_agg(x.sort_date), '{}') AS dates," +
			" coalesce(array_agg(x.in_portuguese), '{}') AS pts")
	}
	b.add(" FROM ((SELECT w.item_id, w.in_portuguese, w.sort_date, w.keys_text FROM w) UNION ALL")
	b.add(" (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, ls.keys_text FROM library_search AS ls WHERE "+where, whereArgs...)
	b.add(fmt.Sprintf(" AND %s ORDER BY %s LIMIT %d)) AS x), ", after, desc("ls", dkeys), size-rankWindow))
	// r: the window's page by rank after the cursor; then, only when r
	// is not a page, the matches past the window in the date order.
	order := sr.rankKeys()
	cur, curArgs := sr.past("w", order)
	b.add("r AS (SELECT w.item_id, w.in_portuguese, w.sort_date, w.rank, false AS beyond FROM w WHERE "+cur, curArgs...)
	b.add(" ORDER BY "+desc("w", order)+" LIMIT ?), ", limit)
	b.add("p AS (SELECT * FROM r UNION ALL (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, 0::real, true"+
		" FROM library_search AS ls WHERE "+where, whereArgs...)
	b.add(" AND (SELECT count(*) FROM r) < ? AND "+after+" ORDER BY "+desc("ls", dkeys)+" LIMIT ?)), ", limit, limit)
	window := "(SELECT string_agg(concat_ws(' ', w.item_id, w.rank, w.sort_date, w.in_portuguese), ','" +
		" ORDER BY " + desc("w", order) + ") FROM w)"
	return append([]string{"beyond"}, order...), window
}

// readOnce writes the statement's a and p for every search but whole
// words by relevance (SearchCounted), and returns p's order: a reads the
// first readSize matches once, into arrays that the window (w) and the
// page come from.
func (sr search) readOnce(b *stmt, byRank, ordered bool) []string {
	where, whereArgs := sr.where()
	dkeys, limit, size := sr.dateKeys(), sr.limit+1, sr.readSize()
	// a: how many (countCap+1 and more: more than countCap), the keys of
	// each as one text of numbers (rows apart by ";"), counted in Go.
	// Every aggregate reads the rows in the subquery's order, so the
	// arrays are in the date order, aligned.
	b.add("WITH a AS (SELECT count(*) AS total, coalesce(string_agg(x.keys_text, ';'), '') AS keys,")
	b.add(" coalesce(array_agg(x.item_id), '{}') AS ids, coalesce(array_agg(x.sort_date), '{}') AS dates,")
	b.add(" coalesce(array_agg(x.in_portuguese), '{}') AS pts")
	b.add(" FROM (SELECT ls.item_id, ls.in_portuguese, ls.sort_date, ls.keys_text FROM library_search AS ls WHERE "+where, whereArgs...)
	if ordered {
		b.add(" ORDER BY " + desc("ls", dkeys))
	}
	b.add(" LIMIT ?) AS x), ", size)
	// matches(from, to) are the matches numbered from to to (n) in the
	// date order, from the arrays.
	matches := func(from, to int) string {
		return fmt.Sprintf("(SELECT u.* FROM a, unnest(a.ids[%[1]d:%[2]d], a.dates[%[1]d:%[2]d], a.pts[%[1]d:%[2]d])"+
			" WITH ORDINALITY AS u(item_id, sort_date, in_portuguese, n))", from, to)
	}
	// dated(from, to) are the matches numbered from to to in the date
	// order: from the arrays when a is ordered; else (win) sorted from
	// them when they hold every match, or read by walking the date
	// order's index, the count deciding in one-time filters.
	dated := matches
	if byRank && !ordered {
		k := rankWindow + limit
		b.add("win AS (SELECT v.*, row_number() OVER (ORDER BY " + desc("v", dkeys) + ") AS n FROM ((SELECT m.item_id, m.in_portuguese, m.sort_date")
		b.add(" FROM "+matches(1, size)+" AS m WHERE (SELECT a.total FROM a) < ? ORDER BY "+desc("m", dkeys)+" LIMIT ?)", size, k)
		b.add(" UNION ALL (SELECT ls.item_id, ls.in_portuguese, ls.sort_date FROM library_search AS ls WHERE "+where, whereArgs...)
		b.add(" AND (SELECT a.total FROM a) >= ? ORDER BY "+desc("ls", dkeys)+" LIMIT ?)) AS v), ", size, k)
		dated = func(from, to int) string {
			return fmt.Sprintf("(SELECT * FROM win WHERE win.n BETWEEN %d AND %d)", from, to)
		}
	}
	if byRank {
		// w: the window, the first rankWindow matches, ranked; r: its
		// page by rank after the cursor; then, only when r is not a
		// page, the matches past the window in the date order.
		order := sr.rankKeys()
		cur, curArgs := sr.past("w", order)
		b.add("w AS (SELECT m.item_id, m.in_portuguese, m.sort_date, ts_rank(ls.search, library_tsquery(?)) AS rank", sr.text)
		b.add(" FROM " + dated(1, rankWindow) + " AS m JOIN library_search AS ls ON ls.item_id = m.item_id), ")
		b.add("r AS (SELECT w.*, false AS beyond FROM w WHERE "+cur, curArgs...)
		b.add(" ORDER BY "+desc("w", order)+" LIMIT ?), ", limit)
		b.add("p AS (SELECT * FROM r UNION ALL (SELECT m.item_id, m.in_portuguese, m.sort_date, 0::real, true")
		b.add(" FROM "+dated(rankWindow+1, rankWindow+limit)+" AS m WHERE (SELECT count(*) FROM r) < ? ORDER BY m.n)), ", limit)
		return append([]string{"beyond"}, order...)
	}
	// The page in the date order: when a holds every match (few), sorted
	// from its arrays, which costs what the matches do; else the date
	// order's index walked from the cursor, which costs what the page
	// does. The count decides, in one-time filters, as the planner
	// cannot: a country and a theme no item shares are estimated at
	// hundreds of matches, and a walk then visits every item (190 ms at
	// 100,000 items).
	cur, curArgs := sr.past("m", dkeys)
	b.add("p AS ((SELECT m.item_id, m.in_portuguese, m.sort_date, 0::real AS rank, ?::boolean AS beyond", sr.relevance)
	b.add(" FROM "+matches(1, size)+" AS m WHERE (SELECT a.total FROM a) < ? AND "+cur, append([]any{size}, curArgs...)...)
	b.add(" ORDER BY "+desc("m", dkeys)+" LIMIT ?) UNION ALL (", limit)
	sr.walk(b, sr.relevance)
	b.add(" AND (SELECT a.total FROM a) >= ? ORDER BY "+desc("ls", dkeys)+" LIMIT ?)), ", size, limit)
	return dkeys
}

// keptRow is a row of keptPageSQL: an item of a kept search's page, or
// none (ID 0), with the version of library_search.
type keptRow struct {
	ranked  `bun:",extend"`
	Version int64 `bun:"version,scanonly"`
}

// keptPageSQL reads the items $1 (ids) in their order, and the version of
// library_search in the same snapshot: the one statement of a search whose
// count, facets and order are kept. Prepared: it is the same text for every
// search.
var keptPageSQL = postgres.NewText(func(db bun.IDB) string { return keptPageSelect(db, "?TableColumns") })

// keptRowsSQL is keptPageSQL reading only what a result row shows and
// the page's cursor needs: scanning whole items (every column, arrays,
// times) made KeptPage 29% of the server's CPU on a kept «proteção
// social» page, 19% with these columns (pprof at 100,000 items).
var keptRowsSQL = postgres.NewText(func(db bun.IDB) string {
	return keptPageSelect(db, "li.id, li.type, li.status, li.title, li.abstract, li.language, li.countries, li.year,"+
		" li.sort_date, li.in_portuguese")
})

func keptPageSelect(db bun.IDB, columns string) string {
	return postgres.ByIDsWithVersion(db.NewSelect().Model((*keptRow)(nil)), "li", columns, libraryVersion, "version")
}

// libraryVersion is the version of library_search, its row of
// list_versions (migrations 20261203100000, 20261205300100): raised once
// by every transaction that changes library_search; 0 before its first
// change.
const libraryVersion = "coalesce((SELECT v.version FROM list_versions AS v WHERE v.name = 'library_search'), 0)"

// KeptPage returns the published items ids in their order (fewer when
// some are gone) and the version of library_search they were read at;
// with rows, only what a result row shows (Query.Rows).
func (s *Store) KeptPage(ctx context.Context, ids []int64, rows bool) ([]ranked, int64, error) {
	text := keptPageSQL
	if rows {
		text = keptRowsSQL
	}
	// Sized for the page and the version's row: grown from empty, a
	// slice of whole rows was copied five times (a third of a page's bytes).
	read := make([]keptRow, 0, len(ids)+1)
	if err := postgres.Select(ctx, s.db, &read, text.SQL(s.db), postgres.Int64Array(ids)); err != nil {
		return nil, 0, wrap(err, "kept page")
	}
	if len(read) == 0 {
		return nil, 0, wrap(errors.New("no version"), "kept page")
	}
	page := make([]ranked, 0, len(read))
	for _, r := range read {
		if r.ID != 0 {
			page = append(page, r.ranked)
		}
	}
	return page, read[0].Version, nil
}

// facetRow is one value of one facet with its count.
type facetRow struct {
	Facet string `bun:"facet"`
	Value string `bun:"value"`
	Count int    `bun:"count"`
}

// CountCap is how many matches a search counts, with their facets: a
// search with more says "more than CountCap" and its facets count the
// first CountCap matches, lower bounds of the true counts: for words the
// newest in the reader's date order, whatever the sort or page. Counting 10,000 matches cost about 30 ms on an idle core, 2,000
// about 5 (docs/library.md, Speed).
const CountCap = 2_000

// countCap is CountCap, a variable for tests.
var countCap = CountCap

// countKeys counts the facet keys of the first n matches, keys a text
// of their numbers, comma-separated, each match's apart by ";". Read
// byte by byte into counters by key: splitting and a map of 10,000
// numbers were a tenth of the server's time for a common word.
func countKeys(keys string, n int) facetRows {
	var dense [keyCountry + 26*26]int // types, languages, countries
	sparse := map[int]int{}           // years, themes
	k, digits, match := 0, false, 0
	count := func() {
		switch {
		case !digits:
		case k < len(dense):
			dense[k]++
		default:
			sparse[k]++
		}
		k, digits = 0, false
	}
	for i := 0; i < len(keys) && match < n; i++ {
		switch c := keys[i]; {
		case c >= '0' && c <= '9':
			k, digits = k*10+int(c-'0'), true
		case c == ';':
			count()
			match++
		default:
			count()
		}
	}
	if match < n {
		count()
	}
	var rows []facetRow
	add := func(k, n int) {
		if n == 0 {
			return
		}
		if facet, value := facetOfKey(k); facet != "" {
			rows = append(rows, facetRow{Facet: facet, Value: value, Count: n})
		}
	}
	for k, n := range dense {
		add(k, n)
	}
	for k, n := range sparse {
		add(k, n)
	}
	return groupFacets(rows)
}

// LibraryFacets are the facets of the whole library: the counts kept by
// the trigger of migration 20261201230100, not a count of every item.
func (s *Store) LibraryFacets(ctx context.Context) (facetRows, error) {
	var rows []facetRow
	if err := s.db.NewRaw(`SELECT facet, value, count FROM library_facet_counts WHERE count > 0`).Scan(ctx, &rows); err != nil {
		return facetRows{}, wrap(err, "facet counts")
	}
	f := groupFacets(rows)
	for _, v := range f.Type {
		f.matches += v.Count // every item has one type
	}
	return f, nil // every item counted, however many
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
