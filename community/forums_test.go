package community_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
)

// TestCourseForumIsForItsReaders: someone outside a course never reads its
// forum, a learner of another course neither, as if it did not exist;
// its enrolled learners read and write, its teacher moderates.
func TestCourseForumIsForItsReaders(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, teacher := w.course("pt")
	learner := w.enrolled(c.ID, "")
	other, _ := w.course("es")
	otherLearner := w.enrolled(other.ID, "")
	outsider := w.person(accounts.RoleLearner, "")

	f := w.forumOf(learner, c.ID)
	if f.Moderate || f.Title != c.Title || f.Forum.Language != "pt" {
		t.Fatalf("learner's view: %+v", f)
	}
	if tf := w.forumOf(teacher, c.ID); !tf.Moderate || !tf.Staff {
		t.Fatalf("teacher's view: moderate %v staff %v", tf.Moderate, tf.Staff)
	}
	topic := w.topic(learner, f.Forum.ID, community.TopicParams{Title: "Dúvida sobre o módulo"})

	for _, actor := range []courses.Actor{outsider, otherLearner} {
		_, err := w.com.CourseForum(ctx, actor, c.ID)
		wantErr(t, err, community.ErrNotFound)
		_, err = w.com.Forum(ctx, actor, f.Forum.ID)
		wantErr(t, err, community.ErrNotFound)
		_, err = w.com.Topic(ctx, actor, topic.ID)
		wantErr(t, err, community.ErrNotFound)
		_, err = w.com.CreatePost(ctx, actor, topic.ID, community.PostParams{Body: "Olá"})
		wantErr(t, err, community.ErrNotFound)
	}

	list, err := w.com.Forums(ctx, otherLearner)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if v.Forum.ID == f.Forum.ID {
			t.Fatal("another course's learner lists the forum")
		}
	}
	list, err = w.com.Forums(ctx, learner)
	if err != nil {
		t.Fatal(err)
	}
	var scopes []string
	for _, v := range list {
		scopes = append(scopes, string(v.Forum.Scope)+":"+v.Title)
	}
	if len(list) != 4 || list[3].Forum.ID != f.Forum.ID {
		t.Fatalf("learner's forums: %v", scopes)
	}
}

// TestRepliesAreOneLevelDeep: a reply to a reply, or to another topic's
// post, is refused; the topic nests replies under their post.
func TestRepliesAreOneLevelDeep(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.person(accounts.RoleLearner, "")
	f := w.network(a, "es")
	topic := w.topic(a, f.Forum.ID, community.TopicParams{})
	other := w.topic(a, f.Forum.ID, community.TopicParams{})
	p := w.post(a, topic.ID, "Un aporte", nil)
	r := w.post(a, topic.ID, "Una respuesta", &p.ID)
	_, err := w.com.CreatePost(ctx, a, topic.ID, community.PostParams{Body: "Más hondo", ParentID: &r.ID})
	wantErr(t, err, community.ErrInvalidParent)
	_, err = w.com.CreatePost(ctx, a, other.ID, community.PostParams{Body: "Otro tema", ParentID: &p.ID})
	wantErr(t, err, community.ErrInvalidParent)

	d, err := w.com.Topic(ctx, a, topic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Posts) != 2 || len(d.Posts[1].Replies) != 1 || d.Posts[1].Replies[0].ID != r.ID || d.Topic.PostsCount != 3 {
		t.Fatalf("posts: %+v", d.Posts)
	}
}

// TestPostsAreSanitisedAndBounded: a script in a post never reaches the
// page; an over-long or empty post is refused with nothing written.
func TestPostsAreSanitisedAndBounded(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a := w.person(accounts.RoleLearner, "")
	f := w.network(a, "en")
	topic := w.topic(a, f.Forum.ID, community.TopicParams{})
	p := w.post(a, topic.ID, "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>", nil)
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(p.BodyHTML, bad) {
			t.Errorf("body_html keeps %q: %s", bad, p.BodyHTML)
		}
	}
	for _, body := range []string{strings.Repeat("a", community.MaxBodyLen+1), "  \n "} {
		_, err := w.com.CreatePost(ctx, a, topic.ID, community.PostParams{Body: body})
		wantErr(t, err, community.ErrInvalidBody)
	}
	_, err := w.com.CreateTopic(ctx, a, f.Forum.ID, community.TopicParams{Title: " ", Body: "x"})
	wantErr(t, err, community.ErrInvalidTitle)
	d, err := w.com.Topic(ctx, a, topic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Topic.PostsCount != 2 {
		t.Fatalf("posts_count %d after refusals, want 2", d.Topic.PostsCount)
	}
}

// TestAcceptedAnswer: the question's author or a moderator accepts a
// post, which is shown right after the question; others may not, and
// replies or the question itself cannot be accepted.
func TestAcceptedAnswer(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, teacher := w.course("es")
	asker := w.enrolled(c.ID, "")
	helper := w.enrolled(c.ID, "")
	f := w.forumOf(asker, c.ID)
	q := w.topic(asker, f.Forum.ID, community.TopicParams{Kind: community.KindQuestion, Title: "¿Cómo se calcula la pensión?"})
	first := w.post(helper, q.ID, "Así no.", nil)
	good := w.post(helper, q.ID, "Así sí.", nil)
	reply := w.post(asker, q.ID, "Gracias", &good.ID)

	wantErr(t, w.com.Accept(ctx, helper, q.ID, good.ID), community.ErrForbidden)
	wantErr(t, w.com.Accept(ctx, asker, q.ID, reply.ID), community.ErrNotAcceptable)
	d, _ := w.com.Topic(ctx, asker, q.ID)
	wantErr(t, w.com.Accept(ctx, asker, q.ID, d.Posts[0].ID), community.ErrNotAcceptable)

	if err := w.com.Accept(ctx, asker, q.ID, good.ID); err != nil {
		t.Fatal(err)
	}
	d, err := w.com.Topic(ctx, helper, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Posts[1].ID != good.ID || !d.Posts[1].Accepted || d.Posts[2].ID != first.ID {
		t.Fatalf("order: %d %d, want accepted %d first", d.Posts[1].ID, d.Posts[2].ID, good.ID)
	}
	if got := w.sent.to(helper.UserID); !containsKind(got, community.NotifyAccepted) {
		t.Fatalf("helper told %v, want accepted", got)
	}
	// A teacher moderates: they may change it.
	if err := w.com.Accept(ctx, teacher, q.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	disc := w.topic(asker, f.Forum.ID, community.TopicParams{})
	p := w.post(helper, disc.ID, "x", nil)
	wantErr(t, w.com.Accept(ctx, asker, disc.ID, p.ID), community.ErrNotAcceptable)
}

func containsKind(list []community.NotificationKind, k community.NotificationKind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}
