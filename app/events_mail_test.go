package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/notify/smtptest"
)

// eventMailEnv is an installation whose mail goes over SMTP to a real
// server, on a clock the test moves (reminders are due the day before).
type eventMailEnv struct {
	*env
	srv   *smtptest.Server
	clock *quizClock
}

func newEventMailEnv(t *testing.T) *eventMailEnv {
	t.Helper()
	// A minute ahead of the machine's, so jobs enqueued "now" are due.
	clock := &quizClock{t: time.Now().Add(time.Minute)}
	e, _, srv := newMailEnvAt(t, clock.Now)
	return &eventMailEnv{env: e, srv: srv, clock: clock}
}

// mailEventTitle is the title of the tests' events: accents and a dash.
const mailEventTitle = "Seminário de Proteção Social — Peña"

// event creates and publishes through the API an event in Mexico City's
// zone with one session at start, two hours long.
func (e *eventMailEnv) event(org string, start time.Time, body map[string]any) (int64, int64) {
	e.t.Helper()
	base := map[string]any{"title": mailEventTitle, "summary": "Cobertura", "language": "pt", "kind": "seminar",
		"time_zone": "America/Mexico_City", "registration": "open", "min_attendance_percent": 100}
	for k, v := range body {
		base[k] = v
	}
	res := e.api(http.MethodPost, "/api/v1/events", org, base)
	wantStatus(e.t, res, http.StatusCreated)
	var ev eventOut
	decode(e.t, res, &ev)
	res = e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/sessions", org, map[string]any{"title": "Abertura",
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(2 * time.Hour).Format(time.RFC3339), "location": "Sala Conceição"})
	wantStatus(e.t, res, http.StatusCreated)
	var ses struct{ ID int64 }
	decode(e.t, res, &ses)
	wantStatus(e.t, e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/publish", org, nil), http.StatusOK)
	return ev.ID, ses.ID
}

// participant is a user with a language and a time zone of their own
// ("" for the installation's).
func (e *eventMailEnv) participant(name, locale, zone string) (*accounts.User, string) {
	e.t.Helper()
	u := &accounts.User{Email: unique("part") + "@example.org", Name: name, Role: accounts.RoleLearner, Locale: locale,
		TimeZone: zone, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(e.db).InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u, e.tokenFor(u)
}

// register registers token's user through the API and returns the
// registration's id and status.
func (e *eventMailEnv) register(token string, eventID int64) (int64, string) {
	e.t.Helper()
	res := e.api(http.MethodPost, "/api/v1/events/"+itoa(eventID)+"/registrations", token, nil)
	wantStatus(e.t, res, http.StatusCreated)
	var r struct {
		ID     int64
		Status string
	}
	decode(e.t, res, &r)
	return r.ID, r.Status
}

// tenInMexico is 10:00 in Mexico City three days after the clock's now.
func (e *eventMailEnv) tenInMexico() time.Time {
	mexico, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		e.t.Fatal(err)
	}
	d := e.clock.Now().In(mexico).AddDate(0, 0, 3)
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, mexico)
}

