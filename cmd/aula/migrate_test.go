package main

import (
	"strings"
	"testing"
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
