package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

var seq atomic.Int64

func email() string { return fmt.Sprintf("user%d@example.org", seq.Add(1)) }

func TestPasswordHashing(t *testing.T) {
	hash, err := accounts.HashPassword("uma senha longa")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "uma senha longa") {
		t.Fatalf("hash %q", hash)
	}
	other, _ := accounts.HashPassword("uma senha longa")
	if other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
	for password, want := range map[string]bool{"uma senha longa": true, "uma senha longA": false, "": false} {
		if ok, err := accounts.CheckPassword(hash, password); err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", password, ok, err, want)
		}
	}
	if ok, _ := accounts.CheckPassword("", "anything"); ok {
		t.Error("an account without a password accepted one")
	}
	if _, err := accounts.CheckPassword("$argon2id$v=19$m=bad", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts")
	svc := accounts.NewService(db, nil)
	addr := email()
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: "  " + strings.ToUpper(addr) + " ", Name: " Ana Peña ", Password: "una clave larga", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Ana Peña" || u.Locale != "en" {
		t.Errorf("created %+v", u)
	}
	if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: addr, Name: "Twin", Role: accounts.RoleLearner}); !errors.Is(err, accounts.ErrEmailTaken) {
		t.Errorf("same email in another case: %v, want ErrEmailTaken", err)
	}
	if got, err := svc.Authenticate(ctx, addr, "una clave larga"); err != nil || got.ID != u.ID {
		t.Fatalf("authenticate: %v", err)
	}
	for _, tc := range []struct{ email, password string }{{addr, "wrong one"}, {"nobody-" + addr, "una clave larga"}} {
		if _, err := svc.Authenticate(ctx, tc.email, tc.password); !errors.Is(err, accounts.ErrInvalidCredentials) {
			t.Errorf("authenticate(%q, %q): %v, want ErrInvalidCredentials", tc.email, tc.password, err)
		}
	}
	if _, err := svc.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: u.Role, Locale: "es", Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, addr, "una clave larga"); !errors.Is(err, accounts.ErrInvalidCredentials) {
		t.Errorf("disabled account: %v, want ErrInvalidCredentials", err)
	}
}

func TestSessionsExpireAndRotate(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts")
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	svc := accounts.NewService(db, func() time.Time { return now })
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "João", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	first, err := svc.StartSession(ctx, u.ID, "", accounts.SessionInfo{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := svc.StartSession(ctx, u.ID, first, accounts.SessionInfo{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SessionUser(ctx, first); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("rotated-out session: %v, want ErrNotFound", err)
	}
	if got, err := svc.SessionUser(ctx, second); err != nil || got.ID != u.ID {
		t.Fatalf("current session: %v", err)
	}
	now = now.Add(accounts.SessionLifetime + time.Minute)
	if _, err := svc.SessionUser(ctx, second); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	if n, err := svc.DeleteExpired(ctx); err != nil || n < 1 {
		t.Errorf("sweep: %d, %v", n, err)
	}
}

func TestPasswordLinksWorkOnce(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts")
	svc := accounts.NewService(db, nil)
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "Maria", Role: accounts.RoleLearner})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := svc.CreatePasswordLinks(ctx, db, []int64{u.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPasswordWithLink(ctx, tokens[u.ID], "nova senha longa"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPasswordWithLink(ctx, tokens[u.ID], "outra senha longa"); !errors.Is(err, accounts.ErrLinkExpired) {
		t.Errorf("second use: %v, want ErrLinkExpired", err)
	}
	if _, err := svc.Authenticate(ctx, u.Email, "nova senha longa"); err != nil {
		t.Errorf("password from the link: %v", err)
	}
}

func TestAPITokensAreHashedAndRevocable(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts")
	svc := accounts.NewService(db, nil)
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "Pedro", Role: accounts.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	token, err := svc.CreateAPIToken(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := db.NewRaw("SELECT count(*) FROM api_tokens WHERE token_hash = ?", []byte(token)).Scan(ctx, &stored); err != nil || stored != 0 {
		t.Errorf("token stored in clear (%d, %v)", stored, err)
	}
	if got, err := svc.TokenUser(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("token user: %v", err)
	}
	if err := svc.RevokeAPIToken(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TokenUser(ctx, token); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("revoked token: %v, want ErrNotFound", err)
	}
}