// TestEventRegistrationMail: registering sends, over SMTP, a confirmation
// in the participant's language naming the event, its session's times in
// the event's zone and on the participant's own clock, and links to the
// event and its calendar that work when followed; the bell shows it too.
func TestEventRegistrationMail(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	start := e.tenInMexico()
	eventID, _ := e.event(org, start, nil)
	ana, token := e.participant("Ana Conceição Peña", "pt-PT", "Europe/Lisbon")
	if _, status := e.register(token, eventID); status != "registered" {
		t.Fatalf("status %q", status)
	}

	m := e.mails(e.srv, ana.Email, 1)[0]
	if m.Subject != "Inscrição confirmada: "+mailEventTitle || m.To.Name != "Ana Conceição Peña" {
		t.Errorf("confirmation %q to %q", m.Subject, m.To.Name)
	}
	lisbon, _ := time.LoadLocation("Europe/Lisbon")
	day := start.Format("2006-01-02")
	inMexico := day + " 10:00–12:00 em Mexico City"
	mine := start.In(lisbon).Format("2006-01-02 15:04") + "–" + start.Add(2*time.Hour).In(lisbon).Format("15:04") + " na sua hora, Lisbon"
	for _, want := range []string{"O seu lugar em " + mailEventTitle + " está confirmado", "Abertura: " + inMexico + " (" + mine + "), Sala Conceição"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, m.Text)
		}
	}
	if m.Header.Get("List-Unsubscribe") == "" || !strings.Contains(m.Header.Get("List-Unsubscribe"), "topic=events") {
		t.Errorf("unsubscribe %q", m.Header.Get("List-Unsubscribe"))
	}
	b := e.browser()
	b.signIn(ana.Email, testPassword)
	if res := b.get(linkTo(t, m.Text, "/events/")); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Peña") {
		t.Errorf("the event link: %d", res.StatusCode)
	}
	ics := e.browser().get(linkTo(t, m.HTML, "/api/v1/events/"+itoa(eventID)+".ics"))
	if ics.StatusCode != http.StatusOK || !strings.Contains(ics.body, "DTSTART;TZID=America/Mexico_City:"+start.Format("20060102")+"T100000") {
		t.Errorf("the calendar link: %d\n%s", ics.StatusCode, ics.body)
	}
	if res := b.get("/notifications"); !strings.Contains(res.body, "Está inscrito em "+mailEventTitle) {
		t.Errorf("the bell does not list the registration:\n%s", res.body)
	}
}

// TestEventPromotionMail: a full event waitlists the next person (who is
// told so); when someone cancels, the first waitlisted gets the place and
// a mail saying so, in their language, with the calendar; the one who
// cancelled gets nothing more.
func TestEventPromotionMail(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	eventID, _ := e.event(org, e.tenInMexico(), map[string]any{"capacity": 1})
	ana, anaToken := e.participant("Ana Peña", "es", "")
	bea, beaToken := e.participant("Beatriz Conceição", "en", "")
	anaReg, _ := e.register(anaToken, eventID)
	if _, status := e.register(beaToken, eventID); status != "waitlisted" {
		t.Fatalf("second registration %q", status)
	}
	if m := e.mails(e.srv, bea.Email, 1)[0]; m.Subject != "On the waiting list: "+mailEventTitle {
		t.Errorf("waitlist notice %q", m.Subject)
	}
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/registrations/"+itoa(anaReg), anaToken, nil), http.StatusNoContent)
	got := e.mails(e.srv, bea.Email, 2)[1]
	if got.Subject != "You have a place: "+mailEventTitle || !strings.Contains(got.Text, "you are registered") ||
		!strings.Contains(got.Text, "http://aula.test/api/v1/events/"+itoa(eventID)+".ics") {
		t.Errorf("promotion %q:\n%s", got.Subject, got.Text)
	}
	if m := e.mails(e.srv, ana.Email, 1)[0]; m.Subject != "Inscripción confirmada: "+mailEventTitle {
		t.Errorf("Ana's confirmation %q", m.Subject)
	}
}

