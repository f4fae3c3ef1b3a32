package accounts

import "github.com/uptrace/bun"

// Queries the reports package reads accounts' data through, so that it
// never names accounts' tables or columns itself. Each is a subquery with
// stable column names, which a report joins with other packages' in one
// statement (a report of 100,000 learners is one query, not one per row).

// ReportPeople selects every user as user_id, name, email, role,
// institution_id and disabled.
func ReportPeople(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id AS user_id, u.name, u.email, u.role, u.institution_id, u.disabled")
}

// ReportInstitutions selects every institution as institution_id, name,
// acronym and country.
func ReportInstitutions(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("institutions AS i").
		ColumnExpr("i.id AS institution_id, i.name, i.acronym, i.country")
}
