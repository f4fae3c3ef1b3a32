package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
)

// newLibraryMailEnv is the library on an installation whose mail goes
// over SMTP to a real server.
func newLibraryMailEnv(t *testing.T) (*libraryEnv, *smtptest.Server) {
	t.Helper()
	// A minute ahead of the machine's, so jobs enqueued "now" are due; in
	// a database of its own, so the items it publishes "in the future" do
	// not come before other tests' in the shared feed.
	clock := &quizClock{t: time.Now().Add(time.Minute)}
	srv := smtptest.Start(t, smtptest.Options{})
	relay, err := notify.NewSMTP(srv.URL(""), notify.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, svc := newInstallation(t, installation{database: "library_mail", mail: relay, clock: clock.Now})
	return libraryOn(t, e, svc, ""), srv
}

// TestSubmissionDecisionsMailTheMember: each decision of a librarian on a
// member's submission (changes asked for, accepted, declined) reaches the
// member over SMTP in their language (European Portuguese), under the
// library topic, with the librarian's note and a link that opens the
// submission for them; the bell lists it too.
func TestSubmissionDecisionsMailTheMember(t *testing.T) {
	le, srv := newLibraryMailEnv(t)
	joao := le.memberNamed("João Conceição", "pt-PT")
	token := le.tokenFor(joao)
	submit := func(title string) string {
		res := le.api(http.MethodPost, "/api/v1/library/submissions", token, map[string]any{"type": "experience",
			"title": title, "abstract": "Pensões sociais.", "language": "pt", "countries": []string{"MZ"}, "year": 2023})
		wantStatus(t, res, http.StatusCreated)
		var sub struct{ ID int64 }
		decode(t, res, &sub)
		return "/api/v1/library/submissions/" + itoa(sub.ID)
	}
	member := le.browserFor(joao)
	// opens follows the mail's link to the submission as the member.
	opens := func(text, title string) {
		t.Helper()
		link := linkTo(t, text, "/library/submissions/")
		if page := member.get(link); page.StatusCode != http.StatusOK || !strings.Contains(page.body, title) {
			t.Errorf("%s opens %d:\n%s", link, page.StatusCode, page.body)
		}
	}

	title := "Pensão social básica em Moçambique"
	path := submit(title)
	wantStatus(t, le.api(http.MethodPost, path+"/request-changes", le.libToken, map[string]string{"note": "Faltam os números de 2023."}), http.StatusOK)
	m := le.mails(srv, joao.Email, 1)[0]
	if want := "Alterações pedidas: " + title; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if !strings.Contains(m.Text, "Olá, "+joao.Name) || !strings.Contains(m.Text, "Faltam os números de 2023.") {
		t.Errorf("the mail lacks the greeting or the note:\n%s", m.Text)
	}
	if !strings.Contains(m.Header.Get("List-Unsubscribe"), "topic=library") {
		t.Errorf("List-Unsubscribe %q", m.Header.Get("List-Unsubscribe"))
	}
	opens(m.Text, title)

	wantStatus(t, le.api(http.MethodPatch, path, token, map[string]any{"type": "experience", "title": title,
		"abstract": "Pensões sociais, com os números de 2023.", "language": "pt", "countries": []string{"MZ"}, "year": 2023}), http.StatusOK)
	wantStatus(t, le.api(http.MethodPost, path+"/accept", le.libToken, nil), http.StatusOK)
	m = le.mails(srv, joao.Email, 2)[1]
	if want := "Proposta aceite: " + title; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	opens(m.Text, title)
	if item := linkTo(t, m.Text, "/library/items/"); le.browser().get(item).StatusCode != http.StatusOK {
		t.Errorf("the published item %s does not open", item)
	}

	declined := "Cantinas escolares — piloto"
	wantStatus(t, le.api(http.MethodPost, submit(declined)+"/decline", le.libToken, nil), http.StatusOK)
	m = le.mails(srv, joao.Email, 3)[2]
	if want := "Proposta recusada: " + declined; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	opens(m.Text, declined)

	for _, kind := range []string{notify.KindLibraryChanges, notify.KindLibraryAccepted, notify.KindLibraryDeclined} {
		if le.noticesOf(joao, kind) != 1 {
			t.Errorf("the bell lacks %s", kind)
		}
	}
	bell := member.get("/notifications")
	for _, want := range []string{"A sua proposta «" + title + "» foi aceite", "A sua proposta «" + declined + "» foi recusada"} {
		if !strings.Contains(bell.body, want) {
			t.Errorf("the notifications page lacks %q", want)
		}
	}
	if got := srv.To(le.librarian.Email); len(got) != 0 {
		t.Errorf("the librarian got %d messages", len(got))
	}
}

// TestLibraryTopicCanBeTurnedOff: a member who turned the library topic
// off gets no mail of a decision, and the bell still shows it.
func TestLibraryTopicCanBeTurnedOff(t *testing.T) {
	le, srv := newLibraryMailEnv(t)
	ines := le.memberNamed("Inés Peña", "es")
	member := le.browserFor(ines)
	wantStatus(t, member.post("/account/notifications", url.Values{"library": {"off"}}), http.StatusSeeOther)
	res := le.api(http.MethodPost, "/api/v1/library/submissions", le.tokenFor(ines), map[string]any{"type": "experience",
		"title": "Seguro de desempleo", "language": "es", "countries": []string{"UY"}, "year": 2020})
	wantStatus(t, res, http.StatusCreated)
	var sub struct{ ID int64 }
	decode(t, res, &sub)
	wantStatus(t, le.api(http.MethodPost, "/api/v1/library/submissions/"+itoa(sub.ID)+"/decline", le.libToken, nil), http.StatusOK)
	le.mails(srv, ines.Email, 0)
	if le.noticesOf(ines, notify.KindLibraryDeclined) != 1 {
		t.Error("the bell lacks the decision")
	}
	if !strings.Contains(member.get("/notifications").body, "Su propuesta «Seguro de desempleo» fue rechazada") {
		t.Error("the notifications page lacks the decision in Spanish")
	}
}
