package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/reports"
)

// Exports too large to stream while the reader waits (reports'
// InlineRows): the gradebook's CSV link then answers with a page that
// offers to prepare the file in the background; the export's page shows
// how far the job got, reloading itself every few seconds — no script
// needed — and then links to the file. The API always streams: a script
// can wait.

// exportRefreshSeconds is how often an export's page reloads while the
// file is made.
const exportRefreshSeconds = 2

// exportStartPage offers to prepare a large export in the background.
type exportStartPage struct {
	Page
	Course *reports.Gradebook
	Rows   int
	// Action is where the form goes, with the filters kept.
	Action string
}

// exportPage is a background export's progress, then its download.
type exportPage struct {
	Page
	Export  *reports.Export
	Size    string
	Expires string
}

// offerGradebookExport answers the CSV link of a gradebook too large to
// stream: a page with a button that starts the background export.
func (s *server) offerGradebookExport(c *fiber.Ctx, x *reports.GradebookExport) error {
	p := exportStartPage{Page: s.page(c, "reports2.export.title"), Course: x.Gradebook, Rows: x.Rows}
	p.Nav = "reports"
	p.Action = withQuery(c, fmt.Sprintf("/reports/courses/%d/gradebook/exports", x.Course.ID), "after", "")
	return s.render(c, "pages/reports/export_start", p)
}

// startGradebookExport prepares the gradebook the filters keep as a CSV
// file in the background, and sends the person to its page.
func (s *server) startGradebookExport(c *fiber.Ctx) error {
	q, err := gradebookQuery(c)
	if err != nil {
		return err
	}
	l := lang(c)
	e, err := s.reports.StartGradebookExport(c.UserContext(), actor(c), q, reports.ExportParams{Lang: l,
		Format: reports.CSVFormat{Semicolon: decimalComma(l)}, FileName: fmt.Sprintf("gradebook-%d.csv", q.CourseID)})
	if err != nil {
		return err
	}
	return c.Redirect("/reports/exports/"+strconv.FormatInt(e.ID, 10), fiber.StatusSeeOther)
}

// exportProgressPage shows how far an export got, and its link when done.
func (s *server) exportProgressPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.reports.Export(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	p := exportPage{Page: s.page(c, "reports2.export.title"), Export: e}
	p.Nav = "reports"
	p.Size = formatDecimal(p.Lang, float64(e.SizeBytes*10/(1<<20))/10)
	if e.ExpiresAt != nil {
		p.Expires = p.Time(*e.ExpiresAt)
	}
	if !e.Finished() {
		// The Refresh header reloads the page like <meta http-equiv="refresh">.
		c.Set("Refresh", strconv.Itoa(exportRefreshSeconds))
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return s.render(c, "pages/reports/export", p)
}

// downloadExport streams a finished export's file from the blob store.
func (s *server) downloadExport(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	// The body is read after this handler returns: the reader's context
	// must outlive the request's and is bounded on its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), 30*time.Minute)
	r, e, err := s.reports.OpenExport(ctx, actor(c), id)
	if err != nil {
		cancel()
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+e.FileName+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Context().SetBodyStream(&cancelReader{ReadCloser: r, cancel: cancel}, int(e.SizeBytes))
	return nil
}
