package reports

import "context"

// WriteCSV writes the whole export to out: a header row, then one row per
// learner as Each reads them. t translates the headers and statuses in the
// reader's language (keys reports.csv.* and enrolment.status.*). progress,
// when not nil, is told how many rows are written after each one; an error
// from it stops the export. The streamed download and the background job
// both write through here, so their files are the same.
func (x *GradebookExport) WriteCSV(ctx context.Context, out *CSV, t func(key string, args ...any) string, progress func(rows int) error) error {
	for _, col := range []string{"learner", "email", "institution", "status", "enrolled", "progress", "last_activity"} {
		out.Text(t("reports.csv." + col))
	}
	for _, qz := range x.Quizzes {
		out.Text(t("reports.csv.quiz_best", qz.Title)).Text(t("reports.csv.quiz_attempts", qz.Title))
	}
	out.Text(t("reports.csv.completed")).Text(t("reports.csv.certificate"))
	if err := out.End(); err != nil {
		return err
	}
	rows := 0
	return x.Each(ctx, func(r *GradebookRow) error {
		out.Text(r.Name).Text(r.Email).Text(r.Institution).Text(t("enrolment.status." + r.Status)).
			Time(&r.EnrolledAt).Int(int64(r.Progress)).Time(&r.LastActivity)
		for _, cell := range r.Quizzes {
			if cell.Best != nil {
				out.Decimal(*cell.Best)
			} else {
				out.Empty()
			}
			out.Int(int64(cell.Attempts))
		}
		if err := out.Time(r.CompletedAt).Text(r.Certificate).End(); err != nil {
			return err
		}
		rows++
		if progress != nil {
			return progress(rows)
		}
		return nil
	})
}
