package accounts_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// demote is the change that takes a user's admin role away.
func demote(u *accounts.User, by int64) accounts.UpdateUserParams {
	return accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: accounts.RoleLearner, Locale: u.Locale, By: by}
}

// TestAdminsCannotLockTheInstallationOut: an admin cannot demote or
// disable themselves, and nobody can demote or disable the last active
// admin, not even two admins demoting each other at the same moment.
// It runs on a database of its own, where it knows every admin.
func TestAdminsCannotLockTheInstallationOut(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, "accounts_admins")
	svc := accounts.NewService(db, nil)
	admin := func(name string) *accounts.User {
		u, err := svc.CreateUser(ctx, accounts.CreateUserParams{Email: email(), Name: name, Role: accounts.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	a, b := admin("Ana Peña"), admin("João Conceição")

	if _, err := svc.UpdateUser(ctx, a.ID, demote(a, a.ID)); !errors.Is(err, accounts.ErrSelfDemotion) {
		t.Errorf("self-demotion: %v, want ErrSelfDemotion", err)
	}
	off := accounts.UpdateUserParams{Email: a.Email, Name: a.Name, Role: accounts.RoleAdmin, Locale: a.Locale, Disabled: true, By: a.ID}
	if _, err := svc.UpdateUser(ctx, a.ID, off); !errors.Is(err, accounts.ErrSelfDemotion) {
		t.Errorf("self-disable: %v, want ErrSelfDemotion", err)
	}

	// Two admins demote each other at once, again and again: one of them
	// must always remain.
	for round := range 20 {
		for _, u := range []*accounts.User{a, b} {
			restore := accounts.UpdateUserParams{Email: u.Email, Name: u.Name, Role: accounts.RoleAdmin, Locale: u.Locale}
			if _, err := svc.UpdateUser(ctx, u.ID, restore); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, pair := range [][2]*accounts.User{{a, b}, {b, a}} {
			wg.Go(func() {
				<-start
				_, errs[i] = svc.UpdateUser(ctx, pair[1].ID, demote(pair[1], pair[0].ID))
			})
		}
		close(start)
		wg.Wait()
		failed := 0
		for _, err := range errs {
			if errors.Is(err, accounts.ErrLastAdmin) {
				failed++
			} else if err != nil {
				t.Fatal(err)
			}
		}
		var left int
		if err := db.NewRaw("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled").Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if left != 1 || failed != 1 {
			t.Fatalf("round %d: %d active admins left, %d demotions refused; want 1 and 1", round, left, failed)
		}
	}
	// Whoever is left is the last admin: the command line (By 0) cannot
	// demote or disable them either.
	var last accounts.User
	if err := db.NewSelect().Model(&last).Where("role = 'admin' AND NOT disabled").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateUser(ctx, last.ID, demote(&last, 0)); !errors.Is(err, accounts.ErrLastAdmin) {
		t.Errorf("demoting the last admin: %v, want ErrLastAdmin", err)
	}
}
