package app

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/courses"
)

// The stored reports of CSV imports, page and API side by side: an admin
// opens an import again (from the roster) to see what it did and hand out
// the password links still unused, even when the import's own answer was
// lost.

// importsURL is the page listing a course's imports.
func importsURL(courseID int64) string {
	return fmt.Sprintf("/manage/courses/%d/enrolments/imports", courseID)
}

// importURL is the page of one import.
func importURL(courseID, importID int64) string {
	return fmt.Sprintf("%s/%d", importsURL(courseID), importID)
}

// importJSON is an import report in the API.
type importJSON struct {
	ID              int64               `json:"id"`
	CourseID        int64               `json:"course_id"`
	ImportedBy      *person             `json:"imported_by"`
	ImportedAt      time.Time           `json:"imported_at"`
	FileName        string              `json:"file_name"`
	Rows            int                 `json:"rows"`
	CreatedUsers    int                 `json:"created_users"`
	Enrolled        int                 `json:"enrolled"`
	AlreadyEnrolled int                 `json:"already_enrolled"`
	URL             string              `json:"url"`
	NewAccounts     []importAccountJSON `json:"new_accounts,omitempty"`
}

// importAccountJSON is an account an import created; password_url is null
// once the link was used or expired.
type importAccountJSON struct {
	UserID      int64   `json:"user_id"`
	Email       string  `json:"email"`
	Name        string  `json:"name"`
	PasswordURL *string `json:"password_url"`
}

func (s *server) importJSON(imp courses.Import) importJSON {
	out := importJSON{ID: imp.ID, CourseID: imp.CourseID, ImportedAt: imp.ImportedAt.UTC(), FileName: imp.FileName,
		Rows: imp.Rows, CreatedUsers: imp.CreatedUsers, Enrolled: imp.Enrolled, AlreadyEnrolled: imp.AlreadyEnrolled,
		URL: s.cfg.BaseURL + importURL(imp.CourseID, imp.ID)}
	if imp.ImportedBy != nil {
		out.ImportedBy = &person{ID: *imp.ImportedBy, Name: imp.ImportedByName}
	}
	return out
}

func (s *server) importAccounts(list []courses.ImportAccount) []importAccountJSON {
	out := make([]importAccountJSON, len(list))
	for i, a := range list {
		out[i] = importAccountJSON{UserID: a.UserID, Email: a.Email, Name: a.Name}
		if a.PasswordToken != nil {
			u := s.passwordURL(*a.PasswordToken)
			out[i].PasswordURL = &u
		}
	}
	return out
}

// passwordURL is the address of a one-time password link.
func (s *server) passwordURL(token string) string { return s.cfg.BaseURL + "/password/" + token }

// importsOf reads the page of imports of the route's course, for the
// page and the API alike.
func (s *server) importsOf(c *fiber.Ctx) (*courses.ImportList, int, int, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, 0, 0, err
	}
	limit, offset := pagination(c)
	imports, err := s.courses.Imports(c.UserContext(), actor(c), id, limit, offset)
	return imports, limit, offset, err
}

// importOf reads the route's import report, for the page and the API alike.
func (s *server) importOf(c *fiber.Ctx) (*courses.ImportReport, error) {
	id, n, err := paramIDs(c, "id", "n")
	if err != nil {
		return nil, err
	}
	return s.courses.ImportReport(c.UserContext(), actor(c), id, n)
}

type importsPage struct {
	Page
	Course *courses.Course
	// Items and Pager: the list of imports (nil when one is shown).
	Items []importView
	Pager pager
	// Report is the one import shown, or nil.
	Report *importView
}

// importView is an import as its pages show it.
type importView struct {
	importJSON
	When     string
	Page     string
	Accounts []importAccountJSON
}

func (s *server) importView(p Page, imp courses.Import) importView {
	return importView{importJSON: s.importJSON(imp), When: p.Time(imp.ImportedAt), Page: importURL(imp.CourseID, imp.ID)}
}

// importsListPage lists a course's imports, newest first.
func (s *server) importsListPage(c *fiber.Ctx) error {
	imports, limit, offset, err := s.importsOf(c)
	if err != nil {
		return err
	}
	p := importsPage{Page: s.page(c, "imports.title"), Course: imports.Course, Items: []importView{},
		Pager: newPager(c, imports.Total, limit, offset)}
	for _, imp := range imports.Items {
		p.Items = append(p.Items, s.importView(p.Page, imp))
	}
	return s.render(c, "pages/enrolment/imports", p)
}

// importReportPage shows one import with its accounts and unused links.
func (s *server) importReportPage(c *fiber.Ctx) error {
	report, err := s.importOf(c)
	if err != nil {
		return err
	}
	p := importsPage{Page: s.page(c, "imports.report_title"), Course: report.Course}
	v := s.importView(p.Page, report.Import)
	v.Accounts = s.importAccounts(report.Accounts)
	p.Report = &v
	return s.render(c, "pages/enrolment/imports", p)
}
