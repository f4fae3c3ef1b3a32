package courses

import "github.com/uptrace/bun"

// Queries the reports package reads courses' data through, so that it
// never names courses' tables or columns itself. Each is a subquery with
// stable column names, joined with other packages' in one statement.

// ReportEnrolments selects the enrolments of a course that are not
// withdrawn as enrolment_id, course_id, user_id, status, enrolled_at,
// completed_at, modules_done and modules_total (the course's live modules,
// as progress counts them) and last_module_at (the latest module
// completion, or NULL). The enrolment keeps its modules completed and
// latest completion (triggers of migration 20261202130100), so a report
// reads no completions but those of the course's archived modules, which
// it takes off (most courses have none).
//
// The course is one, so its modules are looked at once per statement (each
// an InitPlan), not once per enrolment: counted per row, the live modules
// and the archived ones were 350,000 of the 1.2 million buffers a
// 40,000-row gradebook export read. The completions of archived modules are
// read per row only when the course has an archived module.
func ReportEnrolments(db bun.IDB, courseID int64) *bun.SelectQuery {
	return db.NewSelect().TableExpr("enrolments AS e").
		ColumnExpr("e.id AS enrolment_id, e.course_id, e.user_id, e.status, e.enrolled_at, e.completed_at").
		ColumnExpr(`e.modules_completed - CASE
			WHEN NOT EXISTS (SELECT FROM modules AS m WHERE m.course_id = ? AND m.archived_at IS NOT NULL) THEN 0
			ELSE (SELECT count(*) FROM modules AS m JOIN module_completions AS mc ON mc.module_id = m.id AND mc.enrolment_id = e.id
				WHERE m.course_id = ? AND m.archived_at IS NOT NULL) END AS modules_done`, courseID, courseID).
		ColumnExpr(`(SELECT count(*) FROM modules AS m WHERE m.course_id = ? AND m.archived_at IS NULL) AS modules_total`, courseID).
		ColumnExpr("e.last_module_at").
		Where("e.course_id = ? AND e.status IN (?, ?)", courseID, EnrolmentActive, EnrolmentCompleted)
}

// ReportEnrolmentCount selects, as enrolments, how many enrolments of a
// course have status ("": active or completed), from the counts the
// database keeps per course and status (CountCurrentEnrolments): one row,
// 0 for a course without any.
func ReportEnrolmentCount(db bun.IDB, courseID int64, status EnrolmentStatus) (*bun.SelectQuery, error) {
	return countCurrent(db, courseID, status)
}

// ReportCourses selects every course as course_id, title, slug, language,
// workload_hours, status and published_at.
func ReportCourses(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("courses AS c").
		ColumnExpr("c.id AS course_id, c.title, c.slug, c.language, c.workload_hours, c.status, c.published_at")
}
