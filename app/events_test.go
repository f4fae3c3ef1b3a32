package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/certificates"
)

type eventOut struct {
	ID       int64  `json:"id"`
	Status   string `json:"status"`
	Sessions []struct {
		ID       int64     `json:"id"`
		StartsAt time.Time `json:"starts_at"`
	} `json:"sessions"`
}

// apiEvent creates and publishes, through the API, an event with one
// session running now (started ten minutes ago) and returns it.
func apiEvent(t *testing.T, e *env, token string, body map[string]any) eventOut {
	t.Helper()
	base := map[string]any{"title": "Taller de Seguridad Social — Peña", "summary": "Cobertura y financiación", "language": "es",
		"kind": "workshop", "time_zone": "America/Mexico_City", "registration": "open", "min_attendance_percent": 100}
	for k, v := range body {
		base[k] = v
	}
	res := e.api(http.MethodPost, "/api/v1/events", token, base)
	wantStatus(t, res, http.StatusCreated)
	var ev eventOut
	decode(t, res, &ev)
	if ev.Status != "draft" {
		t.Fatalf("new event status %q, want draft", ev.Status)
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/publish", token, nil), http.StatusUnprocessableEntity)
	now := time.Now().UTC()
	res = e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/sessions", token, map[string]any{"title": "Mañana",
		"starts_at": now.Add(-10 * time.Minute).Format(time.RFC3339), "ends_at": now.Add(2 * time.Hour).Format(time.RFC3339), "location": "Sala Conceição"})
	wantStatus(t, res, http.StatusCreated)
	res = e.api(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/publish", token, nil)
	wantStatus(t, res, http.StatusOK)
	decode(t, res, &ev)
	return ev
}

