package accounts_test

import (
	"context"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/migrations/testdb"
)

// BenchmarkUserSearch is a page of the admins' user list over 100,000
// users (testdb.OpenScale, seeded once and kept) under each filter the
// page offers, count included.
func BenchmarkUserSearch(b *testing.B) {
	db := testdb.OpenScale(b)
	svc := accounts.NewService(db, nil)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    accounts.UserFilter
	}{
		{"all", accounts.UserFilter{}},
		{"institution", accounts.UserFilter{InstitutionID: 3}},
		{"role", accounts.UserFilter{Role: accounts.RoleAdmin}},
		{"institution and role", accounts.UserFilter{InstitutionID: 3, Role: accounts.RoleLearner}},
		{"rare words", accounts.UserFilter{Query: "peña 1234"}},
		{"common word", accounts.UserFilter{Query: "conceicao"}},
		{"word and institution", accounts.UserFilter{Query: "conceicao", InstitutionID: 3}},
		{"everything", accounts.UserFilter{Query: "joao", InstitutionID: 3, Role: accounts.RoleLearner}},
	} {
		c.f.Limit = 20
		b.Run(c.name, func(b *testing.B) {
			testdb.Measure(b, func() error {
				_, _, err := svc.Users(ctx, c.f)
				return err
			})
		})
	}
}
