package app_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/spreadsheet"
)

// readCSV reads a CSV download back as a spreadsheet would: the byte
// order mark first, then records separated by comma.
func readCSV(t *testing.T, res response, comma rune) [][]string {
	t.Helper()
	wantStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.body, spreadsheet.BOM) {
		t.Fatalf("no byte order mark:\n%s", res.body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, spreadsheet.BOM)))
	r.Comma = comma
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back with %q: %v\n%s", comma, err, res.body)
	}
	return records
}

// TestEventCSVInTheReadersLanguage: an organiser reading Spanish gets the
// registrations and attendance with ";" between fields (what a Spanish
// spreadsheet splits on), headers in Spanish and whole numbers as
// numbers; in English the same files use ",". Names a spreadsheet would
// run are neutralised.
func TestEventCSVInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	org, _ := e.token(accounts.RoleInstructor)
	ev := apiEvent(t, e, org, nil)
	b, learner := e.signedIn(accounts.RoleLearner)
	if _, err := e.db.NewRaw(`UPDATE users SET name = ? WHERE id = ?`, "=HYPERLINK(\"x\"); Peña, João", learner.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res := b.post("/events/"+itoa(ev.ID)+"/register", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	var code struct{ URL string }
	decode(t, e.api(http.MethodGet, "/api/v1/sessions/"+itoa(ev.Sessions[0].ID)+"/checkin-code", org, nil), &code)
	wantStatus(t, b.get(strings.TrimPrefix(code.URL, "http://aula.test")), http.StatusOK)

	admin, _ := e.signedIn(accounts.RoleAdmin)
	name := "'=HYPERLINK(\"x\"); Peña, João"
	for _, tc := range []struct {
		lang  string
		comma rune
		head  string
	}{{"es", ';', "Nombre"}, {"en", ',', "Name"}} {
		admin.post("/language", url.Values{"lang": {tc.lang}, "next": {"/"}})
		regs := readCSV(t, admin.get("/manage/events/"+itoa(ev.ID)+"/registrations.csv"), tc.comma)
		if len(regs) != 2 || len(regs[0]) != 4 || regs[0][0] != tc.head || regs[1][0] != name || regs[1][1] != learner.Email {
			t.Errorf("%s registrations: %q", tc.lang, regs)
		}
		att := readCSV(t, admin.get("/manage/events/"+itoa(ev.ID)+"/attendance.csv"), tc.comma)
		if len(att) != 2 || att[0][0] != tc.head || att[1][0] != name {
			t.Fatalf("%s attendance: %q", tc.lang, att)
		}
		row := att[1]
		if _, err := strconv.Atoi(row[len(row)-2]); err != nil || row[len(row)-3] != "1" {
			t.Errorf("%s attendance row %q: want 1 session attended and whole minutes", tc.lang, row)
		}
	}
}
