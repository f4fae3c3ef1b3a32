package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/postgres"
)

type preparedRow struct {
	bun.BaseModel `bun:"table:prepared_rows,alias:p"`
	ID            int64     `bun:"id,pk"`
	Name          string    `bun:"name"`
	At            time.Time `bun:"at"`
	Hash          []byte    `bun:"hash"`
}

// preparedTable makes a table of its own for the test, dropped after it.
func preparedTable(t *testing.T, db *bun.DB) string {
	t.Helper()
	name := fmt.Sprintf("prepared_%d", time.Now().UnixNano())
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+name+` (id bigint PRIMARY KEY, name text NOT NULL, at timestamptz NOT NULL, hash bytea NOT NULL);
		INSERT INTO `+name+` VALUES (1, 'Conceição', '2026-01-02 03:04:05+00', '\x0102'), (2, 'Peña', '2026-02-03 04:05:06+00', '\x0304')`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.ExecContext(context.Background(), "DROP TABLE "+name) })
	return name
}

// TestPreparedStatements: a statement with placeholders reads and writes
// what its arguments say (text, bytes, times, NULL), in and out of a
// transaction, and is counted like any other statement.
func TestPreparedStatements(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 4})
	table := preparedTable(t, db)
	sel := "SELECT p.id, p.name, p.at, p.hash FROM " + table + " AS p WHERE p.hash = $1 OR p.name = $2 ORDER BY p.id"

	ctx, counted := postgres.CountStatements(ctx)
	var rows []preparedRow
	if err := postgres.Select(ctx, db, &rows, sel, []byte{3, 4}, "Conceição"); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Name != "Conceição" || rows[1].Name != "Peña" || !rows[1].At.Equal(time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)) {
		t.Fatalf("rows = %+v", rows)
	}
	var one preparedRow
	if err := postgres.SelectOne(ctx, db, sel, []any{[]byte{9}, "Peña"}, &one); err != nil || one.ID != 2 {
		t.Fatalf("one = %+v, %v", one, err)
	}
	if err := postgres.SelectOne(ctx, db, sel, []any{[]byte{9}, "nobody"}, &one); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("no row: %v, want sql.ErrNoRows", err)
	}
	at := time.Date(2026, 12, 2, 10, 0, 0, 123456000, time.UTC)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := postgres.Exec(ctx, tx, "UPDATE "+table+" SET at = $1 WHERE id = $2", at, int32(1))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("updated %d rows", n)
		}
		var name *string
		if err := postgres.SelectOne(ctx, tx, "SELECT name FROM "+table+" WHERE at = $1 AND $2::text IS NULL", []any{at, (*string)(nil)}, &name); err != nil {
			return err
		}
		if name == nil || *name != "Conceição" {
			return fmt.Errorf("read back %v in the transaction", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := counted.Count(); got != 7 { // 2 reads, 1 empty read, 1 more; BEGIN, update, read, COMMIT
		t.Errorf("%d statements counted, want 7", got)
	}
}

// TestPreparedOncePerConnection: a connection prepares a statement the
// first time it runs it and then only executes it, on a generic plan once
// PostgreSQL has seen it five times: the planning these statements are
// prepared to save.
func TestPreparedOncePerConnection(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 4})
	table := preparedTable(t, db)
	conn, err := db.Conn(ctx) // one connection, to see its prepared statements
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := "SELECT p.name FROM " + table + " AS p WHERE p.id = $1"
	for i := range 10 {
		var name string
		if err := postgres.SelectOne(ctx, conn, q, []any{int64(i%2 + 1)}, &name); err != nil {
			t.Fatal(err)
		}
	}
	var n, generic int64
	if err := conn.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(generic_plans), 0) FROM pg_prepared_statements WHERE statement = ?`, q).Scan(&n, &generic); err != nil {
		t.Fatal(err)
	}
	if n != 1 || generic == 0 {
		t.Errorf("the statement is prepared %d times on the connection, %d runs on a generic plan; want once, some", n, generic)
	}
}

// TestPreparedAfterMigration: a migration that adds a column to a table a
// prepared "SELECT *" reads changes its result, which PostgreSQL refuses
// for the statement prepared before; the next call prepares it again
// instead of failing.
func TestPreparedAfterMigration(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 1}) // one connection: the one that prepared it
	table := preparedTable(t, db)
	q := "SELECT * FROM " + table + " WHERE id = $1"
	var rows []map[string]any
	if err := postgres.Select(ctx, db, &rows, q, int64(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ALTER TABLE "+table+" ADD COLUMN extra int NOT NULL DEFAULT 7"); err != nil {
		t.Fatal(err)
	}
	rows = nil
	if err := postgres.Select(ctx, db, &rows, q, int64(1)); err != nil {
		t.Fatalf("after the migration: %v", err)
	}
	if len(rows) != 1 || rows[0]["extra"] != int64(7) {
		t.Errorf("rows = %v, want the new column", rows)
	}
}

// TestUnpreparedSendsTheWholeText: with Options.Unprepared the same calls
// give the same rows, and nothing is prepared on the connection: each
// statement goes with its arguments formatted in, the text a proxy
// recording pages' statements needs to EXPLAIN them.
func TestUnpreparedSendsTheWholeText(t *testing.T) {
	ctx := context.Background()
	db := open(t, postgres.Options{MaxConns: 4, Unprepared: true})
	table := preparedTable(t, db)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	q := "SELECT p.name FROM " + table + " AS p WHERE p.id = $1 AND p.name <> $2"
	var name string
	if err := postgres.SelectOne(ctx, conn, q, []any{int64(2), "Conceição"}, &name); err != nil || name != "Peña" {
		t.Fatalf("name = %q, %v", name, err)
	}
	var n int64
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d statements prepared on an unprepared pool's connection", n)
	}
}
