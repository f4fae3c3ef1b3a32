package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
)

// TestForgotPasswordOverSMTP: the sign-in page leads to "forgot
// password"; the mail arrives over SMTP in the user's language, with no
// unsubscribe (account mail), and its one-time link, followed, sets a new
// password and ends the other sessions. An unknown address gets the same
// answer and no mail.
func TestForgotPasswordOverSMTP(t *testing.T) {
	e, _, srv := newMailEnv(t)
	u := e.user(accounts.RoleLearner)
	if err := e.accounts.SetLocale(context.Background(), u.ID, "pt-PT"); err != nil {
		t.Fatal(err)
	}
	other := e.browser()
	if res := other.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatal("sign in")
	}

	b := e.browser()
	if page := b.get("/signin"); !strings.Contains(page.body, `href="/password/forgot"`) {
		t.Fatalf("the sign-in page has no forgot-password link:\n%s", page.body)
	}
	wantStatus(t, b.get("/password/forgot"), http.StatusOK)
	res := b.post("/password/forgot", url.Values{"email": {strings.ToUpper(u.Email)}})
	wantStatus(t, res, http.StatusSeeOther)
	known := b.get(res.Header.Get("Location"))
	unknownAddr := unique("nobody") + "@example.org"
	b.get("/password/forgot")
	res = b.post("/password/forgot", url.Values{"email": {unknownAddr}})
	wantStatus(t, res, http.StatusSeeOther)
	unknown := b.get(res.Header.Get("Location"))
	const sent = "If an account has this address, a link to choose a new password is on its way to it."
	if !strings.Contains(known.body, sent) || !strings.Contains(unknown.body, sent) {
		t.Errorf("the answers differ or say nothing:\n%s\n---\n%s", known.body, unknown.body)
	}

	m := e.mails(srv, u.Email, 1)[0]
	e.mails(srv, unknownAddr, 0)
	if m.Subject != "Escolha uma nova palavra-passe para a Aula" || m.To.Name != u.Name {
		t.Errorf("subject %q to %q", m.Subject, m.To.Name)
	}
	if m.Header.Get("List-Unsubscribe") != "" {
		t.Error("account mail offers to unsubscribe")
	}
	if !strings.Contains(m.Text, "Olá, "+u.Name) || !strings.Contains(m.HTML, "Olá, "+u.Name) {
		t.Errorf("bodies do not greet %s:\n%s", u.Name, m.Text)
	}
	link := linkTo(t, m.Text, "/password/")
	if linkTo(t, m.HTML, "/password/") != link {
		t.Error("the text and HTML links differ")
	}

	form := b.get(link)
	wantStatus(t, form, http.StatusOK)
	newPassword := "uma nova palavra longa"
	wantStatus(t, b.post(link, url.Values{"password": {newPassword}, "confirm": {newPassword}}), http.StatusSeeOther)
	if res := other.get("/my/courses"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session still works after the reset: %d", res.StatusCode)
	}
	if res := e.browser().signIn(u.Email, newPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in with the new password: %d", res.StatusCode)
	}
	if res := b.get(link); res.StatusCode != http.StatusGone {
		t.Errorf("the link works twice: %d", res.StatusCode)
	}
}

// TestForgotPasswordLimits: a bad address is refused with a message; a
// fourth request for one address in an hour says the same but mails
// nothing more; a client asking too often is told to wait.
func TestForgotPasswordLimits(t *testing.T) {
	e, _, srv := newMailEnv(t)
	u := e.user(accounts.RoleLearner)
	b := e.browser()
	b.get("/password/forgot")
	res := b.post("/password/forgot", url.Values{"email": {"ana@"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `value="ana@"`) || !strings.Contains(res.body, "field-error") {
		t.Errorf("bad address:\n%s", res.body)
	}
	for range 4 {
		wantStatus(t, b.post("/password/forgot", url.Values{"email": {u.Email}}), http.StatusSeeOther)
	}
	e.mails(srv, u.Email, 3)
	for i := 4; i < 20; i++ {
		b.post("/password/forgot", url.Values{"email": {fmt.Sprintf("x%d%s", i, u.Email)}})
	}
	res = b.post("/password/forgot", url.Values{"email": {u.Email}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

// TestRelayDownDoesNotFailRequests: with the SMTP relay down, asking for a
// password link still answers at once; the message waits in the outbox
// with the relay's error.
func TestRelayDownDoesNotFailRequests(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	down, err := notify.NewSMTP("smtp://"+addr, notify.SMTPOptions{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := newInstallation(t, installation{mail: down})
	u := e.user(accounts.RoleLearner)
	b := e.browser()
	b.get("/password/forgot")
	wantStatus(t, b.post("/password/forgot", url.Values{"email": {u.Email}}), http.StatusSeeOther)
	e.workJobs()
	list, err := notify.NewStore(e.db).Messages(context.Background(), notify.MessageFilter{To: u.Email, Limit: 5})
	if err != nil || len(list) != 1 || list[0].Status != notify.StatusQueued || list[0].LastError == "" {
		t.Fatalf("with the relay down: %+v %v", list, err)
	}
}
