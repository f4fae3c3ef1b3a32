package accounts_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestEveryInterfaceLocaleIsStored keeps the users.locale CHECK and
// locales.UI one list: each locale Aula offers can be stored, the legacy
// "pt" is stored as pt-BR, and a locale it does not speak is refused.
func TestEveryInterfaceLocaleIsStored(t *testing.T) {
	ctx := context.Background()
	svc := accounts.NewService(testdb.Open(t, "accounts"), nil)
	for _, l := range append([]string{locales.Legacy}, locales.UI...) {
		u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "Conceição", Role: accounts.RoleLearner, Locale: l})
		if err != nil {
			t.Fatalf("create with locale %s: %v", l, err)
		}
		if want := locales.Canonical(l); u.Locale != want {
			t.Errorf("created with %s: locale %s, want %s", l, u.Locale, want)
		}
		if err := svc.SetLocale(ctx, u.ID, l); err != nil {
			t.Errorf("set locale %s: %v", l, err)
		}
		if got, err := svc.User(ctx, u.ID); err != nil || got.Locale != locales.Canonical(l) {
			t.Errorf("after SetLocale(%s): %+v, %v", l, got, err)
		}
	}
	if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "X", Role: accounts.RoleLearner, Locale: "fr"}); err == nil {
		t.Error("locale fr stored")
	}
}
