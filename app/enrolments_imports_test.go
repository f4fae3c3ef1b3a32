package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestImportReportsKeepLinks: an import whose answer the admin never saw
// (the connection dropped after the commit) is still there: listed from
// the roster and the API, with its counts, who ran it and the password
// links of its new accounts; a link once used is no longer shown.
func TestImportReportsKeepLinks(t *testing.T) {
	e := newEnv(t)
	c, _ := e.enrolCourse(1)
	token, adminUser := e.token(accounts.RoleAdmin)
	teacher, _ := e.token(accounts.RoleInstructor)
	n := unique("")
	file := fmt.Sprintf("email;name;institution_acronym\r\nines%s@example.org;Inês Conceição;\r\npaco%s@example.org;Paco Peña;\r\n", n, n)
	path := "/api/v1/courses/" + itoa(c.ID) + "/enrolments"
	// The answer is thrown away, as a dropped connection would.
	wantStatus(t, e.api(http.MethodPost, path+"/bulk", token, file, "Content-Type", "text/csv"), http.StatusOK)

	res := e.api(http.MethodGet, path+"/imports", token, nil)
	wantStatus(t, res, http.StatusOK)
	var imports struct {
		Items []struct {
			ID           int64 `json:"id"`
			CreatedUsers int   `json:"created_users"`
			Enrolled     int   `json:"enrolled"`
			Rows         int   `json:"rows"`
			ImportedBy   *struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"imported_by"`
			URL string `json:"url"`
		} `json:"items"`
		Total int `json:"total"`
	}
	decode(t, res, &imports)
	if imports.Total != 1 || imports.Items[0].CreatedUsers != 2 || imports.Items[0].Enrolled != 2 || imports.Items[0].Rows != 2 ||
		imports.Items[0].ImportedBy == nil || imports.Items[0].ImportedBy.ID != adminUser.ID || imports.Items[0].ImportedBy.Name != adminUser.Name {
		t.Fatalf("imports %s", res.body)
	}
	id := imports.Items[0].ID
	res = e.api(http.MethodGet, fmt.Sprintf("%s/imports/%d", path, id), token, nil)
	wantStatus(t, res, http.StatusOK)
	var report struct {
		NewAccounts []struct {
			Email       string  `json:"email"`
			Name        string  `json:"name"`
			PasswordURL *string `json:"password_url"`
		} `json:"new_accounts"`
	}
	decode(t, res, &report)
	if len(report.NewAccounts) != 2 || report.NewAccounts[0].Name != "Inês Conceição" || report.NewAccounts[0].PasswordURL == nil ||
		!strings.HasPrefix(*report.NewAccounts[0].PasswordURL, "http://aula.test/password/") {
		t.Fatalf("report %s", res.body)
	}

	// Inês chooses her password: her link leaves the report, Paco's stays.
	ines := e.browser()
	link := strings.TrimPrefix(*report.NewAccounts[0].PasswordURL, "http://aula.test")
	ines.get(link)
	wantStatus(t, ines.post(link, url.Values{"password": {"a quite long passphrase 2026"}, "confirm": {"a quite long passphrase 2026"}}), http.StatusSeeOther)
	decode(t, e.api(http.MethodGet, fmt.Sprintf("%s/imports/%d", path, id), token, nil), &report)
	if report.NewAccounts[0].PasswordURL != nil || report.NewAccounts[1].PasswordURL == nil {
		t.Errorf("after Inês used her link: %+v", report.NewAccounts)
	}

	// Reports hold password links: not for instructors, nor another course.
	wantStatus(t, e.api(http.MethodGet, path+"/imports", teacher, nil), http.StatusForbidden)
	other, _ := e.enrolCourse(1)
	wantStatus(t, e.api(http.MethodGet, fmt.Sprintf("/api/v1/courses/%d/enrolments/imports/%d", other.ID, id), token, nil), http.StatusNotFound)

	// The roster links the reports; the report page shows the unused link.
	b, _ := e.signedIn(accounts.RoleAdmin)
	roster := b.get("/manage/courses/" + itoa(c.ID) + "/enrolments")
	wantBody(t, roster, `href="/manage/courses/`+itoa(c.ID)+`/enrolments/imports"`)
	list := b.get("/manage/courses/" + itoa(c.ID) + "/enrolments/imports")
	wantStatus(t, list, http.StatusOK)
	wantBody(t, list, fmt.Sprintf(`href="/manage/courses/%d/enrolments/imports/%d"`, c.ID, id), adminUser.Name)
	page := b.get(fmt.Sprintf("/manage/courses/%d/enrolments/imports/%d", c.ID, id))
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, "Paco Peña", *report.NewAccounts[1].PasswordURL, "Inês Conceição", "Used or expired", "New accounts: 2")
}
