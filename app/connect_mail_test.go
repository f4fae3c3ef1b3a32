package app_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/notify"
	"github.com/aula-platform/aula/notify/smtptest"
	"github.com/aula-platform/aula/wiring"
)

// forumMailEnv is an installation whose mail goes over SMTP to a real
// server, with a Spanish course taught by a teacher, a learner enrolled in
// it and an outsider who is not.
type forumMailEnv struct {
	*env
	svc                        *wiring.Services
	srv                        *smtptest.Server
	course                     *courses.Course
	teacher, learner, outsider *accounts.User
}

func newForumMailEnv(t *testing.T) *forumMailEnv {
	t.Helper()
	// A minute ahead of the machine's, so jobs enqueued "now" are due.
	clock := &quizClock{t: time.Now().Add(time.Minute)}
	env, services, srv := newMailEnvAt(t, clock.Now)
	e := &forumMailEnv{env: env, svc: services, srv: srv}
	svc := &coursesEnv{env: e.env, courses: services.Courses}
	e.teacher = e.person("Inés Peña", "es", accounts.RoleInstructor)
	e.learner = e.person("João Conceição", "pt-BR", accounts.RoleLearner)
	e.outsider = e.person("Ana Muñoz", "es", accounts.RoleLearner)
	e.course, _ = svc.course(e.teacher, "Protección social", true, "Módulo uno")
	svc.enrol(e.learner, e.course.ID)
	return e
}

