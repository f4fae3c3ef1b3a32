package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
)

// TestNoticesOverSMTP: being enrolled by an admin, a certificate issued
// and an announcement each reach the learner by mail (with one-click
// unsubscribe headers and links that work when followed) and under the
// bell, whose count goes down as notices are opened.
func TestNoticesOverSMTP(t *testing.T) {
	e, _, srv := newMailEnv(t)
	teacher := e.user(accounts.RoleInstructor)
	c, mods := e.enrolCourse(1, teacher.ID)
	learner := e.user(accounts.RoleLearner)
	admin, _ := e.token(accounts.RoleAdmin)

	res := e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments/manual", admin, map[string]string{"email": learner.Email})
	wantStatus(t, res, http.StatusCreated)
	var en struct{ ID int64 }
	decode(t, res, &en)
	m := e.mails(srv, learner.Email, 1)[0]
	if m.Subject != "You are enrolled in Protección Social Básica" || m.To.Name != learner.Name {
		t.Errorf("enrolment notice %q to %q", m.Subject, m.To.Name)
	}
	unsub := m.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(unsub, "<http://aula.test/unsubscribe/") || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers %q %q", unsub, m.Header.Get("List-Unsubscribe-Post"))
	}
	b := e.browser()
	if res := b.signIn(learner.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatal("sign in")
	}
	wantStatus(t, b.get(linkTo(t, m.Text, "/courses/")), http.StatusOK)

	// Completing the course issues the certificate: its notice points at
	// the verification page.
	token := e.tokenFor(learner)
	wantStatus(t, e.api(http.MethodPost, fmt.Sprintf("/api/v1/enrolments/%d/modules/%d/complete", en.ID, mods[0]), token, nil), http.StatusOK)
	got := e.mails(srv, learner.Email, 2)[1]
	if got.Subject != "Your certificate for Protección Social Básica" {
		t.Errorf("certificate notice %q", got.Subject)
	}
	verify := e.browser().get(linkTo(t, got.HTML, "/verify/"))
	wantStatus(t, verify, http.StatusOK)
	if !strings.Contains(verify.body, learner.Name) {
		t.Errorf("the verify link does not show the holder:\n%s", verify.body)
	}

	// An instructor's announcement: Markdown sanitised as in modules.
	res = e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/announcements", e.tokenFor(teacher),
		map[string]string{"title": "Sesión en vivo el jueves", "body_markdown": "**Importante**: traigan sus preguntas.\n\n<script>alert(1)</script>"})
	wantStatus(t, res, http.StatusCreated)
	ann := e.mails(srv, learner.Email, 3)[2]
	if ann.Subject != "Protección Social Básica: Sesión en vivo el jueves" || !strings.Contains(ann.HTML, "<strong>Importante</strong>") ||
		strings.Contains(ann.HTML, "<script>") || !strings.Contains(ann.Text, "**Importante**: traigan sus preguntas.") {
		t.Errorf("announcement %q:\n%s", ann.Subject, ann.HTML)
	}
	if len(srv.To(teacher.Email)) != 0 {
		t.Error("the instructor got their own announcement")
	}
	page := b.get("/courses/" + c.Slug)
	if !strings.Contains(page.body, "Sesión en vivo el jueves") || !strings.Contains(page.body, "<strong>Importante</strong>") || strings.Contains(page.body, "alert(1)") {
		t.Errorf("the course page does not list the announcement:\n%s", page.body)
	}

	// The bell counts three; opening one follows its link and counts down.
	if !strings.Contains(page.body, "3 new notifications") {
		t.Errorf("bell:\n%s", page.body)
	}
	list := b.get("/notifications")
	for _, want := range []string{"You were enrolled in Protección Social Básica", "Your certificate for Protección Social Básica is ready", "Protección Social Básica: Sesión en vivo el jueves"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the list lacks %q:\n%s", want, list.body)
		}
	}
	start := strings.Index(list.body, `href="/notifications/`)
	open := list.body[start+6 : start+6+strings.Index(list.body[start+6:], `"`)]
	res = b.get(open)
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/courses/"+c.Slug+"#announcement-") {
		t.Errorf("the newest notice leads to %q", res.Header.Get("Location"))
	}
	if page := b.get("/notifications"); !strings.Contains(page.body, "2 new notifications") {
		t.Errorf("after opening one:\n%s", page.body)
	}
	if res := e.browser().get(open); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("a notification opened without signing in: %d", res.StatusCode)
	}
	other, _ := e.signedIn(accounts.RoleLearner)
	if res := other.get(open); res.StatusCode != http.StatusNotFound {
		t.Errorf("another user opens the notification: %d", res.StatusCode)
	}
	b.get("/notifications")
	wantStatus(t, b.post("/notifications/read", nil), http.StatusSeeOther)
	if page := b.get("/notifications"); strings.Contains(page.body, "new notification") {
		t.Errorf("after marking all read:\n%s", page.body)
	}
}

