package certificates

import "github.com/uptrace/bun"

// Queries the reports package reads certificates' data through, so that
// it never names certificates' tables or columns itself.

// ReportCertificates selects every certificate that is not revoked as
// certificate_id, code, user_id, course_id, enrolment_id (NULL for one
// issued by hand), event_id (a participation certificate's event, whose
// course_id is NULL), holder_name, course_title (the event's title for
// participation), workload_hours (the hours attended, for
// participation), language and issued_at.
func ReportCertificates(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("certificates AS cert").
		ColumnExpr("cert.id AS certificate_id, cert.code, cert.user_id, cert.course_id, cert.enrolment_id, cert.event_id").
		ColumnExpr("cert.holder_name, cert.course_title, cert.workload_hours, cert.language, cert.issued_at").
		Where("cert.revoked_at IS NULL")
}
