package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
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
