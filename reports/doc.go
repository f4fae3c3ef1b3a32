// Package reports answers "who completed what": a course's gradebook, an
// institution's and the network's figures, the administrators' dashboard
// and the learner's home.
//
// It owns one table, report_exports: exports too large to stream while
// their reader waits, made by background jobs into the blob store
// (exports.go). It reads the other domains through the subqueries they
// export for it (accounts.ReportPeople, courses.ReportEnrolments,
// assessment.ReportQuizResults, certificates.ReportCertificates, …) and
// joins them in one statement per page or per chunk of an export, so a
// report costs a fixed number of queries whatever its size, and no package's
// table names leak into another. Who may see what is decided by courses
// (Oversight: a course's editors see every learner, coordinators their own
// institution's) and here for the institution and network reports.
//
// Exports are written row by row while the rows are read (WriteCSV and the
// Each… functions walk a report in keyset-paginated chunks), so memory
// stays flat whatever the number of learners; the streamed download and the
// background job write through the same GradebookExport.WriteCSV.
package reports