// TestEventApprovalMail: with approval, registering says it waits; the
// organiser's approval confirms the place.
func TestEventApprovalMail(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	eventID, _ := e.event(org, e.tenInMexico(), map[string]any{"registration": "approval"})
	joao, token := e.participant("João Conceição", "pt-BR", "America/Sao_Paulo")
	reg, status := e.register(token, eventID)
	if status != "pending" {
		t.Fatalf("status %q", status)
	}
	if m := e.mails(e.srv, joao.Email, 1)[0]; m.Subject != "Inscrição recebida: "+mailEventTitle {
		t.Errorf("pending notice %q", m.Subject)
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/registrations/"+itoa(reg)+"/approve", org, nil), http.StatusOK)
	m := e.mails(e.srv, joao.Email, 2)[1]
	if m.Subject != "Inscrição aprovada: "+mailEventTitle || !strings.Contains(m.Text, "no seu horário, Sao Paulo") ||
		!strings.Contains(m.Text, "Adicionar à minha agenda (.ics)") {
		t.Errorf("approval %q:\n%s", m.Subject, m.Text)
	}
}

// TestEventReminderMail: the day before a session its reminder job sends
// the participant a reminder naming the session and its times; a person
// who cancelled gets none.
func TestEventReminderMail(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	start := e.tenInMexico()
	eventID, _ := e.event(org, start, nil)
	ana, anaToken := e.participant("Ana Conceição", "en", "America/Lima")
	bea, beaToken := e.participant("Bea Peña", "en", "")
	e.register(anaToken, eventID)
	beaReg, _ := e.register(beaToken, eventID)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/registrations/"+itoa(beaReg), beaToken, nil), http.StatusNoContent)
	e.mails(e.srv, ana.Email, 1) // the confirmation

	e.clock.Advance(start.Sub(e.clock.Now()) - events.ReminderLead - time.Minute)
	e.mails(e.srv, ana.Email, 1) // not yet
	e.clock.Advance(2 * time.Minute)
	m := e.mails(e.srv, ana.Email, 2)[1]
	if m.Subject != "Tomorrow: "+mailEventTitle+" — Abertura" {
		t.Errorf("reminder %q", m.Subject)
	}
	// Lima is an hour behind Mexico City... or not, as daylight saving
	// goes: the test computes it.
	lima, _ := time.LoadLocation("America/Lima")
	mine := start.In(lima).Format("2006-01-02 15:04")
	if !strings.Contains(m.Text, "starts on "+mine+" (your time)") || !strings.Contains(m.Text, start.Format("2006-01-02")+" 10:00–12:00 in Mexico City") {
		t.Errorf("the reminder does not say when:\n%s", m.Text)
	}
	e.mails(e.srv, bea.Email, 1) // her confirmation, no reminder
}

// TestEventCertificateMail: closing an event mails each participant who
// met its rule the certificate of participation's verify link, once (not
// a second "certificate issued" notice), and the link shows the event.
func TestEventCertificateMail(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	// A session that started ten minutes ago: the event can close.
	eventID, sessionID := e.event(org, e.clock.Now().Add(-10*time.Minute).Truncate(time.Second), nil)
	ana, token := e.participant("Ana Conceição Peña", "es", "")
	e.register(token, eventID)
	wantStatus(t, e.api(http.MethodPut, "/api/v1/sessions/"+itoa(sessionID)+"/attendance", org,
		map[string]any{"records": []map[string]any{{"user_id": ana.ID, "status": "present"}}}), http.StatusOK)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/events/"+itoa(eventID)+"/close", org, nil), http.StatusOK)

	m := e.mails(e.srv, ana.Email, 2)[1]
	if m.Subject != "Su certificado de participación en "+mailEventTitle {
		t.Errorf("certificate notice %q", m.Subject)
	}
	res := e.browser().get(linkTo(t, m.Text, "/verify/"))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Ana Conceição Peña") || !strings.Contains(res.body, "Peña") {
		t.Errorf("the verify link does not show the holder and event:\n%s", res.body)
	}
}

// TestEventsMailOff: a participant who turned event mail off gets no mail
// for registering, but the bell still shows it.
func TestEventsMailOff(t *testing.T) {
	e := newEventMailEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	eventID, _ := e.event(org, e.tenInMexico(), nil)
	ana, token := e.participant("Ana Conceição", "en", "")
	b := e.browser()
	b.signIn(ana.Email, testPassword)
	prefs := b.get("/account/notifications")
	if !strings.Contains(prefs.body, "Events: registrations, reminders and certificates of participation") {
		t.Fatalf("the preferences page lacks the events topic:\n%s", prefs.body)
	}
	wantStatus(t, b.post("/account/notifications", url.Values{"events": {"off"}}), http.StatusSeeOther)
	e.register(token, eventID)
	e.mails(e.srv, ana.Email, 0)
	if res := b.get("/notifications"); !strings.Contains(res.body, "You are registered for "+mailEventTitle) {
		t.Errorf("the bell does not list the registration:\n%s", res.body)
	}
}
