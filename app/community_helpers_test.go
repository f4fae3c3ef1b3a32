package app_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
)

// forumEnv is a running Aula with a course, its teacher, an enrolled
// learner and an outsider, on a clock the test moves, and a notifier that
// keeps what it is given.
type forumEnv struct {
	*env
	clock    *quizClock
	courses  *courses.Service
	forums   *community.Service
	events   *events.Service
	sent     *sentNotes
	course   *courses.Course
	teacher  *accounts.User
	learner  *accounts.User
	outsider *accounts.User
}

// sentNotes is a community.Notifier that keeps every notification.
type sentNotes struct {
	mu   sync.Mutex
	list []community.Notification
}

func (s *sentNotes) Notify(_ context.Context, _ bun.IDB, n community.Notification) error {
	s.mu.Lock()
	s.list = append(s.list, n)
	s.mu.Unlock()
	return nil
}

// to counts the notifications userID got.
func (s *sentNotes) to(userID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, x := range s.list {
		for _, id := range x.UserIDs {
			if id == userID {
				n++
			}
		}
	}
	return n
}

func newForumEnv(t *testing.T) *forumEnv {
	t.Helper()
	clock := &quizClock{t: time.Now().UTC().Truncate(time.Second)}
	e, svc := newInstallation(t, installation{clock: clock.Now})
	sent := &sentNotes{}
	svc.Community.SetNotifier(sent)
	fe := &forumEnv{env: e, clock: clock, courses: svc.Courses, forums: svc.Community, events: svc.Events, sent: sent}
	ce := &coursesEnv{env: e, courses: svc.Courses}
	fe.teacher = e.user(accounts.RoleInstructor)
	fe.course, _ = ce.course(fe.teacher, "Foro de prueba", true, "Módulo uno")
	fe.learner = e.user(accounts.RoleLearner)
	ce.enrol(fe.learner, fe.course.ID)
	fe.outsider = e.user(accounts.RoleLearner)
	return fe
}

// browserFor signs u in with a browser.
func (e *env) browserFor(u *accounts.User) *client {
	e.t.Helper()
	c := e.browser()
	if res := c.signIn(u.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in: %d", res.StatusCode)
	}
	return c
}

type apiForum struct {
	ID       int64  `json:"id"`
	Scope    string `json:"scope"`
	ScopeID  *int64 `json:"scope_id"`
	Title    string `json:"title"`
	Language string `json:"language"`
}

type apiPost struct {
	ID           int64     `json:"id"`
	ParentID     *int64    `json:"parent_id"`
	BodyMarkdown string    `json:"body_markdown"`
	BodyHTML     string    `json:"body_html"`
	Hidden       bool      `json:"hidden"`
	Accepted     bool      `json:"accepted"`
	Replies      []apiPost `json:"replies"`
}

type apiTopic struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Author *struct {
		ID   int64
		Name string
	}
	PostsCount     int        `json:"posts_count"`
	LastPostAt     time.Time  `json:"last_post_at"`
	AcceptedPostID *int64     `json:"accepted_post_id"`
	ClosesAt       *time.Time `json:"closes_at"`
	Unread         bool       `json:"unread"`
	Options        []struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	} `json:"options"`
	Posts []apiPost `json:"posts"`
}

// courseForum returns the id of the course's forum, through the API.
func (e *forumEnv) courseForum(token string) int64 {
	e.t.Helper()
	res := e.api(http.MethodGet, "/api/v1/courses/"+itoa(e.course.ID)+"/forum", token, nil)
	wantStatus(e.t, res, http.StatusOK)
	var f apiForum
	decode(e.t, res, &f)
	return f.ID
}

// newTopic opens a topic through the API and returns it.
func (e *forumEnv) newTopic(token string, forumID int64, body map[string]any) apiTopic {
	e.t.Helper()
	res := e.api(http.MethodPost, "/api/v1/forums/"+itoa(forumID)+"/topics", token, body)
	wantStatus(e.t, res, http.StatusCreated)
	var t apiTopic
	decode(e.t, res, &t)
	return t
}

// newPost writes a post through the API and returns it.
func (e *forumEnv) newPost(token string, topicID int64, body map[string]any) apiPost {
	e.t.Helper()
	res := e.api(http.MethodPost, "/api/v1/topics/"+itoa(topicID)+"/posts", token, body)
	wantStatus(e.t, res, http.StatusCreated)
	var p apiPost
	decode(e.t, res, &p)
	return p
}
