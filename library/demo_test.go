package library_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestSeedDemo: the demo items are published for readers, found in
// Portuguese before the others; only a librarian seeds them; a second run
// adds nothing, and brings back no item a librarian has withdrawn.
func TestSeedDemo(t *testing.T) {
	e := newEnvAt(t, testdb.Open(t, "library_demo"), nil) // searches count every item: a database of its own
	ctx := context.Background()
	if _, err := e.lib.SeedDemo(ctx, e.user(accounts.RoleInstructor)); !errors.Is(err, library.ErrForbidden) {
		t.Fatalf("an instructor seeded the demo library: %v", err)
	}
	librarian := e.librarian()
	n, err := e.lib.SeedDemo(ctx, librarian)
	if err != nil || n != 8 {
		t.Fatalf("seeded %d items: %v", n, err)
	}
	res, err := e.lib.Search(ctx, library.Query{Text: "segurança social", PortugueseFirst: true, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || res.Items[0].Language != "pt" {
		t.Fatalf("searching \"segurança social\" found %d items, the first %+v", res.Total, res.Items)
	}
	withdrawn := res.Items[0]
	if _, err := e.lib.Withdraw(ctx, librarian, withdrawn.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := e.lib.SeedDemo(ctx, librarian); err != nil || n != 0 {
		t.Fatalf("second run seeded %d items: %v", n, err)
	}
	if _, err := e.lib.Item(ctx, nil, withdrawn.ID); !errors.Is(err, library.ErrNotFound) {
		t.Errorf("the withdrawn %q is back for readers: %v", withdrawn.Title, err)
	}
	all, err := e.lib.Search(ctx, library.Query{Limit: 20})
	if err != nil || all.Total != 7 {
		t.Errorf("after withdrawing one, readers see %d items: %v", all.Total, err)
	}
}
