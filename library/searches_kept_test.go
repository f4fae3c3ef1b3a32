package library_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestKeptSearchesGiveTheWholeSearchesPages: every page of a search, by
// relevance and by date, Portuguese first or not, words, starts of words
// and filters alone, is the same (items, count, facets, next page) from
// the searches a process keeps as from the search run whole, also across
// the ranked window and past what a search reads.
func TestKeptSearchesGiveTheWholeSearchesPages(t *testing.T) {
	e := newEnv(t)
	whole := newEnvAt(t, e.db, nil)
	defer library.KeepNoSearches(whole.lib)()
	tag := unique("kp")
	e.seedSearch(tag, 90)
	queries := []library.Query{
		{Text: tag},
		{Text: tag, PortugueseFirst: true},
		{Text: tag, Sort: library.SortDate},
		{Text: tag, Sort: library.SortDate, PortugueseFirst: true},
		{Text: "pensões " + tag, Countries: []string{"MZ"}},
		{Text: tag[:len(tag)-1]}, // starts of words: whole words find none
		{Text: tag, Countries: []string{"BR"}, Themes: []string{"1"}},
	}
	for _, limits := range [][2]int{{library.CountCap, library.CountCap}, {13, 40}} {
		restore := library.SetSearchLimits(limits[0], limits[1])
		for _, q := range queries {
			q.Limit = 7
			for round := range 2 { // the second from kept first pages too
				pages := 0
				for first := true; first || q.After != ""; first = false {
					got, want := e.search(q), whole.search(q)
					if !slices.Equal(ids(got), ids(want)) || got.Total != want.Total || got.More != want.More ||
						got.Next != want.Next || !maps(facetMap(got.Facets), facetMap(want.Facets)) {
						t.Fatalf("limits %v round %d %+v:\nkept  %v total %d more %v next %q\nwhole %v total %d more %v next %q",
							limits, round, q, ids(got), got.Total, got.More, got.Next,
							ids(want), want.Total, want.More, want.Next)
					}
					q.After = got.Next
					if pages++; pages > 100 {
						t.Fatal("pages never end")
					}
				}
				if pages < 2 && q.Countries == nil {
					t.Errorf("%+v: %d page", q, pages)
				}
			}
		}
		restore()
	}
}

// TestKeptSearchRowsHoldWhatARowShows: a page the library page asks for
// as rows (Query.Rows) and kept searches give has, item by item, what a
// result row shows and the next page as the whole search reads them.
func TestKeptSearchRowsHoldWhatARowShows(t *testing.T) {
	e := newEnv(t)
	whole := newEnvAt(t, e.db, nil)
	defer library.KeepNoSearches(whole.lib)()
	tag := unique("kr")
	e.seedSearch(tag, 40)
	type row struct {
		id         int64
		typ        library.Type
		status     library.Status
		title, abs string
		lang       string
		countries  string
		year       int
	}
	rows := func(res *library.Results) []row {
		var out []row
		for _, it := range res.Items {
			out = append(out, row{it.ID, it.Type, it.Status, it.Title, it.Abstract, it.Language,
				strings.Join(it.Countries, ","), it.Year})
		}
		return out
	}
	for _, q := range []library.Query{{Text: tag}, {Text: tag, Sort: library.SortDate, PortugueseFirst: true}} {
		q.Limit = 7
		for round := range 2 { // the second from the kept search's first page too
			pages := 0
			for first := true; first || q.After != ""; first = false {
				q.Rows = true
				got := e.search(q)
				q.Rows = false
				want := whole.search(q)
				if !slices.Equal(rows(got), rows(want)) || got.Next != want.Next {
					t.Fatalf("round %d %+v:\nrows  %v next %q\nwhole %v next %q", round, q, rows(got), got.Next, rows(want), want.Next)
				}
				if len(got.Items) > 0 && got.Items[0].Countries == nil {
					t.Fatalf("%+v: no countries", q)
				}
				q.After = got.Next
				pages++
			}
			if pages < 5 {
				t.Fatalf("%+v: %d pages", q, pages)
			}
		}
	}
}

