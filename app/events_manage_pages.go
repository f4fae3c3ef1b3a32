package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/spreadsheet"
)

// The organisers' pages: their events, the new event form, one event's
// management (sessions, publishing, registrations, co-organisers, closing,
// exports), a session's attendance sheet and its check-in screen.

func manageEventPath(id int64) string { return "/manage/events/" + strconv.FormatInt(id, 10) }

func manageSessionPath(id int64) string { return "/manage/sessions/" + strconv.FormatInt(id, 10) }

type organisedPage struct {
	Page
	Items []eventCard
}

// organisedPage lists the events the user organises (all for admins).
func (s *server) organisedPage(c *fiber.Ctx) error {
	items, err := s.events.Organised(c.UserContext(), eventActor(c))
	if err != nil {
		return err
	}
	p := s.page(c, "events.manage.title")
	p.Nav = "manage_events"
	cards := make([]eventCard, len(items))
	for i := range items {
		cards[i] = eventCard{Event: &items[i].Event, Sessions: s.sessionViews(c, &items[i].Event, items[i].Sessions)}
	}
	return s.render(c, "pages/events/organised", organisedPage{Page: p, Items: cards})
}

type eventFormPage struct {
	Page
	Form      eventForm
	Capacity  string
	Margin    string
	Errors    map[string]string
	Languages []string
	Kinds     []events.Kind
	Modes     []events.Mode
}

func (s *server) renderEventForm(c *fiber.Ctx, form eventForm, capacity, margin string, errs map[string]string) error {
	p := s.page(c, "events.form.title")
	p.Nav = "manage_events"
	return s.render(c, "pages/events/form", eventFormPage{Page: p, Form: form, Capacity: capacity, Margin: margin, Errors: errs,
		Languages: events.Languages, Kinds: events.Kinds, Modes: events.Modes})
}

// newEventPage shows the new event form.
func (s *server) newEventPage(c *fiber.Ctx) error {
	form := eventForm{Language: strings.SplitN(lang(c), "-", 2)[0], Kind: string(events.KindSeminar), TimeZone: s.viewerZone(c).String(),
		Registration: string(events.ModeOpen), MinAttendancePercent: 75}
	if form.TimeZone == "Local" {
		form.TimeZone = "UTC"
	}
	return s.renderEventForm(c, form, "", strconv.Itoa(events.DefaultCheckinMargin), nil)
}

// optionalInt reads a number field a page may leave empty.
func optionalInt(c *fiber.Ctx, field string, errs map[string]message) *int {
	v := strings.TrimSpace(c.FormValue(field))
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		errs[field] = message{Key: "validation.invalid"}
		return nil
	}
	return &n
}

