package accounts

import "github.com/uptrace/bun"

// Queries other packages join, so that a page listing people (a course's
// roster and instructors, a quiz's results) stays one SQL statement
// without naming accounts' tables: they select from or join the query as
// a subquery,
//
//	q.Join("JOIN (?) AS u ON u.id = e.user_id", accounts.PublicUsers(db))
//
// and PostgreSQL plans it as a join of the table itself (a plain subquery
// is pulled up), so its indexes serve. The columns are the ones others may
// show or filter on; password hashes and sessions never leave accounts.

// PublicUsers returns a query of users' public columns: id, name, email,
// role, institution_id, locale, disabled.
func PublicUsers(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().Model((*User)(nil)).
		Column("u.id", "u.name", "u.email", "u.role", "u.institution_id", "u.locale", "u.disabled")
}

// PublicUsersWithInstitutions returns PublicUsers with their institution's
// columns: institution_acronym and institution_name ("" without one).
func PublicUsersWithInstitutions(db bun.IDB) *bun.SelectQuery {
	return PublicUsers(db).
		ColumnExpr("coalesce(i.acronym, '') AS institution_acronym, coalesce(i.name, '') AS institution_name").
		Join("LEFT JOIN institutions AS i ON i.id = u.institution_id")
}
