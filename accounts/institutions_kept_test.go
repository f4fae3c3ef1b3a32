package accounts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestAllInstitutionsFollowEveryWrite: the select boxes' list of
// institutions is kept between views, yet an institution added, renamed
// or removed by anyone (another node, a command: here SQL this service
// never hears of) shows on the next read, and a read that finds nothing
// changed reads no institution.
func TestAllInstitutionsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts_kept")
	log := &testdb.QueryLog{}
	db.AddQueryHook(log)
	svc := accounts.NewService(db, nil)
	names := func() []string {
		t.Helper()
		list, err := svc.AllInstitutions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(list))
		for i, inst := range list {
			out[i] = inst.Acronym + " " + inst.Name
		}
		return out
	}
	want := func(step string, got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %q, want %q", step, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: %q, want %q", step, got, want)
			}
		}
	}
	want("empty", names())
	if _, err := svc.CreateInstitution(ctx, accounts.InstitutionParams{Name: "Banco de Previsión Social", Acronym: "BPS", Country: "UY"}); err != nil {
		t.Fatal(err)
	}
	want("created", names(), "BPS Banco de Previsión Social")
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO institutions (name, acronym, country) VALUES ('Administración Nacional de la Seguridad Social', 'ANSES', 'AR')`)
	want("inserted by hand", names(), "ANSES Administración Nacional de la Seguridad Social", "BPS Banco de Previsión Social")
	exec(`UPDATE institutions SET name = 'Zeta' WHERE acronym = 'ANSES'`)
	want("renamed by hand", names(), "BPS Banco de Previsión Social", "ANSES Zeta")

	log.Reset()
	want("unchanged", names(), "BPS Banco de Previsión Social", "ANSES Zeta")
	if q := log.Queries(); len(q) != 1 || !strings.Contains(q[0], "list_versions") || strings.Contains(q[0], "institutions AS") {
		t.Errorf("a read of an unchanged list ran %q, want only its version", q)
	}
	exec(`DELETE FROM institutions WHERE acronym = 'ANSES'`)
	want("deleted by hand", names(), "BPS Banco de Previsión Social")
}
