package app

import (
	"bytes"
	"errors"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// The roster page: who is enrolled in a course, with progress, for the
// course's instructors and admins; admins also enrol people from it (by
// email, a whole institution, or a CSV file).

type rosterPage struct {
	Page
	Course       *courses.Course
	Items        []courses.RosterEntry
	Institutions []accounts.Institution
	// InstitutionOptions (the filter's, its choice selected), CohortOptions
	// and RowsHTML are written beforehand (rosterRowsHTML): ranged over by
	// the template, 200 institutions twice and the rows were three fifths
	// of the server's time on a roster page at scale.
	InstitutionOptions, CohortOptions, RowsHTML template.HTML
	Filter                                      courses.RosterFilter
	Pager                                       pager
	Errors                                      map[string]string
	Email                                       string
	Bulk                                        *bulkResult
	RowErrors                                   []rowDetail
	DryRun                                      bool
	CohortAdded                                 int
	CohortDone                                  bool
	// MayEnrol shows the enrolment forms (admins; coordinators for their staff).
	MayEnrol bool
}

// rosterPageData reads the roster of the route's course, for those who
// may see it (courses.Service.Roster decides).
func (s *server) rosterPageData(c *fiber.Ctx) (*rosterPage, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	filter, err := rosterFilter(c)
	if err != nil {
		return nil, err
	}
	roster, err := s.courses.Roster(c.UserContext(), actor(c), id, filter)
	if err != nil {
		return nil, err
	}
	all, err := s.allInstitutions(c)
	if err != nil {
		return nil, err
	}
	if scope := roster.Oversight.InstitutionID; scope != 0 {
		// A coordinator filters and enrols within their institution only.
		all = slices.DeleteFunc(all, func(inst accounts.Institution) bool { return inst.ID != scope })
	}
	byID := make(map[int64]accounts.Institution, len(all))
	for _, inst := range all {
		byID[inst.ID] = inst
	}
	p := &rosterPage{Page: s.page(c, "roster.title"), Course: roster.Course, Items: roster.Items, Institutions: all,
		InstitutionOptions: institutionOptions(all, filter.InstitutionID), CohortOptions: institutionOptions(all, 0), Filter: filter, Pager: newPager(c, roster.Total, filter.Limit, filter.Offset), MayEnrol: roster.Oversight.MayEnrol}
	next := ""
	if roster.Next != nil {
		next = roster.Next.String()
	}
	p.Pager.keyset(c, next)
	p.RowsHTML = rosterRowsHTML(p.Page, roster.Items, byID)
	return p, nil
}

// rosterRowsHTML writes the roster's rows, a <tr> each, every text escaped
// as the template would escape it.
func rosterRowsHTML(p Page, items []courses.RosterEntry, byID map[int64]accounts.Institution) template.HTML {
	var b strings.Builder
	b.Grow(len(items) * 320)
	text := html.EscapeString
	label := text(p.T("roster.progress"))
	status := map[courses.EnrolmentStatus]string{}
	for _, e := range items {
		acronym := ""
		if id := e.User.InstitutionID; id != nil {
			acronym = byID[*id].Acronym
		}
		st, ok := status[e.Status]
		if !ok {
			st = text(p.T("enrolment.status." + string(e.Status)))
			status[e.Status] = st
		}
		pct := strconv.Itoa(e.ProgressPercent)
		b.WriteString("<tr>\n    <td>" + text(e.User.Name) + "</td><td>" + text(e.User.Email) + "</td>\n    <td>" + text(acronym) +
			`</td>` + "\n    " + `<td><progress max="100" value="` + pct + `" aria-label="` + label + `">` + pct + "%</progress> " + pct +
			"%</td>\n    <td>" + st + "</td>\n  </tr>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

func (s *server) rosterPage(c *fiber.Ctx) error {
	p, err := s.rosterPageData(c)
	if err != nil {
		return err
	}
	return s.render(c, "pages/enrolment/roster", p)
}

// enrolByEmailPage enrols one existing user by email.
func (s *server) enrolByEmailPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form enrolUserForm
	err = parseBody(c, &form)
	var userID int64
	if err == nil {
		userID, err = s.resolveUser(c, enrolUserForm{Email: form.Email})
	}
	if err == nil {
		_, err = s.courses.EnrolUser(c.UserContext(), actor(c), id, userID)
		if errors.Is(err, courses.ErrAlreadyEnrolled) {
			err = validationError(map[string]message{"email": {Key: "enrol.already"}})
		}
	}
	if err == nil {
		return s.redirectWithFlash(c, rosterURL(id), "flash.enrolled_user")
	}
	if !fieldError(err) {
		return err
	}
	p, perr := s.rosterPageData(c)
	if perr != nil {
		return perr
	}
	p.Errors, p.Email = s.translateFields(c, err), form.Email
	c.Status(statusOf(err))
	return s.render(c, "pages/enrolment/roster", p)
}

func (s *server) enrolCohortPage(c *fiber.Ctx) error {
	_, n, err := s.enrolCohortFrom(c)
	if err != nil {
		return err
	}
	p, err := s.rosterPageData(c)
	if err != nil {
		return err
	}
	p.CohortAdded, p.CohortDone = n, true
	return s.render(c, "pages/enrolment/roster", p)
}

// bulkEnrolPage imports an uploaded CSV file and shows what happened, with
// the password links of new accounts; a bad file shows every bad line and
// nothing is written.
func (s *server) bulkEnrolPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	dryRun := c.FormValue("dry_run") != ""
	data, err := readUpload(c, "file", bulkCSVLimit)
	var res *courses.BulkResult
	if err == nil {
		in := courses.BulkImport{File: bytes.NewReader(data), DryRun: dryRun}
		if fh, ferr := c.FormFile("file"); ferr == nil {
			in.FileName = strings.Clone(fh.Filename)
		}
		res, err = s.courses.BulkEnrol(c.UserContext(), actor(c), id, in)
	}
	he, known := asHTTPError(err)
	if err != nil && (!known || (len(he.Rows) == 0 && len(he.Fields) == 0)) {
		return err
	}
	p, perr := s.rosterPageData(c)
	if perr != nil {
		return perr
	}
	p.DryRun = dryRun
	if err != nil {
		tr := s.i18n.Printer(lang(c))
		for _, r := range he.Rows {
			p.RowErrors = append(p.RowErrors, rowDetail{Line: r.Line, Message: tr.T(r.Msg.Key, r.Msg.Args...)})
		}
		p.Errors = s.translateFields(c, err)
		c.Status(he.Status)
	} else {
		out := s.bulkResponse(res)
		p.Bulk = &out
	}
	return s.render(c, "pages/enrolment/roster", p)
}

func rosterURL(courseID int64) string {
	return "/manage/courses/" + strconv.FormatInt(courseID, 10) + "/enrolments"
}