// TestEventsAPIContract walks the contract of docs/api.md (Events) with
// its statuses: 201 draft, 422 without a session, 409 twice, 204 with
// promotion, 403 for a check-in from an unregistered account, 422 for a
// wrong code, 200 then 409 for closing, and the .ics.
func TestEventsAPIContract(t *testing.T) {
	e := newEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	learnerTok, _ := e.token(accounts.RoleLearner)
	if res := e.api(http.MethodPost, "/api/v1/events", learnerTok, map[string]any{"title": "x"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("learner creates an event: %d", res.StatusCode)
	}
	ev := apiEvent(t, e, org, map[string]any{"capacity": 1})
	path := "/api/v1/events/" + itoa(ev.ID)

	// A session that ends before it starts names the field.
	res := e.api(http.MethodPost, path+"/sessions", org, map[string]any{"title": "Tarde",
		"starts_at": "2027-03-10T16:00:00-06:00", "ends_at": "2027-03-10T15:00:00-06:00"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var ae apiError
	decode(t, res, &ae)
	if ae.Error.Fields["ends_at"] == "" {
		t.Fatalf("no message for ends_at: %s", res.body)
	}

	// Anyone sees it; it is listed.
	wantStatus(t, e.api(http.MethodGet, path, "", nil), http.StatusOK)
	if res := e.api(http.MethodGet, "/api/v1/events?q=pena", "", nil); !strings.Contains(res.body, `"id":`+itoa(ev.ID)+`,`) {
		t.Fatalf("search without accents does not find the event: %s", res.body)
	}

	ana, _ := e.token(accounts.RoleLearner)
	res = e.api(http.MethodPost, path+"/registrations", ana, nil)
	wantStatus(t, res, http.StatusCreated)
	var anaReg struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	decode(t, res, &anaReg)
	wantStatus(t, e.api(http.MethodPost, path+"/registrations", ana, nil), http.StatusConflict)
	res = e.api(http.MethodPost, path+"/registrations", learnerTok, nil)
	wantStatus(t, res, http.StatusCreated)
	var waitReg struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	decode(t, res, &waitReg)
	if anaReg.Status != "registered" || waitReg.Status != "waitlisted" {
		t.Fatalf("statuses %q, %q", anaReg.Status, waitReg.Status)
	}
	// Ana cancels; the waitlisted learner gets the place.
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/registrations/"+itoa(anaReg.ID), learnerTok, nil), http.StatusNotFound)
	wantStatus(t, e.api(http.MethodDelete, "/api/v1/registrations/"+itoa(anaReg.ID), ana, nil), http.StatusNoContent)
	if res := e.api(http.MethodGet, path+"/registrations", org, nil); !strings.Contains(res.body, `"id":`+itoa(waitReg.ID)+`,"event_id":`+itoa(ev.ID)) ||
		!strings.Contains(res.body, `"status":"registered"`) {
		t.Fatalf("after cancelling: %s", res.body)
	}

	// Check-in: the code is the organiser's; replayed by Ana (no longer
	// registered) it is 403; a wrong code is 422; the learner checks in.
	sid := itoa(ev.Sessions[0].ID)
	wantStatus(t, e.api(http.MethodGet, "/api/v1/sessions/"+sid+"/checkin-code", learnerTok, nil), http.StatusForbidden)
	res = e.api(http.MethodGet, "/api/v1/sessions/"+sid+"/checkin-code", org, nil)
	wantStatus(t, res, http.StatusOK)
	var code struct {
		Code      string    `json:"code"`
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	decode(t, res, &code)
	if !strings.HasPrefix(code.URL, "http://aula.test/sessions/"+sid+"/checkin?code=") || code.ExpiresAt.Before(time.Now()) {
		t.Fatalf("code: %+v", code)
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/sessions/"+sid+"/checkin", ana, map[string]string{"code": code.Code}), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/sessions/"+sid+"/checkin", learnerTok, map[string]string{"code": "abc-WRONGCODE1"}), http.StatusUnprocessableEntity)
	res = e.api(http.MethodPost, "/api/v1/sessions/"+sid+"/checkin", learnerTok, map[string]string{"code": code.Code})
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"status":"present"`) {
		t.Fatalf("check-in: %s", res.body)
	}

	// Attendance by hand: someone not registered is a 422 naming the record.
	res = e.api(http.MethodPut, "/api/v1/sessions/"+sid+"/attendance", org, map[string]any{"records": []map[string]any{{"user_id": 999999, "status": "present"}}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	decode(t, res, &ae)
	if ae.Error.Fields["records[0].user_id"] == "" {
		t.Fatalf("no message for the record: %s", res.body)
	}

	// Close: one certificate, then 409.
	res = e.api(http.MethodPost, path+"/close", org, nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"certificates_issued":1`) {
		t.Fatalf("close: %s", res.body)
	}
	wantStatus(t, e.api(http.MethodPost, path+"/close", org, nil), http.StatusConflict)
	res = e.api(http.MethodGet, "/api/v1/me/certificates", learnerTok, nil)
	var mine struct {
		Items []struct {
			Code string `json:"code"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	decode(t, res, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Kind != "participation" {
		t.Fatalf("my certificates do not say participation: %s", res.body)
	}
	// The public verification names the event and its signature checks.
	res = e.api(http.MethodGet, "/api/v1/verify/"+mine.Items[0].Code, "", nil)
	wantStatus(t, res, http.StatusOK)
	var v struct {
		Kind       string `json:"kind"`
		EventTitle string `json:"event_title"`
		PublicKey  string `json:"public_key"`
	}
	decode(t, res, &v)
	if v.Kind != "participation" || v.EventTitle != "Taller de Seguridad Social — Peña" {
		t.Fatalf("verify: %s", res.body)
	}
	payload, sig, err := certificates.ParseCredential(res.body)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := certificates.ParsePublicKey(v.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := certificates.Verify(pub, payload, sig); err != nil {
		t.Fatalf("the verify answer does not check offline: %v", err)
	}

	res = e.api(http.MethodGet, path+".ics", "", nil)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("content type %q", ct)
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "TZID:America/Mexico_City", "DTSTART;TZID=America/Mexico_City:", "SUMMARY:Taller de Seguridad Social — Peña — Mañana", "LOCATION:Sala Conceição"} {
		if !strings.Contains(res.body, want) {
			t.Errorf(".ics lacks %q:\n%s", want, res.body)
		}
	}
}

// TestEventPages: a participant finds the event beside the catalogue,
// registers through the form, sees times in the event's zone and their
// own, and checks in through the QR code's link after signing in; the
// organiser's pages render.
func TestEventPages(t *testing.T) {
	e := newEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	ev := apiEvent(t, e, org, nil)
	b, _ := e.signedIn(accounts.RoleLearner)
	res := b.get("/events")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `href="/events/`+itoa(ev.ID)+`"`) || !strings.Contains(res.body, `href="/events"`) {
		t.Fatalf("events page lacks the event or the header link")
	}
	res = b.get("/events/" + itoa(ev.ID))
	if !strings.Contains(res.body, "in Mexico City") || !strings.Contains(res.body, "your time") {
		t.Fatalf("event page does not show both times:\n%s", res.body)
	}
	res = b.post("/events/"+itoa(ev.ID)+"/register", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if res := b.get("/events/" + itoa(ev.ID)); !strings.Contains(res.body, "You are registered.") {
		t.Fatal("event page does not say registered")
	}

	res = e.api(http.MethodGet, "/api/v1/sessions/"+itoa(ev.Sessions[0].ID)+"/checkin-code", org, nil)
	var code struct{ URL string }
	decode(t, res, &code)
	link := strings.TrimPrefix(code.URL, "http://aula.test")
	// A visitor is sent to sign in first and comes back to the check-in.
	anon := e.browser()
	res = anon.get(link)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin?next="+url.QueryEscape(link) {
		t.Fatalf("anonymous check-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = b.get(link)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "You are checked in.") {
		t.Fatalf("check-in page:\n%s", res.body)
	}
	if res := b.get("/my/events"); !strings.Contains(res.body, "/calendar/") {
		t.Fatal("my events page lacks the calendar feed")
	}

	ob, _ := e.signedIn(accounts.RoleAdmin)
	for _, p := range []string{"/manage/events", "/manage/events/new", "/manage/events/" + itoa(ev.ID),
		"/manage/sessions/" + itoa(ev.Sessions[0].ID) + "/attendance", "/manage/sessions/" + itoa(ev.Sessions[0].ID) + "/checkin"} {
		wantStatus(t, ob.get(p), http.StatusOK)
	}
	res = ob.get("/manage/sessions/" + itoa(ev.Sessions[0].ID) + "/checkin.svg")
	if res.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(res.body, "<svg") {
		t.Fatalf("QR code: %q %.40s", res.Header.Get("Content-Type"), res.body)
	}
	// A session that ends before it starts re-renders the form with the
	// field's message and the input kept.
	res = ob.post("/manage/events/"+itoa(ev.ID)+"/sessions", url.Values{"title": {"Tarde de Peña"}, "starts_at": {"2027-03-10T16:00"}, "ends_at": {"2027-03-10T15:00"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "The session must end after it starts.") || !strings.Contains(res.body, `value="Tarde de Peña"`) {
		t.Fatalf("session form:\n%s", res.body)
	}
	res = ob.get("/manage/events/" + itoa(ev.ID) + "/attendance.csv")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "João Conceição") || !strings.Contains(res.body, "Present") {
		t.Fatalf("attendance CSV:\n%s", res.body)
	}
}
