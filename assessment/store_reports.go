package assessment

import "github.com/uptrace/bun"

// Queries the reports package reads assessment's data through, so that it
// never names assessment's tables or columns itself.

// ReportQuizResults selects, per enrolment and quiz with attempts,
// enrolment_id, quiz_id, best_percent (the best submitted attempt's
// percent, NULL before any is submitted), attempts (submitted ones),
// passed (any attempt passed) and last_at (the latest start or
// submission). Filtered on enrolment_id, it reads only that enrolment's
// attempts (attempts_enrolment_quiz_idx).
func ReportQuizResults(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("attempts AS a").
		ColumnExpr("a.enrolment_id, a.quiz_id").
		ColumnExpr("max(a.percent) FILTER (WHERE a.submitted_at IS NOT NULL) AS best_percent").
		ColumnExpr("count(*) FILTER (WHERE a.submitted_at IS NOT NULL) AS attempts").
		ColumnExpr("bool_or(a.passed) AS passed").
		ColumnExpr("max(greatest(a.started_at, a.submitted_at)) AS last_at").
		GroupExpr("a.enrolment_id, a.quiz_id")
}

// ReportCourseQuizzes selects the quizzes of a course that are not
// archived, the columns of its gradebook, as quiz_id, title, required and
// counts: passing it is part of completing the course (required, with
// questions, as RequiredQuizzes counts them). The course shows them by id.
func ReportCourseQuizzes(db bun.IDB, courseID int64) *bun.SelectQuery {
	return db.NewSelect().TableExpr("quizzes AS qz").
		ColumnExpr("qz.id AS quiz_id, qz.title, qz.required").
		ColumnExpr("qz.required AND EXISTS (SELECT FROM questions AS qn WHERE qn.quiz_id = qz.id AND qn.archived_at IS NULL) AS counts").
		Where("qz.course_id = ? AND qz.archived_at IS NULL", courseID)
}

// ReportOpenDeadlines selects the attempts still open that must be
// submitted by a deadline, as attempt_id, user_id, quiz_id, quiz_title,
// course_id and deadline (attempts_open_deadline_idx holds the open ones only).
func ReportOpenDeadlines(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("attempts AS a").Join("JOIN quizzes AS qz ON qz.id = a.quiz_id").
		ColumnExpr("a.id AS attempt_id, a.user_id, a.quiz_id, qz.title AS quiz_title, qz.course_id, a.deadline").
		Where("a.submitted_at IS NULL AND a.deadline IS NOT NULL")
}
