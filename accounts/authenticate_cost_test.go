package accounts

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aula-platform/aula/migrations/testdb"
)

// TestEveryAnswerSpendsOneHash: a wrong password, an account with no
// password yet and an unknown email each cost exactly one argon2id check,
// so how long sign-in takes does not tell a stranger which emails have
// accounts. Counting the checks proves it without timing anything.
func TestEveryAnswerSpendsOneHash(t *testing.T) {
	ctx := context.Background()
	svc := NewService(testdb.Open(t, "accounts"), nil)
	n := time.Now().UnixNano()
	withPassword, err := svc.CreateUser(ctx, CreateUserParams{Email: fmt.Sprintf("cost-a-%d@example.org", n), Name: "Ana Peña",
		Password: "una clave larga y rara", Role: RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	noPassword, err := svc.CreateUser(ctx, CreateUserParams{Email: fmt.Sprintf("cost-b-%d@example.org", n), Name: "João Conceição", Role: RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	checkPassword = func(hash, password string) (bool, error) { calls++; return CheckPassword(hash, password) }
	t.Cleanup(func() { checkPassword = CheckPassword })
	for what, email := range map[string]string{
		"a wrong password":                withPassword.Email,
		"an account with no password yet": noPassword.Email,
		"an unknown email":                "nobody-" + withPassword.Email,
	} {
		calls = 0
		if _, err := svc.Authenticate(ctx, email, "aula-dummy-password"); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("%s: %v, want ErrInvalidCredentials", what, err)
		}
		if calls != 1 {
			t.Errorf("%s checked %d hashes, want 1: its answer takes another time", what, calls)
		}
	}
}
