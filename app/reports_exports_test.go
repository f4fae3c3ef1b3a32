package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

var exportLink = regexp.MustCompile(`href="(/reports/exports/\d+/file)"`)

// TestLargeExportRunsInBackground: a gradebook export larger than what
// streams at once becomes a background job: the CSV link offers to prepare
// it, its page shows the progress and then the link, the file is the very
// CSV the streamed export gives, only its requester downloads it, a second
// click gets the same export, and after a day it is gone.
func TestLargeExportRunsInBackground(t *testing.T) {
	var later atomic.Int64 // how far the clock was moved on
	clock := func() time.Time { return time.Now().Add(time.Duration(later.Load())) }
	e, svc := newInstallation(t, installation{exportMax: 2, clock: clock})
	ctx := context.Background()
	teacher := e.user(accounts.RoleInstructor)
	course, _ := e.enrolCourse(1, teacher.ID)
	inst := e.institution()
	for _, name := range []string{"João da Conceição", "María Peña Núñez", "Zoë Araújo"} {
		if _, err := svc.Courses.Enrol(ctx, e.staff(inst, name).ID, course.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	id := itoa(course.ID)
	page := e.signedInAs(teacher)
	page.speak("pt-PT")

	// Three rows are more than two: the link offers the background export.
	offer := page.get("/reports/courses/" + id + "/gradebook.csv?sort=name")
	wantStatus(t, offer, http.StatusOK)
	wantBody(t, offer, "Esta exportação tem 3 linhas", `action="/reports/courses/`+id+`/gradebook/exports?sort=name"`)
	started := page.post("/reports/courses/"+id+"/gradebook/exports?sort=name", nil)
	wantStatus(t, started, http.StatusSeeOther)
	where := started.Header.Get("Location")
	if !strings.HasPrefix(where, "/reports/exports/") {
		t.Fatalf("started export goes to %q", where)
	}
	page.get("/reports/courses/" + id + "/gradebook.csv?sort=name")
	if again := page.post("/reports/courses/"+id+"/gradebook/exports?sort=name", nil); again.Header.Get("Location") != where {
		t.Errorf("a second click made another export: %q, first %q", again.Header.Get("Location"), where)
	}

	waiting := page.get(where)
	wantStatus(t, waiting, http.StatusOK)
	wantBody(t, waiting, "À espera de começar", `<progress id="export-progress" max="3" value="0">`)
	if waiting.Header.Get("Refresh") == "" {
		t.Error("the page of an export in preparation does not reload itself")
	}
	if e.workJobs() == 0 {
		t.Fatal("no job made the export")
	}
	ready := page.get(where)
	wantBody(t, ready, "Pronto: 3 linhas")
	if ready.Header.Get("Refresh") != "" {
		t.Error("the page of a finished export keeps reloading")
	}
	m := exportLink.FindStringSubmatch(ready.body)
	if m == nil {
		t.Fatalf("no download link:\n%s", ready.body)
	}
	file := page.get(m[1])
	wantStatus(t, file, http.StatusOK)
	if ct := file.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}

	// The same CSV as the streamed export (the API always streams), in
	// the requester's language.
	streamed := e.api(http.MethodGet, "/api/v1/courses/"+id+"/gradebook.csv?sort=name", e.tokenOf(teacher), nil, "Accept-Language", "pt-PT")
	wantStatus(t, streamed, http.StatusOK)
	if file.body != streamed.body {
		t.Errorf("background file differs from the streamed export:\n%q\n%q", file.body, streamed.body)
	}
	if !strings.Contains(file.body, "María Peña Núñez") || !strings.HasPrefix(file.body, "\uFEFFFormando;") {
		t.Errorf("the file is not the Portuguese CSV with its accents:\n%s", file.body)
	}

	// Another instructor of the course does not see this person's export.
	other := e.user(accounts.RoleAdmin)
	stranger := e.signedInAs(other)
	wantStatus(t, stranger.get(where), http.StatusNotFound)
	wantStatus(t, stranger.get(m[1]), http.StatusNotFound)

	// A day later the file has expired, and the row goes with its job.
	later.Add(int64(25 * time.Hour))
	wantStatus(t, page.get(m[1]), http.StatusGone)
	wantBody(t, page.get(where), "já não está disponível")
	e.workJobs()
	wantStatus(t, page.get(where), http.StatusNotFound)
}
