package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestNotAnEmailIsRefused: every way an address enters accounts (an
// admin, `aula user create`, AULA_ADMIN_EMAIL, an edit, a CSV import)
// refuses one mail could never be delivered to.
func TestNotAnEmailIsRefused(t *testing.T) {
	db := testdb.Open(t, "accounts")
	svc := accounts.NewService(db, nil)
	ctx := context.Background()
	for _, bad := range []string{"ana", "ana@", "ana@intranet", "Ana <ana@example.org>", "ana@example.org, paco@example.org", "ana@example.org\r\nBcc: x@example.org", "ana@.org"} {
		if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: bad, Name: "Ana", Role: accounts.RoleLearner}); !errors.Is(err, accounts.ErrInvalidEmail) {
			t.Errorf("create %q: %v", bad, err)
		}
		if _, err := accounts.CreateLearners(ctx, db, []accounts.NewLearner{{Email: bad, Name: "Ana"}}); !errors.Is(err, accounts.ErrInvalidEmail) {
			t.Errorf("import %q: %v", bad, err)
		}
	}
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "Peña", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: "pena@intranet", Name: "Peña", Role: accounts.RoleLearner}); !errors.Is(err, accounts.ErrInvalidEmail) {
		t.Errorf("update to a bad address: %v", err)
	}
	for _, good := range []string{"joao.conceicao@previdencia.gov.br", "ana+aula@ilss.example.org"} {
		if !accounts.ValidEmail(good) {
			t.Errorf("%q refused", good)
		}
	}
}
