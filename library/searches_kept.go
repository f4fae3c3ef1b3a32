package library

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Searches kept: what a search with words or filters reads that does not
// depend on its page or sort (the count, the facets, the first matches in
// the date order, the ranked window in relevance order) is kept by the
// process, so that asking the same search again (the next page, the other
// sort, another reader) reads only the page's items. That statement reads
// library_search's version too (its row of list_versions, migrations
// 20261203100000 and 20261205300100), which every change to
// library_search raises in its transaction, from any process:
// the kept search is used only when the version it was read at is still
// the current one, else it is dropped and the search runs whole. So a page
// from a kept search is the page the whole search would give, and an item
// published or withdrawn shows at once, on every process.
//
// At 100,000 items «proteção social» cost about 11.5 ms of CPU per request
// (server and PostgreSQL) with its statement, most of it walking the date
// order past 9,400 items and counting 2,000 matches' facets; from a kept
// search, one statement of 21 primary-key reads (docs/library.md, Speed).
//
// Most searches are asked once, and reading the lists a kept search holds
// cost a first search a fifth of its CPU: its first ask keeps only its
// count and facets (a keptSearch that holds no page), which mark it as
// asked; the second ask reads the lists, and the later ones come from them.

// SearchesKept is how long a search read whole serves later requests at
// most; the version decides whether it still holds, this bounds the memory
// of searches no one asks again, and what a write made with the triggers
// off (a restore) could leave stale.
const SearchesKept = time.Minute

// keptMax is how many searches a process keeps: each holds up to
// readSize matches of 24 bytes and the ranked window, about 60 kB.
const keptMax = 128

// listed is a match as an order and a cursor see it.
type listed struct {
	id   int64
	day  int32 // sort_date as days since 1970-01-01
	pt   bool  // in Portuguese
	rank float32
}

// keptSearch is what SearchCounted read of a search that serves its other
// pages and sorts.
type keptSearch struct {
	version int64
	facets  facetRows
	// read is how many matches the statement read (a.total: up to
	// readSize).
	read int
	// dated are the first read matches in the date order (dateKeys) when
	// inDateOrder: every match when read < readSize, else the first
	// readSize. Matches read in no order past readSize (starts of words,
	// filters alone) give no date order: those pages run whole.
	dated       []listed
	inDateOrder bool
	// ranked is the ranked window in relevance order (rankKeys), when
	// the statement ranked it (hasRanked).
	ranked    []listed
	hasRanked bool
	until     time.Time
}

// newKeptSearch is the kept search of sr from the first row of its
// statement; f are its facets.
func newKeptSearch(sr search, f facetRows, row *counted, ordered, byRank bool) (*keptSearch, error) {
	k := &keptSearch{version: row.Version, facets: cloneFacets(f), read: row.Total, hasRanked: byRank}
	var err error
	if k.dated, err = parseListed(row.KeptIDs, row.KeptDates, row.KeptPts); err != nil {
		return nil, err
	}
	if len(k.dated) != k.read {
		return nil, fmt.Errorf("kept %d matches of %d", len(k.dated), k.read)
	}
	switch {
	case ordered:
		k.inDateOrder = true
	case k.read < sr.readSize():
		// Every match, read in the order found: sorted as the date order.
		k.inDateOrder = true
		keys := sr.dateKeys()
		slices.SortFunc(k.dated, func(a, b listed) int {
			switch {
			case before(a, b, keys):
				return -1
			case before(b, a, keys):
				return 1
			}
			return 0
		})
	}
	if !k.inDateOrder {
		k.dated = nil
	}
	if byRank && row.Window != nil && *row.Window != "" {
		for _, e := range strings.Split(*row.Window, ",") {
			f := strings.Split(e, " ")
			if len(f) != 4 {
				return nil, fmt.Errorf("kept window entry %q", e)
			}
			id, err1 := strconv.ParseInt(f[0], 10, 64)
			rank, err2 := strconv.ParseFloat(f[1], 32)
			day, err3 := parseDay(f[2])
			if err := errors.Join(err1, err2, err3); err != nil {
				return nil, fmt.Errorf("kept window entry %q: %w", e, err)
			}
			k.ranked = append(k.ranked, listed{id: id, day: day, pt: f[3] == "t", rank: float32(rank)})
		}
	}
	return k, nil
}

