package accounts

import "github.com/uptrace/bun"

// UsersInCountry returns a query of the ids of the users whose
// institution is in country (ISO 3166-1 alpha-2), for events to find the
// events organised by a country's staff without naming accounts' tables:
//
//	q.Where("o.user_id IN (?)", accounts.UsersInCountry(db, "MZ"))
func UsersInCountry(db bun.IDB, country string) *bun.SelectQuery {
	return db.NewSelect().Model((*User)(nil)).Column("u.id").
		Join("JOIN institutions AS i ON i.id = u.institution_id").
		Where("i.country = ?", country)
}
