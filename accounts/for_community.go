package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Functions the community package reads accounts' data through, so that it
// never queries accounts' tables itself. They take a bun.IDB so that they
// run inside the transaction of the post that needs them.

// Member is a user as the community sees them: who they are, what they
// may do, and where they work (for a consultation's answers by country
// and institution).
type Member struct {
	ID          int64  `bun:"id"`
	Name        string `bun:"name"`
	Role        Role   `bun:"role"`
	Locale      string `bun:"locale"`
	Institution string `bun:"institution"`
	Acronym     string `bun:"acronym"`
	Country     string `bun:"country"`
	// CreatedAt is when the account was made: the first post of a new
	// account may wait for a moderator.
	CreatedAt time.Time `bun:"created_at"`
}

// Members returns the enabled users among ids, by id. Disabled and unknown
// users are left out: they read nothing and are told nothing.
func Members(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Member, error) {
	out := make(map[int64]Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []Member
	err := membersQuery(db).Where("u.id IN (?)", bun.List(ids)).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("accounts: members: %w", err)
	}
	for _, m := range list {
		out[m.ID] = m
	}
	return out, nil
}

// MembersNamed returns, for each of names, the enabled users called so,
// compared without accents or case (as the database's accounts_fold folds
// them), so "joao conceicao" finds João Conceição. Names nobody has are
// left out.
func MembersNamed(ctx context.Context, db bun.IDB, names []string) (map[string][]Member, error) {
	out := map[string][]Member{}
	if len(names) == 0 {
		return out, nil
	}
	var list []struct {
		Member
		Given string `bun:"given"`
	}
	err := membersQuery(db).ColumnExpr("n.given").
		Join("JOIN unnest(?::text[]) AS n(given) ON accounts_fold(u.name) = accounts_fold(n.given)", pgdialect.Array(names)).
		OrderExpr("u.id").Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("accounts: members by name: %w", err)
	}
	for _, m := range list {
		out[m.Given] = append(out[m.Given], m.Member)
	}
	return out, nil
}

func membersQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id, u.name, u.role, u.locale, u.created_at").
		ColumnExpr("coalesce(i.name, '') AS institution, coalesce(i.acronym, '') AS acronym, coalesce(i.country, '') AS country").
		Join("LEFT JOIN institutions AS i ON i.id = u.institution_id").
		Where("NOT u.disabled")
}

// UserNames returns the names of the users among ids, disabled ones too,
// by id: a post keeps showing who wrote it.
func UserNames(ctx context.Context, db bun.IDB, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := db.NewSelect().TableExpr("users AS u").Column("u.id", "u.name").
		Where("u.id IN (?)", bun.List(ids)).Scan(ctx, &list); err != nil {
		return nil, fmt.Errorf("accounts: user names: %w", err)
	}
	for _, u := range list {
		out[u.ID] = u.Name
	}
	return out, nil
}