// createEventPage creates a draft from the form and opens its page.
func (s *server) createEventPage(c *fiber.Ctx) error {
	var form eventForm
	bad := map[string]message{}
	form.Capacity = optionalInt(c, "capacity", bad)
	form.CheckinMarginMinutes = optionalInt(c, "checkin_margin_minutes", bad)
	capacity, margin := strings.Clone(c.FormValue("capacity")), strings.Clone(c.FormValue("checkin_margin_minutes"))
	err := parseBody(c, &form)
	if err == nil && len(bad) > 0 {
		err = validationError(bad)
	}
	if err == nil {
		var e *events.Event
		if e, err = s.events.CreateEvent(c.UserContext(), eventActor(c), form.params()); err == nil {
			return s.redirectWithFlash(c, manageEventPath(e.ID), "events.flash.created")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.renderEventForm(c, form, capacity, margin, s.translateFields(c, err))
}

type manageEventPage struct {
	Page
	Event         *events.Event
	Sessions      []sessionView
	Registrations []registrationRow
	Organisers    []accounts.User
	Taken         int
	Session       sessionForm
	Errors        map[string]string
	CanClose      bool
	Citations     []citedItem // library items the event cites (library_event_citations.go)
}

// registrationRow is a registration with its person, for the organiser.
type registrationRow struct {
	events.Registration
	Name, Email string
}

func (s *server) renderManageEvent(c *fiber.Ctx, id int64, form sessionForm, errs map[string]string) error {
	ctx := c.UserContext()
	d, err := s.events.Detail(ctx, eventActor(c), id)
	if err != nil {
		return err
	}
	if !d.Organiser {
		return errForbidden
	}
	regs, err := s.events.Registrations(ctx, eventActor(c), id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(regs))
	for i, r := range regs {
		ids[i] = r.UserID
	}
	orgIDs, err := s.events.Organisers(ctx, id)
	if err != nil {
		return err
	}
	people, err := s.events.People(ctx, append(ids, orgIDs...))
	if err != nil {
		return err
	}
	byID := map[int64]accounts.User{}
	for _, u := range people {
		byID[u.ID] = u
	}
	p := manageEventPage{Page: s.page(c, "events.manage.title"), Event: d.Event, Sessions: s.sessionViews(c, d.Event, d.Sessions),
		Taken: d.Taken, Session: form, Errors: errs}
	p.Title, p.Nav = d.Event.Title, "manage_events"
	for _, r := range regs {
		p.Registrations = append(p.Registrations, registrationRow{Registration: r, Name: byID[r.UserID].Name, Email: byID[r.UserID].Email})
	}
	for _, oid := range orgIDs {
		p.Organisers = append(p.Organisers, byID[oid])
	}
	if p.Citations, err = s.eventCitations(c, id); err != nil {
		return err
	}
	if n := len(d.Sessions); n > 0 {
		p.CanClose = d.Event.Status == events.StatusPublished && !s.events.Now().Before(d.Sessions[n-1].StartsAt)
	}
	return s.render(c, "pages/events/manage", p)
}

// manageEventPage shows one event to its organisers.
func (s *server) manageEventPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderManageEvent(c, id, sessionForm{}, nil)
}

// createSessionPage adds a session; its times are read in the event's zone.
func (s *server) createSessionPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	acc, err := s.events.Access(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	var form sessionForm
	err = parseBody(c, &form)
	if err == nil {
		var p events.SessionParams
		if p, err = form.params(acc.Event.Location()); err == nil {
			if _, err = s.events.AddSession(c.UserContext(), eventActor(c), id, p); err == nil {
				return s.redirectWithFlash(c, manageEventPath(id), "events.flash.session_added")
			}
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.renderManageEvent(c, id, form, s.translateFields(c, err))
}

// publishEventPage publishes an event.
func (s *server) publishEventPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.events.Publish(c.UserContext(), eventActor(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageEventPath(id), "events.flash.published")
}

// closeEventPage closes an event and issues its certificates.
func (s *server) closeEventPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.events.Close(c.UserContext(), eventActor(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageEventPath(id), "events.flash.closed")
}

// addOrganiserPage adds a co-organiser by email.
func (s *server) addOrganiserPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form organiserForm
	err = parseBody(c, &form)
	if err == nil {
		if err = s.addOrganiserByForm(c, id, form); err == nil {
			return s.redirectWithFlash(c, manageEventPath(id), "events.flash.organiser_added")
		}
	}
	if !fieldError(err) {
		return err
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.renderManageEvent(c, id, sessionForm{}, s.translateFields(c, err))
}

// approvePage approves a pending registration.
func (s *server) approvePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.events.Approve(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, manageEventPath(r.EventID), "events.flash.approved")
}

type attendancePage struct {
	Page
	Event     *events.Event
	Session   sessionView
	Rows      []attendanceRow
	Statuses  []events.AttendanceStatus
	Result    *events.ImportResult
	RowErrors []rowDetail
	Errors    map[string]string
}

type attendanceRow struct {
	User    accounts.User
	Status  events.AttendanceStatus
	Minutes *int
	Source  events.Source
}

func (s *server) renderAttendance(c *fiber.Ctx, id int64, res *events.ImportResult, fail error) error {
	sh, err := s.events.Sheet(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	p := attendancePage{Page: s.page(c, "events.attendance.title"), Event: sh.Event,
		Session: s.sessionViews(c, sh.Event, []events.Session{*sh.Session})[0], Statuses: events.AttendanceStatuses, Result: res}
	p.Nav = "manage_events"
	for _, u := range sh.Participants {
		a := sh.Records[u.ID]
		p.Rows = append(p.Rows, attendanceRow{User: u, Status: a.Status, Minutes: a.Minutes, Source: a.Source})
	}
	if fail != nil {
		he, _ := asHTTPError(fail)
		c.Status(he.Status)
		tr := s.i18n.Printer(lang(c))
		for _, r := range he.Rows {
			p.RowErrors = append(p.RowErrors, rowDetail{Line: r.Line, Message: tr.T(r.Msg.Key, r.Msg.Args...)})
		}
		p.Errors = s.translateFields(c, fail)
		if len(p.Errors) == 0 && len(p.RowErrors) == 0 {
			p.Errors = map[string]string{"file": tr.T(he.Msg.Key, he.Msg.Args...)}
		}
	}
	return s.render(c, "pages/events/attendance", p)
}

// attendancePage is the marking sheet of a session, usable on a phone.
func (s *server) attendancePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderAttendance(c, id, nil, nil)
}

// markAttendancePage saves the sheet: a field status_<user id> per
// participant ("" leaves them unmarked).
func (s *server) markAttendancePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var records []events.Record
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		uid, ok := strings.CutPrefix(string(k), "status_")
		if !ok || len(v) == 0 {
			return
		}
		if n, err := strconv.ParseInt(uid, 10, 64); err == nil {
			records = append(records, events.Record{UserID: n, Status: events.AttendanceStatus(string(v))})
		}
	})
	if err := s.events.MarkAttendance(c.UserContext(), eventActor(c), id, records); err != nil {
		if _, ok := asHTTPError(err); !ok || !fieldError(err) {
			return err
		}
		return s.renderAttendance(c, id, nil, err)
	}
	return s.redirectWithFlash(c, manageSessionPath(id)+"/attendance", "events.flash.attendance_saved")
}

