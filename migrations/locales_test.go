package migrations_test

import (
	"context"
	"os"
	"testing"

	"github.com/aula-platform/aula/migrations"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestStoredPortugueseBecomesOneOfTwo proves that a user who had chosen
// "pt" before there were two Portugueses gets the one of their
// institution's country, and that rolling back gives "pt" again.
func TestStoredPortugueseBecomesOneOfTwo(t *testing.T) {
	ctx := context.Background()
	db := testdb.OpenEmpty(t, "migrations_locales")
	if _, err := migrations.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	run := func(file string) {
		t.Helper()
		sql, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(sql)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	const name = "20261201140000_two_portugueses.tx"
	run(name + ".down.sql") // the schema as it was, with "pt"
	if _, err := db.ExecContext(ctx, `
		INSERT INTO institutions (id, name, acronym, country) VALUES
			(1, 'Instituto Nacional do Seguro Social', 'INSS', 'BR'),
			(2, 'Instituto Nacional de Segurança Social', 'INSS-MZ', 'MZ'),
			(3, 'Instituto da Segurança Social', 'ISS', 'PT'),
			(4, 'Banco de Previsión Social', 'BPS', 'UY');
		INSERT INTO users (email, name, role, institution_id, locale) VALUES
			('br@x.org', 'Maria da Silva', 'learner', 1, 'pt'),
			('mz@x.org', 'João Conceição', 'learner', 2, 'pt'),
			('pt@x.org', 'Inês Gonçalves', 'learner', 3, 'pt'),
			('uy@x.org', 'Ana Peña', 'learner', 4, 'pt'),
			('none@x.org', 'Paulo Sem Instituição', 'admin', NULL, 'pt'),
			('es@x.org', 'Lucía Fernández', 'learner', 4, 'es')`); err != nil {
		t.Fatal(err)
	}
	locales := func() map[string]string {
		t.Helper()
		var rows []struct{ Email, Locale string }
		if err := db.NewRaw(`SELECT email, locale FROM users`).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range rows {
			out[r.Email] = r.Locale
		}
		return out
	}
	run(name + ".up.sql")
	want := map[string]string{"br@x.org": "pt-BR", "mz@x.org": "pt-PT", "pt@x.org": "pt-PT",
		"uy@x.org": "pt-BR", "none@x.org": "pt-BR", "es@x.org": "es"}
	got := locales()
	for email, l := range want {
		if got[email] != l {
			t.Errorf("after up, %s has locale %q, want %q", email, got[email], l)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE users SET locale = 'pt' WHERE email = 'br@x.org'`); err == nil {
		t.Error(`locale "pt" still accepted after up`)
	}
	run(name + ".down.sql")
	if got := locales(); got["mz@x.org"] != "pt" || got["br@x.org"] != "pt" || got["es@x.org"] != "es" {
		t.Errorf("after down: %v, want pt for both Portugueses", got)
	}
}
