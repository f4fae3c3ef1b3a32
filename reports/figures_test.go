package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aula-platform/aula/certificates"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/reports"
)

// TestInstitutionAndNetworkReports: a year's enrolments, completions,
// certificates and training hours, per course and month for an
// institution, per country, institution and language for the network;
// coordinators see their own institution only, the network is admins'.
func TestInstitutionAndNetworkReports(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	w.learner("Ana Peña", w.mine, 2, true)        // completes, certificate, 12 hours
	w.learner("João Conceição", w.mine, 1, false) // in progress
	w.learner("Zoé Núñez", w.theirs, 0)
	now := time.Now().UTC()

	r, err := w.svc.Reports.Institution(ctx, w.coordinator, w.mine.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Year != now.Year() || len(r.ByCourse) != 1 || len(r.ByMonth) != 12 {
		t.Fatalf("report %+v", r)
	}
	want := reports.Figures{Enrolments: 2, Completions: 1, Certificates: 1, Hours: 12}
	course := r.ByCourse[0]
	if course.Label != w.course.Title || course.Enrolments != 2 || course.Completions != 1 || course.Certificates != 1 || course.Hours != 12 {
		t.Errorf("per course %+v", course)
	}
	month := r.ByMonth[now.Month()-1]
	month.Key, month.Label = "", ""
	if month != want || r.Total != want {
		t.Errorf("this month %+v, total %+v, want %+v", month, r.Total, want)
	}
	if _, err := w.svc.Reports.Institution(ctx, w.coordinator, w.theirs.ID, 0); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("coordinator reads another institution: %v", err)
	}
	if _, err := w.svc.Reports.Institution(ctx, w.teacher, w.mine.ID, 0); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("instructor reads an institution: %v", err)
	}
	last, err := w.svc.Reports.Institution(ctx, w.admin, w.mine.ID, now.Year()-1)
	if err != nil || last.Total != (reports.Figures{}) {
		t.Errorf("last year %+v %v", last, err)
	}
	if _, err := w.svc.Reports.Institution(ctx, w.admin, w.mine.ID, 1850); !errors.Is(err, reports.ErrInvalidFilter) {
		t.Errorf("year 1850: %v", err)
	}

	n, err := w.svc.Reports.Network(ctx, w.admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	countries := map[string]int{}
	for _, f := range n.ByCountry {
		countries[f.Key] = f.Enrolments
	}
	if countries["PT"] < 2 || countries["CR"] < 1 {
		t.Errorf("per country %+v", n.ByCountry)
	}
	var inst *reports.Figures
	for i, f := range n.ByInstitution {
		if f.Label == w.mine.Acronym+" — "+w.mine.Name {
			inst = &n.ByInstitution[i]
		}
	}
	if inst == nil || inst.Enrolments != 2 || inst.Hours != 12 {
		t.Errorf("per institution %+v", n.ByInstitution)
	}
	if len(n.ByLanguage) == 0 || n.Total.Enrolments < 3 {
		t.Errorf("per language %+v, total %+v", n.ByLanguage, n.Total)
	}
	if _, err := w.svc.Reports.Network(ctx, w.coordinator, 0); !errors.Is(err, reports.ErrForbidden) {
		t.Errorf("coordinator reads the network: %v", err)
	}
}

// TestParticipationInFigures: a certificate of participation in an event
// counts in its own column, with the hours attended, in the months, the
// network and the dashboard, never as a course certificate nor in the
// per-course table.
func TestParticipationInFigures(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	ana := w.learner("Ana Peña", w.mine, 2, true) // a course certificate, 12 hours
	ev, err := w.svc.Events.CreateEvent(ctx, w.admin, events.EventParams{Title: "Seminário de previdência", Language: "pt",
		Kind: events.KindSeminar, TimeZone: "Europe/Lisbon", Registration: events.ModeOpen, MinAttendancePercent: 50})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, err = w.svc.Certificates.IssueParticipation(ctx, w.db, certificates.Participation{UserID: ana.ID, EventID: ev.ID,
		Title: ev.Title, Language: "pt", FirstStart: now.Add(-3 * time.Hour), LastEnd: now.Add(-time.Hour), Location: time.UTC, Minutes: 150})
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.Reports.Institution(ctx, w.admin, w.mine.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := reports.Figures{Enrolments: 1, Completions: 1, Certificates: 1, Hours: 12, Participation: 1, ParticipationHours: 3}
	if r.Total != want {
		t.Errorf("total %+v, want %+v", r.Total, want)
	}
	if len(r.ByCourse) != 1 || r.ByCourse[0].Participation != 0 || r.ByCourse[0].Certificates != 1 {
		t.Errorf("per course %+v", r.ByCourse)
	}
	n, err := w.svc.Reports.Network(ctx, w.admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n.Total.Participation < 1 || n.Total.ParticipationHours < 3 { // other tests' people count too
		t.Errorf("network total %+v", n.Total)
	}
	d, err := w.svc.Reports.Dashboard(ctx, w.admin)
	if err != nil {
		t.Fatal(err)
	}
	if d.Year.Participation < 1 || d.Month.Participation < 1 {
		t.Errorf("dashboard year %+v month %+v", d.Year, d.Month)
	}
}
