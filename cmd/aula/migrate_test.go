package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/postgres"
)

// TestMigrateDownRefusesToDeleteData: on an installation with people,
// courses and a signing key, `aula migrate down` deletes nothing and says
// which flag would; only that flag, naming every table, rolls back.
func TestMigrateDownRefusesToDeleteData(t *testing.T) {
	env := testEnv(t, newDatabaseURL(t), t.TempDir())
	if out, err := runAula(t, env, "seed", "demo"); err != nil {
		t.Fatalf("seed demo: %v\n%s", err, out)
	}
	out, err := runAula(t, env, "migrate", "down")
	if err == nil {
		t.Fatalf("migrate down on demo data succeeded:\n%s", out)
	}
	_, flag, found := strings.Cut(out, "aula migrate down -drop-data ")
	flag = strings.TrimSpace(flag)
	for _, table := range []string{"users", "courses", "signing_keys", "certificate_issuer"} {
		if !found || !strings.Contains(","+flag+",", ","+table+",") {
			t.Errorf("the refusal does not name %s:\n%s", table, out)
		}
	}
	if out, err := runAula(t, env, "migrate", "status"); err != nil || strings.Contains(out, "pending") {
		t.Fatalf("after a refused rollback: %v\n%s", err, out)
	}
	if out, err := runAula(t, env, "migrate", "down", "-drop-data", "users,courses"); err == nil {
		t.Fatalf("migrate down naming part of the data succeeded:\n%s", out)
	}
	if out, err := runAula(t, env, "migrate", "down", "-drop-data", flag); err != nil || !strings.Contains(out, "rolled back") {
		t.Fatalf("migrate down -drop-data %s: %v\n%s", flag, err, out)
	}
	if out, err := runAula(t, env, "migrate", "status"); err != nil || strings.Contains(out, "applied") {
		t.Fatalf("after the rollback: %v\n%s", err, out)
	}
}

// TestMigrationsOutliveTheStatementTimeout: a migration backfilling a
// large table runs for minutes, so migrations run on a pool without the
// serving pool's statement timeout — which still ends a slow request.
func TestMigrationsOutliveTheStatementTimeout(t *testing.T) {
	ctx := context.Background()
	dsn := newDatabaseURL(t)
	serving := postgres.Options{StatementTimeout: 200 * time.Millisecond}
	db, err := openDB(ctx, dsn, serving)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "SELECT pg_sleep(0.5)"); err == nil {
		t.Fatal("the serving pool let a statement run past its timeout")
	}
	mdb, err := openDB(ctx, dsn, migrationPool(serving))
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	if _, err := mdb.ExecContext(ctx, "SELECT pg_sleep(0.5)"); err != nil {
		t.Fatalf("a long migration statement: %v", err)
	}
	if _, err := migrateUp(ctx, dsn, serving); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
}
