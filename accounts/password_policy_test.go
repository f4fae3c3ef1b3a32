package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

func TestValidatePassword(t *testing.T) {
	const email, name = "joao.conceicao@inss.pt", "João Conceição"
	for _, tc := range []struct {
		password string
		want     error
	}{
		{"short", accounts.ErrPasswordTooShort},
		{"aaaaaaaaaa", accounts.ErrPasswordCommon},
		{"password12", accounts.ErrPasswordCommon},
		{"Password12", accounts.ErrPasswordCommon},
		{"1234567890", accounts.ErrPasswordCommon},
		{"0987654321", accounts.ErrPasswordCommon},
		{"7890123456", accounts.ErrPasswordCommon},
		{"abcdefghijkl", accounts.ErrPasswordCommon},
		{"qwertyuiop", accounts.ErrPasswordCommon},
		{"iloveyou12", accounts.ErrPasswordCommon},
		{"abcabcabcabc", accounts.ErrPasswordCommon},
		{"dragon2024!!", accounts.ErrPasswordCommon},
		{"Contraseña1234", accounts.ErrPasswordCommon},
		{"senha123456", accounts.ErrPasswordCommon},
		{"joao.conceicao@inss.pt", accounts.ErrPasswordPersonal},
		{"JOAO.CONCEICAO@INSS.PT", accounts.ErrPasswordPersonal},
		{"João Conceição", accounts.ErrPasswordPersonal},
		{"joaoconceicao", accounts.ErrPasswordPersonal},
		{"Conceição2024", accounts.ErrPasswordPersonal},
		{"conceicao1234567", accounts.ErrPasswordPersonal},
		{"inss.pt.joao", accounts.ErrPasswordPersonal},
		{"una clave larga", nil},
		{"correct horse battery", nil},
		{"minha nova senha", nil},
		{"João gosta de café às 7", nil},
		{"Xk9#mP2$vL", nil},
	} {
		if err := accounts.ValidatePassword(tc.password, email, name); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
			t.Errorf("ValidatePassword(%q) = %v, want %v", tc.password, err, tc.want)
		}
	}
}

// TestEveryPathChecksPasswords: creating a user, an admin's edit and the
// one-time link all refuse a weak password; a refused link stays usable.
func TestEveryPathChecksPasswords(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts")
	svc := accounts.NewService(db, nil)
	addr := email()
	if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: addr, Name: "Ana Peña", Password: "password12", Role: accounts.RoleLearner}); !errors.Is(err, accounts.ErrPasswordCommon) {
		t.Errorf("create with password12: %v, want ErrPasswordCommon", err)
	}
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: addr, Name: "Ana Peña", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatalf("the refused create left the email taken? %v", err)
	}
	if _, err := svc.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: u.Role, Locale: "es", Password: addr}); !errors.Is(err, accounts.ErrPasswordPersonal) {
		t.Errorf("update to the email: %v, want ErrPasswordPersonal", err)
	}
	tokens, err := svc.CreatePasswordLinks(ctx, db, []int64{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPasswordWithLink(ctx, tokens[u.ID], "AnaPeña2025"); !errors.Is(err, accounts.ErrPasswordPersonal) {
		t.Errorf("link with the name: %v, want ErrPasswordPersonal", err)
	}
	if _, err := svc.SetPasswordWithLink(ctx, tokens[u.ID], "una clave larga"); err != nil {
		t.Errorf("the link no longer works after a refused password: %v", err)
	}
}