// TestKeptSearchSeesAnotherProcessesChange: a search kept by one process
// is read again in one statement of the page's items while the library
// does not change, and shows an item another process published or
// withdrew at once.
func TestKeptSearchSeesAnotherProcessesChange(t *testing.T) {
	e := newEnv(t)
	other := newEnvAt(t, e.db, nil)
	tag := unique("kc")
	e.seedSearch(tag, 30)
	q := library.Query{Text: tag, Sort: library.SortDate}
	before := e.search(q)
	e.search(q) // asked again: what its pages need is read, to be kept
	log := &testdb.QueryLog{}
	e.db.AddQueryHook(log)
	if again := e.search(q); !slices.Equal(ids(again), ids(before)) || again.Total != before.Total {
		t.Fatalf("again: %v (%d), first %v (%d)", ids(again), again.Total, ids(before), before.Total)
	}
	if sqls := log.Queries(); len(sqls) != 1 || strings.Contains(sqls[0], "library_tsquery") {
		t.Errorf("a kept search ran %d statements: %v", len(sqls), sqls)
	}

	librarian := other.user(accounts.RoleAdmin)
	p := params("Proteção " + tag)
	p.Year = 2100 // the newest: first by date
	it := other.item(librarian, p)
	res := e.search(q)
	if res.Total != before.Total+1 || len(res.Items) == 0 || res.Items[0].ID != it.ID {
		t.Fatalf("after another process published %d: total %d (was %d), first %v", it.ID, res.Total, before.Total, ids(res))
	}
	if _, err := other.lib.Withdraw(context.Background(), librarian, it.ID); err != nil {
		t.Fatal(err)
	}
	res = e.search(q)
	if res.Total != before.Total || slices.Contains(ids(res), it.ID) {
		t.Fatalf("after another process withdrew %d: total %d (was %d), items %v", it.ID, res.Total, before.Total, ids(res))
	}
}

// TestSearchAskedOnceReadsNoPages: a search asked for the first time,
// as most are, reads its count, facets and page only; asked again (the
// next page, the other sort), it reads what its pages need too; from then
// on its pages are one statement of the page's items. Every answer is the
// search's.
func TestSearchAskedOnceReadsNoPages(t *testing.T) {
	e := newEnv(t)
	whole := newEnvAt(t, e.db, nil)
	defer library.KeepNoSearches(whole.lib)()
	tag := unique("ko")
	e.seedSearch(tag, 30)
	if _, err := e.lib.Themes(context.Background()); err != nil { // kept by the process
		t.Fatal(err)
	}
	log := &testdb.QueryLog{}
	e.db.AddQueryHook(log)
	q := library.Query{Text: tag, YearFrom: 2000, YearTo: 2100, Limit: 7}
	for i, want := range []struct {
		statements int
		lists      bool
	}{{1, false}, {1, true}, {1, false}, {1, false}} {
		if i == 3 {
			q.After = e.search(q).Next // the second page, from what was kept
		}
		log.Reset()
		got := e.search(q)
		sqls := log.Queries()
		if all := whole.search(q); !slices.Equal(ids(got), ids(all)) || got.Total != all.Total || got.Next != all.Next {
			t.Fatalf("ask %d: %v (%d), the search gives %v (%d)", i+1, ids(got), got.Total, ids(all), all.Total)
		}
		if len(sqls) != want.statements {
			t.Fatalf("ask %d ran %d statements: %v", i+1, len(sqls), sqls)
		}
		if lists := strings.Contains(sqls[0], "array_to_string(a.ids"); lists != want.lists {
			t.Errorf("ask %d read what later pages need: %v, want %v", i+1, lists, want.lists)
		}
		if i >= 2 && strings.Contains(sqls[0], "library_tsquery") {
			t.Errorf("ask %d searched again: %s", i+1, sqls[0])
		}
	}
}

// TestLibraryVersionRaisedOncePerTransaction: the version that kept
// searches are checked against (the row library_search of list_versions)
// moves once for a transaction that changes many items, also when a
// savepoint that raised it was rolled back, and never for a rolled back
// transaction; other lists' versions still move with every statement.
func TestLibraryVersionRaisedOncePerTransaction(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.user(accounts.RoleAdmin)
	a, b := e.item(admin, params("Proteção "+unique("v"))), e.item(admin, params("Pensões "+unique("v")))
	version := func(name string) int64 {
		t.Helper()
		var n int64
		if err := e.db.NewRaw(`SELECT coalesce((SELECT version FROM list_versions WHERE name = ?), 0)`, name).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	run := func(commit bool, stmts ...string) {
		t.Helper()
		tx, err := e.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s, a.ID, b.ID); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	edit := `UPDATE library_items SET year = year + 1 WHERE id IN (?, ?)`
	one := `UPDATE library_items SET year = year + 1 WHERE id = ? OR id = ?`
	before := version("library_search")
	run(true, edit, one, edit)
	if got := version("library_search"); got != before+1 {
		t.Fatalf("three changes in one transaction: version %d, want %d", got, before+1)
	}
	run(true, "SAVEPOINT s", edit, "ROLLBACK TO SAVEPOINT s", one)
	if got := version("library_search"); got != before+2 {
		t.Fatalf("a change after a rolled back savepoint: version %d, want %d", got, before+2)
	}
	run(false, edit)
	if got := version("library_search"); got != before+2 {
		t.Fatalf("a rolled back change: version %d, want %d", got, before+2)
	}
	inst := version("institutions")
	rename := `UPDATE institutions SET name = name || '' WHERE id = (SELECT min(id) FROM institutions) AND ? > 0 AND ? > 0`
	run(true, rename, rename)
	if got := version("institutions"); got != inst+2 {
		t.Fatalf("two statements on institutions: version %d, want %d", got, inst+2)
	}
}
