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
// changed reads no institution. The same for the user list's filter
// (UsersPage), whose version is read with the page's users, with users on
// the page or none.
func TestAllInstitutionsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts_kept")
	log := &testdb.QueryLog{}
	db.AddQueryHook(log)
	if _, err := accounts.NewService(db, nil).CreateUser(ctx, accounts.CreateUserParams{
		Email: "ana@example.org", Name: "Ana Peña", Role: accounts.RoleLearner}); err != nil {
		t.Fatal(err)
	}
	// Each reader has a service of its own, so each keeps its own list.
	readers := []struct {
		name       string
		read       func(*accounts.Service) ([]accounts.Institution, error)
		statements int // on a view of an unchanged list
	}{
		{"AllInstitutions", func(svc *accounts.Service) ([]accounts.Institution, error) { return svc.AllInstitutions(ctx) }, 1},
		{"UsersPage", func(svc *accounts.Service) ([]accounts.Institution, error) {
			users, _, all, err := svc.UsersPage(ctx, accounts.UserFilter{Query: "peña", Limit: 20})
			if err == nil && len(users) != 1 {
				t.Fatalf("UsersPage: %v, want Ana", users)
			}
			return all, err
		}, 2},
		{"UsersPage of no user", func(svc *accounts.Service) ([]accounts.Institution, error) {
			users, _, all, err := svc.UsersPage(ctx, accounts.UserFilter{Query: "nobody", Limit: 20})
			if err == nil && len(users) != 0 {
				t.Fatalf("UsersPage: %v, want none", users)
			}
			return all, err
		}, 2},
	}
	services := make([]*accounts.Service, len(readers))
	for i := range services {
		services[i] = accounts.NewService(db, nil)
	}
	want := func(step string, want ...string) {
		t.Helper()
		for i, r := range readers {
			list, err := r.read(services[i])
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(list))
			for i, inst := range list {
				got[i] = inst.Acronym + " " + inst.Name
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("%s, %s: %q, want %q", r.name, step, got, want)
			}
		}
	}
	want("empty")
	if _, err := services[0].CreateInstitution(ctx, accounts.InstitutionParams{Name: "Banco de Previsión Social", Acronym: "BPS", Country: "UY"}); err != nil {
		t.Fatal(err)
	}
	want("created", "BPS Banco de Previsión Social")
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO institutions (name, acronym, country) VALUES ('Administración Nacional de la Seguridad Social', 'ANSES', 'AR')`)
	want("inserted by hand", "ANSES Administración Nacional de la Seguridad Social", "BPS Banco de Previsión Social")
	exec(`UPDATE institutions SET name = 'Zeta' WHERE acronym = 'ANSES'`)
	want("renamed by hand", "BPS Banco de Previsión Social", "ANSES Zeta")

	for i, r := range readers {
		log.Reset()
		if _, err := r.read(services[i]); err != nil {
			t.Fatal(err)
		}
		q := log.Queries()
		if len(q) != r.statements || !strings.Contains(strings.Join(q, "\n"), "list_versions") || strings.Contains(strings.Join(q, "\n"), `"institutions" AS`) {
			t.Errorf("%s: a view of an unchanged list ran %q, want %d statements, the version but no institution", r.name, q, r.statements)
		}
	}
	exec(`DELETE FROM institutions WHERE acronym = 'ANSES'`)
	want("deleted by hand", "BPS Banco de Previsión Social")
}
