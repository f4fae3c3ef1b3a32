package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
)

func loadZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// timesEnv is an installation in Madrid (AULA_TIMEZONE) whose services
// all run at 03:30 UTC on 27 November 2026: 04:30 in Madrid, and still
// 22:30 on the 26th in Lima.
type timesEnv struct {
	*quizEnv
	certs *certificates.Service
}

var timesAt = time.Date(2026, time.November, 27, 3, 30, 0, 0, time.UTC)

func newTimesEnv(t *testing.T) *timesEnv {
	t.Helper()
	clock := &quizClock{t: timesAt}
	e, svc := newInstallation(t, installation{clock: clock.Now, location: loadZone(t, "Europe/Madrid")})
	return &timesEnv{quizEnv: &quizEnv{env: e, clock: clock, courses: svc.Courses, assessment: svc.Assessment}, certs: svc.Certificates}
}

// person creates a user who reads pages in locale and, unless zone is "",
// in that time zone, and signs them in.
func (e *timesEnv) person(role accounts.Role, locale, zone string) (*client, *accounts.User) {
	e.t.Helper()
	b, u := e.signedIn(role)
	if _, err := e.accounts.SetPreferences(context.Background(), u.ID, accounts.Preferences{Locale: locale, TimeZone: zone}); err != nil {
		e.t.Fatal(err)
	}
	u.Locale, u.TimeZone = locale, zone
	return b, u
}

// TestTimesInTheViewersZone: every page a user reads shows times in their
// own zone, in their locale's format, with the zone named; a user who
// chose none reads the installation's (AULA_TIMEZONE); the API answers in
// UTC whoever asks.
func TestTimesInTheViewersZone(t *testing.T) {
	e := newTimesEnv(t)
	lima, limaUser := e.person(accounts.RoleLearner, "es", "America/Lima")
	plain, plainUser := e.person(accounts.RoleLearner, "pt-PT", "")
	admin, _ := e.person(accounts.RoleAdmin, "en", "America/Lima")
	adminToken, _ := e.token(accounts.RoleAdmin)

	// A quiz attempt: its start on the quiz page, its deadline (an hour
	// later) on the attempt page.
	teacherToken, teacher := e.token(accounts.RoleInstructor)
	quizCourse, _ := quizCourse(t, e.db, teacher, 0)
	q := e.createQuizAPI(teacherToken, quizCourse.ID, func(b map[string]any) { b["time_limit_seconds"] = 3600 })
	for _, tc := range []struct {
		who               *client
		user              *accounts.User
		started, deadline string
	}{
		{lima, limaUser, "26/11/2026 22:30 UTC-5", "(hasta el 26/11/2026 23:30 UTC-5)"},
		{plain, plainUser, "27/11/2026 04:30 CET", "(até 27/11/2026 05:30 CET)"},
	} {
		e.enrol(tc.user, quizCourse.ID)
		res := tc.who.post("/quizzes/"+itoa(q.ID)+"/attempts", nil)
		wantStatus(t, res, http.StatusSeeOther)
		mustContain(t, tc.who.get(res.Header.Get("Location")), tc.deadline)
		mustContain(t, tc.who.get("/quizzes/"+itoa(q.ID)), tc.started)
	}

	// "My courses": a course completed at 03:30 UTC was completed on the
	// 26th in Lima, on the 27th in Madrid.
	course, modules := e.enrolCourse(1)
	var code string
	for _, tc := range []struct {
		who  *client
		user *accounts.User
		want string
	}{
		{lima, limaUser, "Completado el 26 de noviembre de 2026"},
		{plain, plainUser, "Concluído em 27 de novembro de 2026"},
	} {
		en := e.enrol(tc.user, course.ID)
		if _, err := e.courses.CompleteModule(context.Background(), tc.user.ID, en.ID, modules[0]); err != nil {
			t.Fatal(err)
		}
		mustContain(t, tc.who.get("/my/courses"), tc.want)
	}

	// The admin in Lima reads the certificate's audit trail in Lima time;
	// the dates the certificate states stay those of its PDF (issued on
	// the 27th in Madrid).
	if err := e.db.NewSelect().Model((*certificates.Certificate)(nil)).Column("code").
		Where("user_id = ? AND course_id = ?", limaUser.ID, course.ID).Scan(context.Background(), &code); err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/certificates/" + code)
	mustContain(t, page, "26 Nov 2026, 22:30 UTC-5", "27 November 2026")
	mustNotContain(t, page, "03:30", "2026-11-27")

	// Certificate pages speak the viewer's Portuguese (they printed
	// English month names for pt-BR and pt-PT); the PDF keeps the
	// certificate's own language, Spanish here.
	mine := plain.get("/my/certificates")
	mustContain(t, mine, "Emitido em 27 de novembro de 2026")
	mustNotContain(t, mine, "November")
	var plainCode string
	if err := e.db.NewSelect().Model((*certificates.Certificate)(nil)).Column("code").
		Where("user_id = ? AND course_id = ?", plainUser.ID, course.ID).Scan(context.Background(), &plainCode); err != nil {
		t.Fatal(err)
	}
	pdf := plain.get("/certificates/" + plainCode + ".pdf")
	wantStatus(t, pdf, http.StatusOK)
	if text := pdfText(t, []byte(pdf.body)); !strings.Contains(text, "27 de noviembre de 2026") {
		t.Errorf("PDF text %q lacks the Spanish date", text)
	}

	// An import report, and the tokens page.
	file := fmt.Sprintf("email;name;institution_acronym\r\nines%s@example.org;Inês Conceição;\r\n", unique(""))
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(course.ID)+"/enrolments/bulk", adminToken, file, "Content-Type", "text/csv"), http.StatusOK)
	mustContain(t, admin.get("/manage/courses/"+itoa(course.ID)+"/enrolments/imports"), "26 Nov 2026, 22:30 UTC-5")
	if _, err := e.accounts.CreateAPIToken(context.Background(), limaUser.ID); err != nil {
		t.Fatal(err)
	}
	// Created now, expiring after the default 90 days.
	mustContain(t, lima.get("/account/tokens"), "26/11/2026 22:30 UTC-5", "24/02/2027 22:30 UTC-5")

	// The API keeps RFC 3339 in UTC.
	limaToken, err := e.accounts.CreateAPIToken(context.Background(), limaUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := e.api(http.MethodGet, "/api/v1/quizzes/"+itoa(q.ID)+"/attempts", limaToken, nil)
	wantStatus(t, res, http.StatusOK)
	mustContain(t, res, `"started_at":"2026-11-27T03:30:00Z"`, `"deadline":"2026-11-27T04:30:00Z"`)
	mustContain(t, e.api(http.MethodGet, "/api/v1/me", limaToken, nil), `"time_zone":"America/Lima"`)
	mustContain(t, e.api(http.MethodGet, "/api/v1/me", adminToken, nil), `"time_zone":""`)
}
