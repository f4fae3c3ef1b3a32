package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
)

// TestInvitations: an account an admin creates without a password, and
// each one a CSV import creates, gets an invitation over SMTP in its
// language whose link sets the password; the admin re-sends it from the
// user page and can still copy a link by hand.
func TestInvitations(t *testing.T) {
	e, _, srv := newMailEnv(t)
	admin, _ := e.signedIn(accounts.RoleAdmin)
	addr := unique("ines") + "@example.org"
	admin.get("/admin/users/new")
	res := admin.post("/admin/users", url.Values{"email": {addr}, "name": {"Inês Conceição"}, "role": {"learner"}, "locale": {"pt-BR"}})
	wantStatus(t, res, http.StatusSeeOther)
	m := e.mails(srv, addr, 1)[0]
	if m.Subject != "Sua conta na Aula" || m.To.Name != "Inês Conceição" || !strings.Contains(m.Text, "Olá, Inês Conceição") ||
		!strings.Contains(m.Text, addr) || m.Header.Get("List-Unsubscribe") != "" {
		t.Errorf("invitation %q to %q:\n%s", m.Subject, m.To.Name, m.Text)
	}
	link := linkTo(t, m.Text, "/password/")
	b := e.browser()
	wantStatus(t, b.get(link), http.StatusOK)
	wantStatus(t, b.post(link, url.Values{"password": {"senha bem comprida"}, "confirm": {"senha bem comprida"}}), http.StatusSeeOther)
	if res := e.browser().signIn(addr, "senha bem comprida"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in with the invitation's password: %d", res.StatusCode)
	}

	// Re-sent from the user page: a new link; the admin may still copy one.
	u, err := accounts.NewStore(e.db).UserByEmail(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/users/" + itoa(u.ID) + "/edit")
	if !strings.Contains(page.body, `action="/admin/users/`+itoa(u.ID)+`/invite"`) || !strings.Contains(page.body, `/password-link"`) {
		t.Fatalf("the user page offers no re-send and no link:\n%s", page.body)
	}
	res = admin.post("/admin/users/"+itoa(u.ID)+"/invite", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if page := admin.get(res.Header.Get("Location")); !strings.Contains(page.body, "The invitation is on its way.") {
		t.Errorf("no confirmation:\n%s", page.body)
	}
	again := e.mails(srv, addr, 2)[1]
	if l := linkTo(t, again.Text, "/password/"); l == link {
		t.Error("the re-sent invitation has the used link")
	}

	// A CSV import invites each account it creates; the enrolment is a
	// notice of its own.
	c, _ := e.enrolCourse(1)
	token, _ := e.token(accounts.RoleAdmin)
	n := unique("")
	file := fmt.Sprintf("email;name;institution_acronym\r\npaco%s@example.org;Paco Peña;\r\nana%s@example.org;Ana Conceição;\r\n", n, n)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments/bulk", token, file, "Content-Type", "text/csv"), http.StatusOK)
	for _, who := range []string{"paco" + n, "ana" + n} {
		got := e.mails(srv, who+"@example.org", 2)
		subjects := got[0].Subject + " | " + got[1].Subject
		if !strings.Contains(subjects, "Su cuenta en Aula") || !strings.Contains(subjects, "Está inscrito en Protección Social Básica") {
			t.Errorf("mails to %s: %s", who, subjects)
		}
		for _, m := range got {
			if m.Subject == "Su cuenta en Aula" {
				if !strings.Contains(m.Text, who+"@example.org") {
					t.Errorf("invitation to %s:\n%s", who, m.Text)
				}
				linkTo(t, m.HTML, "/password/")
			}
		}
	}
	// The API re-sends too.
	wantStatus(t, e.api(http.MethodPost, "/api/v1/users/"+itoa(u.ID)+"/invite", token, nil), http.StatusAccepted)
	e.mails(srv, addr, 3)
}

// TestNotAnEmailIsRefused: an address a relay could not deliver to is
// refused wherever one is stored, with a message, not a 500.
func TestNotAnEmailIsRefused(t *testing.T) {
	e := newEnv(t)
	token, _ := e.token(accounts.RoleAdmin)
	for _, bad := range []string{"ana@intranet", "Ana <ana@example.org>", "ana@example.org, paco@example.org"} {
		res := e.api(http.MethodPost, "/api/v1/users", token, map[string]string{"email": bad, "name": "Ana", "role": "learner"})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `"email"`) {
			t.Errorf("create user %q: %d %s", bad, res.StatusCode, res.body)
		}
	}
	u := e.user(accounts.RoleLearner)
	res := e.api(http.MethodPatch, "/api/v1/users/"+itoa(u.ID), token, map[string]any{"email": "ana@intranet", "name": u.Name, "role": "learner"})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("update user to a bad address: %d %s", res.StatusCode, res.body)
	}
}