// person is a user with a name and language of their own.
func (e *forumMailEnv) person(name, locale string, role accounts.Role) *accounts.User {
	e.t.Helper()
	u := &accounts.User{Email: unique("forum") + "@example.org", Name: name + " " + unique(""), Role: role,
		Locale: locale, PasswordHash: testPasswordHash()}
	if err := accounts.NewStore(e.db).InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// noticesOf counts u's notifications of kind.
func (e *env) noticesOf(u *accounts.User, kind string) int {
	e.t.Helper()
	n, err := e.db.NewSelect().Model((*notify.Notification)(nil)).Where("user_id = ? AND kind = ?", u.ID, kind).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestReplyToAFollowedTopicMailsTheFollower: a learner follows a topic of
// the course forum; the teacher's reply reaches them over SMTP in their
// language, under the forums topic, with a link to the reply that opens
// the topic; the bell has it too. The teacher, who wrote, gets nothing.
func TestReplyToAFollowedTopicMailsTheFollower(t *testing.T) {
	fe := newForumMailEnv(t)
	forums := &forumEnv{env: fe.env}
	learner, teacher := fe.tokenFor(fe.learner), fe.tokenFor(fe.teacher)
	res := fe.api(http.MethodGet, "/api/v1/courses/"+itoa(fe.course.ID)+"/forum", learner, nil)
	wantStatus(t, res, http.StatusOK)
	var f apiForum
	decode(t, res, &f)
	topic := forums.newTopic(teacher, f.ID, map[string]any{"title": "Cobertura — ¿cómo medirla?", "body_markdown": "Abro el tema."})
	wantStatus(t, fe.api(http.MethodPut, "/api/v1/topics/"+itoa(topic.ID)+"/follow", learner, nil), http.StatusNoContent)
	reply := forums.newPost(teacher, topic.ID, map[string]any{"body_markdown": "Con la encuesta de hogares."})

	m := fe.mails(fe.srv, fe.learner.Email, 1)[0]
	if m.Subject != "Nova publicação em "+topic.Title {
		t.Errorf("subject %q", m.Subject)
	}
	if want := fe.teacher.Name + " escreveu em " + topic.Title; !strings.Contains(m.Text, want) {
		t.Errorf("the mail lacks %q:\n%s", want, m.Text)
	}
	if !strings.Contains(m.Header.Get("List-Unsubscribe"), "topic=forums") {
		t.Errorf("List-Unsubscribe %q", m.Header.Get("List-Unsubscribe"))
	}
	link := linkTo(t, m.Text, "/topics/")
	if link != "/topics/"+itoa(topic.ID)+"#post-"+itoa(reply.ID) {
		t.Errorf("link %q", link)
	}
	if page := fe.browserFor(fe.learner).get(strings.Split(link, "#")[0]); page.StatusCode != http.StatusOK || !strings.Contains(page.body, "Con la encuesta de hogares.") {
		t.Errorf("the link opens %d", page.StatusCode)
	}
	if fe.noticesOf(fe.learner, notify.KindForumReply) != 1 {
		t.Error("the bell lacks the reply")
	}
	if got := fe.srv.To(fe.teacher.Email); len(got) != 0 {
		t.Errorf("the author got %d messages", len(got))
	}
}

// TestMentionNotifiesReadersOnly: "@name" of the course's teacher mails
// them; of someone who may not read the course forum, nobody is told —
// no mail, no notification.
func TestMentionNotifiesReadersOnly(t *testing.T) {
	fe := newForumMailEnv(t)
	forums := &forumEnv{env: fe.env}
	learner := fe.tokenFor(fe.learner)
	res := fe.api(http.MethodGet, "/api/v1/courses/"+itoa(fe.course.ID)+"/forum", learner, nil)
	wantStatus(t, res, http.StatusOK)
	var f apiForum
	decode(t, res, &f)
	topic := forums.newTopic(learner, f.ID, map[string]any{"title": "Dúvida sobre o módulo", "body_markdown": "Olá"})
	forums.newPost(learner, topic.ID, map[string]any{"body_markdown": "O que acham @" + fe.teacher.Name + " e @" + fe.outsider.Name + "?"})

	m := fe.mails(fe.srv, fe.teacher.Email, 1)[0]
	if want := fe.learner.Name + " le mencionó en " + topic.Title; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if fe.noticesOf(fe.teacher, notify.KindForumMention) != 1 {
		t.Error("the teacher's bell lacks the mention")
	}
	if got := fe.srv.To(fe.outsider.Email); len(got) != 0 {
		t.Errorf("the outsider got %d messages", len(got))
	}
	var all int
	all, err := fe.db.NewSelect().Model((*notify.Notification)(nil)).Where("user_id = ?", fe.outsider.ID).Count(context.Background())
	if err != nil || all != 0 {
		t.Errorf("the outsider has %d notifications (%v)", all, err)
	}
}

// TestEventForumIsForItsPeople: the event page links its forum for a
// participant with a place and for its organiser, and the link opens the
// forum; an outsider (signed in, not registered) and a participant still
// on the waiting list see no link and get 404 for the route and for the
// forum itself. The course page links the course's forum to its learners.
func TestEventForumIsForItsPeople(t *testing.T) {
	e := newEventMailEnv(t)
	org, orgUser := e.token(accounts.RoleInstructor)
	eventID, _ := e.event(org, e.tenInMexico(), map[string]any{"capacity": 1})
	ana, token := e.participant("Ana Conceição Peña", "pt-PT", "")
	if _, status := e.register(token, eventID); status != "registered" {
		t.Fatalf("status %q", status)
	}
	late, lateToken := e.participant("Luis Peña", "es", "")
	if _, status := e.register(lateToken, eventID); status != "waitlisted" {
		t.Fatalf("second registration %q", status)
	}
	outsider, _ := e.participant("Rui Muñoz", "es", "")
	event, forum := "/events/"+itoa(eventID), "/events/"+itoa(eventID)+"/forum"

	var forumPath string
	for _, u := range []*accounts.User{ana, orgUser} {
		b := e.browserFor(u)
		if page := b.get(event); !strings.Contains(page.body, `href="`+forum+`"`) {
			t.Errorf("the event page lacks the forum's link for %s", u.Name)
		}
		res := b.get(forum)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/forums/") {
			t.Fatalf("%s: %s is %d → %q", u.Name, forum, res.StatusCode, res.Header.Get("Location"))
		}
		forumPath = res.Header.Get("Location")
		if page := b.get(forumPath); page.StatusCode != http.StatusOK || !strings.Contains(page.body, mailEventTitle) {
			t.Errorf("%s: the forum is %d", u.Name, page.StatusCode)
		}
	}
	for _, u := range []*accounts.User{outsider, late} {
		b := e.browserFor(u)
		if page := b.get(event); page.StatusCode != http.StatusOK || strings.Contains(page.body, forum) {
			t.Errorf("%s: the event page (%d) links the forum", u.Name, page.StatusCode)
		}
		for _, path := range []string{forum, forumPath} {
			if res := b.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s is %d, want 404", u.Name, path, res.StatusCode)
			}
		}
	}
}

