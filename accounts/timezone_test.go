package accounts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// TestTimeZoneSetting: a user's time zone is an IANA name checked against
// the time zone database wherever it is set; "" goes back to the
// installation's, and "Local" (the server's zone) or an unknown name is
// refused without changing anything.
func TestTimeZoneSetting(t *testing.T) {
	ctx := context.Background()
	svc := accounts.NewService(testdb.Open(t, "accounts"), nil)
	u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "Inês Peña", Role: accounts.RoleLearner, TimeZone: " America/Lima "})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.User(ctx, u.ID); got.TimeZone != "America/Lima" {
		t.Errorf("created with America/Lima: stored %q", got.TimeZone)
	}
	for _, bad := range []string{"Local", "Mars/Olympus", "america/lima", "../../etc/passwd", "UTC+3"} {
		if _, err := svc.SetPreferences(ctx, u.ID, accounts.Preferences{Locale: "es", TimeZone: bad}); !errors.Is(err, accounts.ErrInvalidTimeZone) {
			t.Errorf("SetPreferences(%q): %v, want ErrInvalidTimeZone", bad, err)
		}
		if _, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: "X", Role: accounts.RoleLearner, TimeZone: bad}); !errors.Is(err, accounts.ErrInvalidTimeZone) {
			t.Errorf("CreateUser(%q): %v, want ErrInvalidTimeZone", bad, err)
		}
	}
	if got, _ := svc.User(ctx, u.ID); got.TimeZone != "America/Lima" || got.Locale != "en" {
		t.Errorf("after refused changes: %q %q", got.Locale, got.TimeZone)
	}
	if _, err := svc.SetPreferences(ctx, u.ID, accounts.Preferences{Locale: "pt", TimeZone: "Atlantic/Azores"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.User(ctx, u.ID); got.TimeZone != "Atlantic/Azores" || got.Locale != "pt-BR" {
		t.Errorf("after SetPreferences: %q %q", got.Locale, got.TimeZone)
	}
	if _, err := svc.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: u.Role, Locale: "es", TimeZone: "Bogus/Zone"}); !errors.Is(err, accounts.ErrInvalidTimeZone) {
		t.Errorf("UpdateUser with a bad zone: %v", err)
	}
	if _, err := svc.UpdateUser(ctx, u.ID, accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: u.Role, Locale: "es", TimeZone: ""}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.User(ctx, u.ID); got.TimeZone != "" {
		t.Errorf("cleared: stored %q, want the installation's (\"\")", got.TimeZone)
	}
}
