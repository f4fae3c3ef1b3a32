package migrations_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
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
	// The certificates migration inserts the issuer's row, the library's
	// its vocabulary of themes: rolling them back loses those, and Down
	// wants them named.
	if _, err := migrations.Down(ctx, db, "certificate_issuer", "library_themes"); err != nil {
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

// TestDownRefusesToDropData: a rollback that would delete rows (users,
// signing keys) changes nothing unless every table losing data is named;
// naming only some is not enough.
func TestDownRefusesToDropData(t *testing.T) {
	ctx := context.Background()
	db := testdb.OpenEmpty(t, "migrations_down")
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO institutions (name, acronym, country) VALUES ('Instituto Lusófono de Segurança Social', 'ILSS', 'MZ')`,
		`INSERT INTO signing_keys (public, private) VALUES ('public', 'private')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// The institution written moved the version of their list on
	// (list_versions), a row the rollback loses too.
	want := []string{"institutions", "certificate_issuer", "signing_keys", "library_themes", "list_versions"}
	for _, dropData := range [][]string{nil, {"institutions", "certificate_issuer"}} {
		_, err := migrations.Down(ctx, db, dropData...)
		var loss *migrations.DataLossError
		if !errors.As(err, &loss) {
			t.Fatalf("down naming %v: %v, want a refusal", dropData, err)
		}
		got := loss.Names()
		if !reflect.DeepEqual(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("refusal names %v, want %v", got, want)
		}
		var keys int
		if err := db.NewRaw("SELECT count(*) FROM signing_keys").Scan(ctx, &keys); err != nil || keys != 1 {
			t.Fatalf("after a refused rollback: %d signing keys, %v", keys, err)
		}
	}
	group, err := migrations.Down(ctx, db, want...)
	if err != nil || group.IsZero() {
		t.Fatalf("down naming all the data: %v, %v", group, err)
	}
}
