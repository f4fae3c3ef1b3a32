package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/reports"
)

// The reports: a course's gradebook, an institution's and the network's
// figures, as pages, CSV files and JSON, with their filters in the URL.

// reportTime is how every report page writes a time: the one helper, so
// that when users get their own time zones the reports follow at once.
func reportTime(t time.Time) string { return formatTime(t) }

// gradebookForm is the gradebook's filters, read from the URL.
type gradebookForm struct {
	InstitutionID int64  `query:"institution_id" validate:"gte=0"`
	Status        string `query:"status" validate:"omitempty,oneof=active completed"`
	Sort          string `query:"sort" validate:"omitempty,oneof=name enrolled completed"`
	After         string `query:"after" validate:"max=400"`
	Limit         int    `query:"limit" validate:"gte=0,lte=100"`
}

// gradebookQuery reads the route's course and the filters.
func gradebookQuery(c *fiber.Ctx) (reports.GradebookQuery, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return reports.GradebookQuery{}, err
	}
	var f gradebookForm
	if err := c.QueryParser(&f); err != nil {
		return reports.GradebookQuery{}, errMalformed
	}
	if err := validateStruct(&f); err != nil {
		return reports.GradebookQuery{}, err
	}
	return reports.GradebookQuery{CourseID: id, InstitutionID: f.InstitutionID, Status: f.Status, Sort: f.Sort,
		After: f.After, Limit: f.Limit}, nil
}

// gradebookJSON is the API's gradebook page.
type gradebookJSON struct {
	Course  courseRef              `json:"course"`
	Quizzes []reports.QuizColumn   `json:"quizzes"`
	Items   []reports.GradebookRow `json:"items"`
	// Next is the cursor of the next page (?after=), "" on the last one.
	Next string `json:"next"`
}

type courseRef struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
}

// gradebook answers a page of a course's gradebook (API).
func (s *server) gradebook(c *fiber.Ctx) error {
	q, err := gradebookQuery(c)
	if err != nil {
		return err
	}
	gb, err := s.reports.Gradebook(c.UserContext(), actor(c), q)
	if err != nil {
		return err
	}
	return c.JSON(gradebookJSON{Course: courseRef{ID: gb.Course.ID, Slug: gb.Course.Slug, Title: gb.Course.Title},
		Quizzes: nonNil(gb.Quizzes), Items: nonNil(gb.Rows), Next: gb.Next})
}

// gradebookPage is a course's gradebook page.
type gradebookPage struct {
	Page
	Gradebook    *reports.Gradebook
	Rows         []gradebookRowView
	Filter       reports.GradebookQuery
	Institutions []accounts.Institution
	Sorts        []string
	Statuses     []string
	// CSV, Next and First are links with the filters kept.
	CSV, Next, First string
}

// gradebookRowView is a row as the page shows it.
type gradebookRowView struct {
	reports.GradebookRow
	Enrolled, LastActivity, Completed string
	Quizzes                           []quizCellView
}

type quizCellView struct {
	Best     string // "" before any attempt was submitted
	Attempts int
}

func (s *server) gradebookPage(c *fiber.Ctx) error {
	q, err := gradebookQuery(c)
	if err != nil {
		return err
	}
	gb, err := s.reports.Gradebook(c.UserContext(), actor(c), q)
	if err != nil {
		return err
	}
	all, err := s.allInstitutions(c)
	if err != nil {
		return err
	}
	if gb.Scope != 0 {
		all = slices.DeleteFunc(all, func(inst accounts.Institution) bool { return inst.ID != gb.Scope })
	}
	p := gradebookPage{Page: s.page(c, "reports.gradebook.title"), Gradebook: gb, Filter: q, Institutions: all,
		Sorts: reports.GradebookSorts, Statuses: reports.GradebookStatuses}
	base := fmt.Sprintf("/reports/courses/%d/gradebook", gb.Course.ID)
	p.CSV = withQuery(c, base+".csv", "after", "")
	p.First = withQuery(c, base, "after", "")
	if gb.Next != "" {
		p.Next = withQuery(c, base, "after", gb.Next)
	}
	for _, r := range gb.Rows {
		v := gradebookRowView{GradebookRow: r, Enrolled: reportTime(r.EnrolledAt), LastActivity: reportTime(r.LastActivity)}
		if r.CompletedAt != nil {
			v.Completed = reportTime(*r.CompletedAt)
		}
		for _, cell := range r.Quizzes {
			qv := quizCellView{Attempts: cell.Attempts}
			if cell.Best != nil {
				qv.Best = formatDecimal(p.Lang, *cell.Best)
			}
			v.Quizzes = append(v.Quizzes, qv)
		}
		p.Rows = append(p.Rows, v)
	}
	return s.render(c, "pages/reports/gradebook", p)
}

// gradebookCSV sends the whole gradebook the filters keep as a CSV file,
// streamed from the database.
func (s *server) gradebookCSV(c *fiber.Ctx) error {
	q, err := gradebookQuery(c)
	if err != nil {
		return err
	}
	x, err := s.reports.ExportGradebook(c.UserContext(), actor(c), q)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	return s.streamCSV(c, "gradebook-"+x.Course.Slug+".csv", func(ctx context.Context, out *reports.CSV) error {
		for _, col := range []string{"learner", "email", "institution", "status", "enrolled", "progress", "last_activity"} {
			out.Text(tr.T("reports.csv." + col))
		}
		for _, qz := range x.Quizzes {
			out.Text(tr.T("reports.csv.quiz_best", qz.Title)).Text(tr.T("reports.csv.quiz_attempts", qz.Title))
		}
		out.Text(tr.T("reports.csv.completed")).Text(tr.T("reports.csv.certificate"))
		if err := out.End(); err != nil {
			return err
		}
		return x.Each(ctx, func(r *reports.GradebookRow) error {
			out.Text(r.Name).Text(r.Email).Text(r.Institution).Text(tr.T("enrolment.status." + r.Status)).
				Time(&r.EnrolledAt).Int(int64(r.Progress)).Time(&r.LastActivity)
			for _, cell := range r.Quizzes {
				if cell.Best != nil {
					out.Decimal(*cell.Best)
				} else {
					out.Empty()
				}
				out.Int(int64(cell.Attempts))
			}
			return out.Time(r.CompletedAt).Text(r.Certificate).End()
		})
	})
}

// withQuery is the current URL's query on path, with key set to value
// (removed when value is ""): links that keep the filters.
func withQuery(c *fiber.Ctx, path, key, value string) string {
	args := fiber.AcquireArgs()
	defer fiber.ReleaseArgs(args)
	c.Context().QueryArgs().CopyTo(args)
	if value == "" {
		args.Del(key)
	} else {
		args.Set(key, value)
	}
	if args.Len() == 0 {
		return path
	}
	return path + "?" + args.String()
}