// TestCoursePageLinksItsForum: a learner of the course finds its forum
// from the course page, and the link opens it; a visitor sees no link.
func TestCoursePageLinksItsForum(t *testing.T) {
	e := newForumEnv(t)
	link := "/courses/" + e.course.Slug + "/forum"
	b := e.browserFor(e.learner)
	if page := b.get("/courses/" + e.course.Slug); !strings.Contains(page.body, `href="`+link+`"`) {
		t.Fatalf("the course page lacks %s", link)
	}
	if res := b.get(link); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/forums/") {
		t.Errorf("%s is %d → %q", link, res.StatusCode, res.Header.Get("Location"))
	}
	if page := e.browser().get("/courses/" + e.course.Slug); strings.Contains(page.body, link) {
		t.Error("a visitor sees the forum's link")
	}
}

// forumEvent publishes an event of organiser with one session tomorrow,
// registers participant in it, and returns its id.
func forumEvent(t *testing.T, e *forumEnv, organiser, participant *accounts.User) int64 {
	t.Helper()
	ctx := context.Background()
	org := events.ActorFor(organiser)
	ev, err := e.events.CreateEvent(ctx, org, events.EventParams{Title: "Seminario de Peña", Summary: "Cobertura",
		Language: "es", Kind: events.KindSeminar, TimeZone: "America/Lima", Registration: events.ModeOpen})
	if err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now().Add(24 * time.Hour).Truncate(time.Hour)
	if _, err := e.events.AddSession(ctx, org, ev.ID, events.SessionParams{Title: "Apertura", StartsAt: start, EndsAt: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.events.Publish(ctx, org, ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.events.Register(ctx, events.ActorFor(participant), ev.ID); err != nil {
		t.Fatal(err)
	}
	return ev.ID
}

// TestExchangeAgendaMailReachesADelegate: scheduling the rounds mails
// every delegate, over SMTP, that their agenda is ready, with links to
// the agenda page (which opens) and its calendar, under the exchange
// topic; the bell has it too.
func TestExchangeAgendaMailReachesADelegate(t *testing.T) {
	e, _, srv := newMailEnvAt(t, nil)
	x := exchangeEnvOn(t, e)
	x.interests()
	x.slot("2027-03-10T10:00:00-06:00", "2027-03-10T11:00:00-06:00")
	x.slot("2027-03-10T11:30:00-06:00", "2027-03-10T12:30:00-06:00")
	x.room("Sala Peña")
	x.room("Sala virtual")
	x.schedule()

	m := x.mails(srv, x.brDelegate.Email, 1)[0]
	if want := "Your agenda for Intercambio de experiencias 2027 is ready"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if !strings.Contains(m.Header.Get("List-Unsubscribe"), "topic=exchange") {
		t.Errorf("List-Unsubscribe %q", m.Header.Get("List-Unsubscribe"))
	}
	agenda := "/exchanges/" + itoa(x.id) + "/agenda"
	for _, want := range []string{"http://aula.test" + agenda, "http://aula.test" + agenda + ".ics"} {
		if !slices.Contains(strings.Fields(m.Text), want) {
			t.Errorf("the mail lacks %q:\n%s", want, m.Text)
		}
	}
	if page := x.brBrowser.get(agenda); page.StatusCode != http.StatusOK || !strings.Contains(page.body, "Cuidados para personas mayores") {
		t.Errorf("the agenda opens %d", page.StatusCode)
	}
	if x.noticesOf(x.brDelegate, notify.KindExchangeAgenda) != 1 {
		t.Error("the bell lacks the agenda")
	}
}

// decisionMail is the text of the outbox's mail telling u that an action
// was selected ("" when there is none).
func (x *exchangeEnv) decisionMail(u *accounts.User) string {
	x.t.Helper()
	var m notify.Message
	err := x.db.NewSelect().Model(&m).Where("user_id = ? AND kind = ?", u.ID, "notice."+notify.KindExchangeSelected).Limit(1).Scan(context.Background())
	if err != nil {
		return ""
	}
	return m.TextBody
}
