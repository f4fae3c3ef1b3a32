package migrations_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestUpDownUp proves every migration can be applied, rolled back and
// applied again on an empty database: down migrations really undo.
func TestUpDownUp(t *testing.T) {
	ctx := context.Background()
	db := testdb.OpenEmpty(t, "migrations")

	tables := func() int {
		var n int
		if err := db.NewRaw(`SELECT count(*) FROM information_schema.tables
			WHERE table_schema = 'public' AND table_name NOT LIKE 'bun_%'`).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	group, err := migrations.Up(ctx, db)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if group.IsZero() {
		t.Fatal("up applied nothing")
	}
	after := tables()
	if after == 0 {
		t.Fatal("no tables after up")
	}
	if _, err := migrations.Down(ctx, db); err != nil {
		t.Fatalf("down: %v", err)
	}
	if n := tables(); n != 0 {
		t.Fatalf("%d tables left after down", n)
	}
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if n := tables(); n != after {
		t.Fatalf("%d tables after second up, want %d", n, after)
	}
	again, err := migrations.Up(ctx, db)
	if err != nil {
		t.Fatalf("third up: %v", err)
	}
	if !again.IsZero() {
		t.Fatalf("third up applied %s, want nothing pending", again)
	}
}
