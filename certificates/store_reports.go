package certificates

import "github.com/uptrace/bun"

// Queries the reports package reads certificates' data through, so that
// it never names certificates' tables or columns itself.

// ReportCertificates selects every certificate that is not revoked as
// certificate_id, code, user_id, course_id, enrolment_id (NULL for one
// issued by hand), holder_name, course_title, workload_hours and
// issued_at.
func ReportCertificates(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("certificates AS cert").
		ColumnExpr("cert.id AS certificate_id, cert.code, cert.user_id, cert.course_id, cert.enrolment_id").
		ColumnExpr("cert.holder_name, cert.course_title, cert.workload_hours, cert.issued_at").
		Where("cert.revoked_at IS NULL")
}