// parseListed reads the matches of a statement's three comma-separated
// lists (nil: none).
func parseListed(ids, dates, pts *string) ([]listed, error) {
	if ids == nil || *ids == "" {
		return nil, nil
	}
	if dates == nil || pts == nil {
		return nil, errors.New("kept matches without dates")
	}
	idList, dateList, ptList := strings.Split(*ids, ","), strings.Split(*dates, ","), strings.Split(*pts, ",")
	if len(dateList) != len(idList) || len(ptList) != len(idList) {
		return nil, errors.New("kept matches of unequal lists")
	}
	out := make([]listed, len(idList))
	for i := range idList {
		id, err := strconv.ParseInt(idList[i], 10, 64)
		if err != nil {
			return nil, err
		}
		day, err := parseDay(dateList[i])
		if err != nil {
			return nil, err
		}
		out[i] = listed{id: id, day: day, pt: ptList[i] == "t"}
	}
	return out, nil
}

// parseDay is the ISO date s (PostgreSQL's output, "2024-05-31") as
// days since 1970-01-01.
func parseDay(s string) (int32, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return int32(t.Unix() / 86400), nil
}

// before reports whether a comes before b in the order of keys (each
// descending), as SQL's row comparison (b's keys) < (a's keys) says.
func before(a, b listed, keys []string) bool {
	for _, k := range keys {
		switch k {
		case "in_portuguese":
			if a.pt != b.pt {
				return a.pt
			}
		case "rank":
			if a.rank != b.rank {
				return a.rank > b.rank
			}
		case "sort_date":
			if a.day != b.day {
				return a.day > b.day
			}
		case "item_id":
			if a.id != b.id {
				return a.id > b.id
			}
		}
	}
	return false
}

// placed is a result of a page from a kept search.
type placed struct {
	listed
	beyond bool
}

// page is sr's page from k, up to sr.limit+1 results after sr's cursor
// in SearchCounted's order; false when k does not hold all of it.
func (k *keptSearch) page(sr search) ([]placed, bool) {
	limit := sr.limit + 1
	var at listed
	if c := sr.after; c != nil {
		day, err := parseDay(c.Date)
		if err != nil {
			return nil, false
		}
		at = listed{id: c.ID, day: day, pt: c.Portuguese, rank: c.Rank}
	}
	// past: x comes after the cursor in the order of keys.
	past := func(x listed, keys []string) bool { return sr.after == nil || before(at, x, keys) }
	var out []placed
	if sr.relevance && (sr.after == nil || !sr.after.Beyond) {
		// The window's page by rank, then, while it is not a page, the
		// matches past the window in the date order.
		if !k.hasRanked {
			return nil, false
		}
		keys := sr.rankKeys()
		for _, x := range k.ranked {
			if len(out) == limit {
				break
			}
			if past(x, keys) {
				out = append(out, placed{listed: x})
			}
		}
		if len(out) < limit && k.read > rankWindow {
			if !k.inDateOrder {
				return nil, false
			}
			for _, x := range k.dated[rankWindow:min(len(k.dated), rankWindow+limit-len(out))] {
				x.rank = 0
				out = append(out, placed{listed: x, beyond: true})
			}
		}
		return out, true
	}
	// By date: the kept start of the date order after the cursor, when it
	// holds a page or every match.
	if !k.inDateOrder {
		return nil, false
	}
	keys := sr.dateKeys()
	i := 0
	for i < len(k.dated) && !past(k.dated[i], keys) {
		i++
	}
	for _, x := range k.dated[i:min(len(k.dated), i+limit)] {
		out = append(out, placed{listed: x, beyond: sr.relevance})
	}
	if len(out) < limit && k.read >= sr.readSize() {
		return nil, false // the rest is past what was read
	}
	return out, true
}

// cloneFacets is f with slices of its own: Search labels its themes in
// place.
func cloneFacets(f facetRows) facetRows {
	f.Country, f.Theme, f.Language = slices.Clone(f.Country), slices.Clone(f.Theme), slices.Clone(f.Language)
	f.Type, f.Year = slices.Clone(f.Type), slices.Clone(f.Year)
	return f
}

// keptKey names what a kept search depends on: the words and filters,
// the order of the Portuguese, and the window and read sizes.
func (sr search) keptKey() string {
	return fmt.Sprintf("%q %q %q %v %q %d %d %t %d %d", sr.text, sr.countries, sr.languages, sr.themes, sr.typ,
		sr.yearFrom, sr.yearTo, sr.portugueseFirst, rankWindow, sr.readSize())
}

// keptSearches are a process's kept searches by keptKey.
type keptSearches struct {
	mu    sync.Mutex
	byKey map[string]*keptSearch
	off   bool // tests: every search runs whole
}