// importAttendancePage records a participants report.
func (s *server) importAttendancePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	r, err := readReport(c)
	var res *events.ImportResult
	if err == nil {
		res, err = s.events.ImportAttendance(c.UserContext(), eventActor(c), id, r)
	}
	if err != nil {
		if he, ok := asHTTPError(err); !ok || he.Status != fiber.StatusUnprocessableEntity {
			return err
		}
		return s.renderAttendance(c, id, nil, err)
	}
	return s.renderAttendance(c, id, res, nil)
}

type checkinScreenPage struct {
	Page
	Event   *events.Event
	Session sessionView
	Code    *events.CheckinCode
	Refresh int
}

// checkinScreenPage is the organiser's screen: the QR code of the current
// check-in code, reloaded as it rotates (no script needed).
func (s *server) checkinScreenPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ses, code, err := s.events.Code(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	acc, err := s.events.Access(c.UserContext(), eventActor(c), ses.EventID)
	if err != nil {
		return err
	}
	p := checkinScreenPage{Page: s.page(c, "events.screen.title"), Event: acc.Event,
		Session: s.sessionViews(c, acc.Event, []events.Session{*ses})[0], Code: code, Refresh: 1}
	if r := code.RotatesAt.Sub(s.events.Now()); r > 0 {
		p.Refresh = max(1, int(r.Seconds()+0.999))
	}
	return s.render(c, "pages/events/checkin_screen", p)
}

// registrationsCSV exports an event's registrations.
func (s *server) registrationsCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	regs, err := s.events.Registrations(c.UserContext(), eventActor(c), id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(regs))
	for i, r := range regs {
		ids[i] = r.UserID
	}
	people, err := s.peopleByID(c, ids)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	return s.streamCSV(c, "registrations-"+strconv.FormatInt(id, 10)+".csv", func(_ context.Context, out *spreadsheet.Writer) error {
		if err := out.Text(tr.T("events.csv.name")).Text(tr.T("events.csv.email")).Text(tr.T("events.csv.status")).
			Text(tr.T("events.csv.registered_at")).End(); err != nil {
			return err
		}
		for _, r := range regs {
			if err := out.Text(people[r.UserID].Name).Text(people[r.UserID].Email).Text(tr.T("events.registration." + string(r.Status))).
				Text(r.CreatedAt.UTC().Format(time.RFC3339)).End(); err != nil {
				return err
			}
		}
		return nil
	})
}

// attendanceCSV exports an event's attendance: a column per session, the
// sessions and minutes attended, and whether the rule was met.
func (s *server) attendanceCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	tallies, sessions, err := s.events.Tallies(ctx, eventActor(c), id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(tallies))
	for i, t := range tallies {
		ids[i] = t.UserID
	}
	people, err := s.peopleByID(c, ids)
	if err != nil {
		return err
	}
	sheets := make([]map[int64]events.Attendance, len(sessions))
	for i, ses := range sessions {
		sh, err := s.events.Sheet(ctx, eventActor(c), ses.ID)
		if err != nil {
			return err
		}
		sheets[i] = sh.Records
	}
	tr := s.i18n.Printer(lang(c))
	return s.streamCSV(c, "attendance-"+strconv.FormatInt(id, 10)+".csv", func(_ context.Context, out *spreadsheet.Writer) error {
		out.Text(tr.T("events.csv.name")).Text(tr.T("events.csv.email"))
		for _, ses := range sessions {
			out.Text(ses.Title + " " + ses.StartsAt.UTC().Format(time.RFC3339))
		}
		if err := out.Text(tr.T("events.csv.sessions_attended")).Text(tr.T("events.csv.minutes")).Text(tr.T("events.csv.met")).End(); err != nil {
			return err
		}
		for _, t := range tallies {
			out.Text(people[t.UserID].Name).Text(people[t.UserID].Email)
			for i := range sessions {
				st := ""
				if a, ok := sheets[i][t.UserID]; ok {
					st = tr.T("events.attendance." + string(a.Status))
				}
				out.Text(st)
			}
			met := tr.T("events.csv.no")
			if t.Met {
				met = tr.T("events.csv.yes")
			}
			if err := out.Int(int64(t.SessionsAttended)).Int(int64(t.Minutes)).Text(met).End(); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *server) peopleByID(c *fiber.Ctx, ids []int64) (map[int64]accounts.User, error) {
	list, err := s.events.People(c.UserContext(), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]accounts.User, len(list))
	for _, u := range list {
		out[u.ID] = u
	}
	return out, nil
}
