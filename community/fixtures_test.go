package community_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/migrations/testdb"
	"github.com/aula-platform/aula/wiring"
)

var seq atomic.Int64

// world is an installation wired as `aula serve` wires it, with a clock
// tests move and a notifier that records what it is given.
type coursesActor = courses.Actor

type world struct {
	t     *testing.T
	db    *bun.DB
	svc   *wiring.Services
	com   *community.Service
	clock *clock
	sent  *recorder
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// recorder is a Notifier that keeps every notification.
type recorder struct {
	mu   sync.Mutex
	list []community.Notification
}

func (r *recorder) Notify(_ context.Context, _ bun.IDB, n community.Notification) error {
	r.mu.Lock()
	r.list = append(r.list, n)
	r.mu.Unlock()
	return nil
}

// to returns the kinds of notification userID got, in order.
func (r *recorder) to(userID int64) []community.NotificationKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []community.NotificationKind
	for _, n := range r.list {
		if slices.Contains(n.UserIDs, userID) {
			out = append(out, n.Kind)
		}
	}
	return out
}

func newWorld(t *testing.T) *world {
	t.Helper()
	db := testdb.Open(t, "community")
	blobs, err := courses.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now().UTC().Truncate(time.Second)}
	svc, err := wiring.New(db, wiring.Options{Blobs: blobs, BaseURL: "http://aula.test", Now: c.now, UploadMaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	svc.Community.SetNotifier(rec)
	return &world{t: t, db: db, svc: svc, com: svc.Community, clock: c, sent: rec}
}

// person creates an enabled user with role and a unique name.
func (w *world) person(role accounts.Role, name string) courses.Actor {
	w.t.Helper()
	n := seq.Add(1)
	if name == "" {
		name = fmt.Sprintf("Membro %d", n)
	}
	u := &accounts.User{Email: fmt.Sprintf("m%d-%d@example.org", n, time.Now().UnixNano()), Name: name, Role: role, Locale: "es"}
	if err := accounts.NewStore(w.db).InsertUser(context.Background(), u); err != nil {
		w.t.Fatal(err)
	}
	return courses.ActorFor(u)
}

// course creates a published course in language taught by a new
// instructor, and returns it with the instructor.
func (w *world) course(language string) (*courses.Course, courses.Actor) {
	w.t.Helper()
	ctx := context.Background()
	teacher := w.person(accounts.RoleInstructor, "")
	c, err := w.svc.Courses.CreateCourse(ctx, teacher, courses.CourseParams{
		Title: fmt.Sprintf("Proteção social %d", seq.Add(1)), Summary: "Resumo.", Language: language, WorkloadHours: 4})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.Courses.CreateModule(ctx, teacher, c.ID, courses.ModuleParams{Title: "Um", BodyMarkdown: "Texto."}); err != nil {
		w.t.Fatal(err)
	}
	if c, err = w.svc.Courses.Publish(ctx, teacher, c.ID); err != nil {
		w.t.Fatal(err)
	}
	return c, teacher
}

// enrolled creates a learner enrolled in the course.
func (w *world) enrolled(courseID int64, name string) courses.Actor {
	w.t.Helper()
	a := w.person(accounts.RoleLearner, name)
	if _, err := w.svc.Courses.Enrol(context.Background(), a.UserID, courseID, nil); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) forumOf(actor courses.Actor, courseID int64) *community.ForumView {
	w.t.Helper()
	v, err := w.com.CourseForum(context.Background(), actor, courseID)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) network(actor courses.Actor, lang string) *community.ForumView {
	w.t.Helper()
	v, err := w.com.NetworkForum(context.Background(), actor, lang)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *world) topic(actor courses.Actor, forumID int64, p community.TopicParams) *community.Topic {
	w.t.Helper()
	if p.Title == "" {
		p.Title = "Tema " + fmt.Sprint(seq.Add(1))
	}
	if p.Body == "" {
		p.Body = "Abertura."
	}
	t, err := w.com.CreateTopic(context.Background(), actor, forumID, p)
	if err != nil {
		w.t.Fatal(err)
	}
	return t
}

func (w *world) post(actor courses.Actor, topicID int64, body string, parent *int64) *community.Post {
	w.t.Helper()
	p, err := w.com.CreatePost(context.Background(), actor, topicID, community.PostParams{Body: body, ParentID: parent})
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
}