func (ks *keptSearches) get(key string, now time.Time) *keptSearch {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	k := ks.byKey[key]
	if k == nil || ks.off || !now.Before(k.until) {
		return nil
	}
	return k
}

// holdsPages says whether k keeps a list of matches its later pages read
// (a search asked at least twice), not only its count and facets.
func (k *keptSearch) holdsPages() bool { return k.dated != nil || k.ranked != nil }

// put keeps k under key, first making room: searches past their time,
// else the one kept first of those asked once, else the one kept first.
func (ks *keptSearches) put(key string, k *keptSearch, now time.Time) {
	if k == nil {
		return
	}
	k.until = now.Add(SearchesKept)
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.off {
		return
	}
	if ks.byKey == nil {
		ks.byKey = map[string]*keptSearch{}
	}
	if _, ok := ks.byKey[key]; !ok && len(ks.byKey) >= keptMax {
		// A search asked once holds no pages and costs little to ask
		// again: a flood of new searches pushes out one another before
		// the searches asked again, whose pages they hold.
		oldest, oldestBare := "", ""
		for key, o := range ks.byKey {
			switch {
			case !now.Before(o.until):
				delete(ks.byKey, key)
			case !o.holdsPages():
				if oldestBare == "" || o.until.Before(ks.byKey[oldestBare].until) {
					oldestBare = key
				}
			case oldest == "" || o.until.Before(ks.byKey[oldest].until):
				oldest = key
			}
		}
		if len(ks.byKey) >= keptMax {
			if oldestBare != "" {
				oldest = oldestBare
			}
			delete(ks.byKey, oldest)
		}
	}
	ks.byKey[key] = k
}

// drop forgets every kept search: the library changed.
func (ks *keptSearches) drop() {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	clear(ks.byKey)
}

// searchCounted is Store.SearchCounted through the searches kept, with
// its fall back to starts of words (Search): the facets and a page of sr,
// and whether the words were matched as starts of words.
func (s *Service) searchCounted(ctx context.Context, sr search, prefix bool, prefixText string) (facetRows, []ranked, bool, error) {
	wantsPrefix := func(f facetRows) bool {
		return !prefix && sr.text != prefixText && !f.more && f.matches < prefixBelow
	}
	if f, page, pre, ok, err := s.fromKept(ctx, sr, prefix, prefixText, wantsPrefix); err != nil || ok {
		return f, page, pre, err
	}
	store := NewStore(s.db)
	run := func(sr search) (facetRows, []ranked, error) {
		// What a later page needs is read only when the search was asked
		// before (its count and facets are kept, ks.get): most searches
		// are asked once.
		key := sr.keptKey()
		f, page, k, err := store.SearchCounted(ctx, sr, s.searches.get(key, s.now()) != nil)
		if err != nil {
			return facetRows{}, nil, err
		}
		s.searches.put(key, k, s.now())
		return f, page, nil
	}
	f, page, err := run(sr)
	if err != nil {
		return facetRows{}, nil, false, err
	}
	if wantsPrefix(f) {
		prefix, sr.text = true, prefixText
		if f, page, err = run(sr); err != nil {
			return facetRows{}, nil, false, err
		}
	}
	return f, page, prefix, nil
}

// fromKept is searchCounted from kept searches, in one statement that
// reads the page's items; ok false when they do not hold the page or are
// no longer current.
func (s *Service) fromKept(ctx context.Context, sr search, prefix bool, prefixText string, wantsPrefix func(facetRows) bool) (
	facetRows, []ranked, bool, bool, error) {
	now := s.now()
	k := s.searches.get(sr.keptKey(), now)
	if k == nil {
		return facetRows{}, nil, false, false, nil
	}
	if wantsPrefix(k.facets) {
		version := k.version
		sr.text, prefix = prefixText, true
		if k = s.searches.get(sr.keptKey(), now); k == nil || k.version != version {
			return facetRows{}, nil, false, false, nil
		}
	}
	results, held := k.page(sr)
	if !held {
		return facetRows{}, nil, false, false, nil
	}
	ids := make([]int64, len(results))
	for i, r := range results {
		ids[i] = r.id
	}
	items, version, err := NewStore(s.db).KeptPage(ctx, ids, sr.rows)
	if err != nil {
		return facetRows{}, nil, false, false, err
	}
	if version != k.version || len(items) != len(results) {
		s.searches.drop()
		return facetRows{}, nil, false, false, nil
	}
	for i := range items {
		items[i].Rank, items[i].Beyond = results[i].rank, results[i].beyond
	}
	return cloneFacets(k.facets), items, prefix, true, nil
}