// TestOneClickUnsubscribe: the List-Unsubscribe link, POSTed as a mail
// program does (no session, no CSRF token), turns the topic's mail off;
// the notices still appear under the bell. Opened in a browser, the link
// asks first.
func TestOneClickUnsubscribe(t *testing.T) {
	e, _, srv := newMailEnv(t)
	teacher := e.user(accounts.RoleInstructor)
	c, _ := e.enrolCourse(1, teacher.ID)
	learner := e.user(accounts.RoleLearner)
	admin, _ := e.token(accounts.RoleAdmin)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments/manual", admin, map[string]string{"email": learner.Email}), http.StatusCreated)
	announce := func(title string) {
		t.Helper()
		wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/announcements", e.tokenFor(teacher), map[string]string{"title": title}), http.StatusCreated)
	}
	announce("Primera")
	m := e.mails(srv, learner.Email, 2)[1]
	link := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	path := strings.TrimPrefix(link, "http://aula.test")
	if !strings.HasSuffix(path, "?topic=announcements") || linkTo(t, m.Text, "/unsubscribe/") != path {
		t.Fatalf("unsubscribe link %q", link)
	}

	page := e.browser().get(path)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Announcements of your courses") || !strings.Contains(page.body, `<form method="post"`) {
		t.Errorf("the page does not ask first:\n%s", page.body)
	}
	req := e.api(http.MethodPost, path, "", "List-Unsubscribe=One-Click", "Content-Type", "application/x-www-form-urlencoded")
	if req.StatusCode != http.StatusOK {
		t.Fatalf("one-click POST: %d %s", req.StatusCode, req.body)
	}
	announce("Segunda")
	e.mails(srv, learner.Email, 2) // nothing more
	b := e.browser()
	b.signIn(learner.Email, testPassword)
	if list := b.get("/notifications"); !strings.Contains(list.body, "Segunda") {
		t.Errorf("the notice is not under the bell:\n%s", list.body)
	}
	if prefs := b.get("/account/notifications"); !strings.Contains(prefs.body, `id="announcements-off" name="announcements" value="off" checked`) {
		t.Errorf("preferences do not say off:\n%s", prefs.body)
	}
	if res := e.api(http.MethodPost, "/unsubscribe/not-a-token?topic=announcements", "", "List-Unsubscribe=One-Click", "Content-Type", "application/x-www-form-urlencoded"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown token: %d", res.StatusCode)
	}
}

// TestDailyDigest: notices of a topic set to the daily digest wait for
// the user's morning and go in one message listing them, once however
// many notices the day had; a topic set to off sends nothing.
func TestDailyDigest(t *testing.T) {
	clock := &quizClock{t: time.Now().Add(time.Minute)}
	e, svc, srv := newMailEnvAt(t, clock.Now)
	teacher := e.user(accounts.RoleInstructor)
	c, _ := e.enrolCourse(1, teacher.ID)
	learner := e.user(accounts.RoleLearner)
	admin, _ := e.token(accounts.RoleAdmin)

	b := e.browser()
	b.signIn(learner.Email, testPassword)
	b.get("/account/notifications")
	res := b.post("/account/notifications", url.Values{"announcements": {"digest"}, "enrolment": {"off"}})
	wantStatus(t, res, http.StatusSeeOther)
	if bad := b.post("/account/notifications", url.Values{"announcements": {"hourly"}}); bad.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown delivery: %d", bad.StatusCode)
	}

	wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/enrolments/manual", admin, map[string]string{"email": learner.Email}), http.StatusCreated)
	for _, title := range []string{"Lectura de la semana", "Cambio de horario"} {
		wantStatus(t, e.api(http.MethodPost, "/api/v1/courses/"+itoa(c.ID)+"/announcements", e.tokenFor(teacher), map[string]string{"title": title}), http.StatusCreated)
	}
	e.mails(srv, learner.Email, 0)

	clock.Advance(25 * time.Hour) // past the next local morning
	digest := e.mails(srv, learner.Email, 1)[0]
	if digest.Subject != "Aula: 2 new notices" {
		t.Errorf("digest subject %q", digest.Subject)
	}
	for _, want := range []string{"Protección Social Básica: Lectura de la semana", "Protección Social Básica: Cambio de horario"} {
		if !strings.Contains(digest.Text, want) || !strings.Contains(digest.HTML, want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest.Text)
		}
	}
	if strings.Contains(digest.Text, "You were enrolled") {
		t.Error("a topic set to off is in the digest")
	}
	if !strings.HasSuffix(strings.Trim(digest.Header.Get("List-Unsubscribe"), "<>"), "?topic="+notify.DigestTopics) {
		t.Errorf("digest unsubscribe %q", digest.Header.Get("List-Unsubscribe"))
	}
	clock.Advance(25 * time.Hour)
	e.mails(srv, learner.Email, 1) // nothing new, no second digest
	_ = svc
	_ = smtptest.Parsed{}
}
