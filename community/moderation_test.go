package community_test

import (
	"context"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
)

// TestHiddenPostShowsAsHiddenToOthers: a hidden post is "hidden by a
// moderator" to its readers, in full to moderators; only moderators hide,
// every act is logged with who and why, and the author is told.
func TestHiddenPostShowsAsHiddenToOthers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, teacher := w.course("pt")
	author := w.enrolled(c.ID, "")
	reader := w.enrolled(c.ID, "")
	f := w.forumOf(author, c.ID)
	topic := w.topic(author, f.Forum.ID, community.TopicParams{})
	p := w.post(author, topic.ID, "Texto ofensivo", nil)

	if _, err := w.com.Report(ctx, reader, p.ID, "Ofensivo"); err != nil {
		t.Fatal(err)
	}
	_, err := w.com.Report(ctx, reader, p.ID, "De novo")
	wantErr(t, err, community.ErrAlreadyReported)
	_, err = w.com.Report(ctx, reader, p.ID, " ")
	wantErr(t, err, community.ErrInvalidReason)
	wantErr(t, w.com.Hide(ctx, reader, p.ID, ""), community.ErrForbidden)

	q, err := w.com.ModerationQueue(ctx, teacher, f.Forum.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Reports) != 1 || q.Reports[0].PostID != p.ID {
		t.Fatalf("reports %+v", q.Reports)
	}
	_, err = w.com.ModerationQueue(ctx, reader, f.Forum.ID)
	wantErr(t, err, community.ErrForbidden)

	if err := w.com.Hide(ctx, teacher, p.ID, "Linguagem ofensiva"); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		name   string
		d      func() *community.TopicDetail
		hidden bool
	}{
		{"reader", func() *community.TopicDetail { d, _ := w.com.Topic(ctx, reader, topic.ID); return d }, true},
		{"author", func() *community.TopicDetail { d, _ := w.com.Topic(ctx, author, topic.ID); return d }, true},
		{"teacher", func() *community.TopicDetail { d, _ := w.com.Topic(ctx, teacher, topic.ID); return d }, false},
	} {
		got := who.d().Posts[1]
		if got.Hidden != who.hidden || (who.hidden && got.BodyHTML != "") || (!who.hidden && got.BodyMarkdown != "Texto ofensivo") {
			t.Errorf("%s sees hidden=%v body %q", who.name, got.Hidden, got.BodyMarkdown)
		}
	}
	if !containsKind(w.sent.to(author.UserID), community.NotifyModeration) {
		t.Error("author not told of the hiding")
	}
	if err := w.com.Restore(ctx, teacher, p.ID, "Revisto"); err != nil {
		t.Fatal(err)
	}
	q, err = w.com.ModerationQueue(ctx, teacher, f.Forum.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Reports) != 0 || len(q.Log) != 2 || q.Log[0].Action != community.ActionRestore || q.Log[1].Reason != "Linguagem ofensiva" || q.Log[1].ActorName == "" {
		t.Fatalf("queue after: reports %d, log %+v", len(q.Reports), q.Log)
	}
}

// TestLockPinMove: a locked topic takes posts from moderators only; a
// pinned one lists first; a topic moves only between forums its
// moderator moderates.
func TestLockPinMove(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.person(accounts.RoleAdmin, "")
	member := w.person(accounts.RoleLearner, "")
	es := w.network(member, "es")
	older := w.topic(member, es.Forum.ID, community.TopicParams{Title: "Primero"})
	w.clock.add(time.Minute)
	newer := w.topic(member, es.Forum.ID, community.TopicParams{Title: "Segundo"})

	wantErr(t, w.com.SetLocked(ctx, member, older.ID, true, ""), community.ErrForbidden)
	if err := w.com.SetLocked(ctx, admin, older.ID, true, "Cerrado"); err != nil {
		t.Fatal(err)
	}
	_, err := w.com.CreatePost(ctx, member, older.ID, community.PostParams{Body: "¿Puedo?"})
	wantErr(t, err, community.ErrLocked)
	w.post(admin, older.ID, "Los moderadores sí.", nil)

	if err := w.com.SetPinned(ctx, admin, older.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	list, err := w.com.Topics(ctx, member, es.Forum.ID, community.TopicFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Topics) < 2 || list.Topics[0].ID != older.ID {
		t.Fatalf("pinned topic not first: %+v", list.Topics)
	}

	c, teacher := w.course("es")
	course := w.forumOf(teacher, c.ID)
	// The teacher moderates their course forum, not the network forum.
	wantErr(t, w.com.Move(ctx, teacher, newer.ID, course.Forum.ID, ""), community.ErrForbidden)
	if err := w.com.Move(ctx, admin, newer.ID, w.network(admin, "pt").Forum.ID, "Em português"); err != nil {
		t.Fatal(err)
	}
	d, err := w.com.Topic(ctx, member, newer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Forum.Forum.Language != "pt" {
		t.Fatalf("moved topic in forum %+v", d.Forum.Forum)
	}
}

// TestHeldFirstPost: with the setting on, a new account's first post
// waits for a moderator, seen by its author and the moderators only; once
// approved it counts and its followers are told.
func TestHeldFirstPost(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.person(accounts.RoleAdmin, "")
	if _, err := w.com.SaveSettings(ctx, admin, 7); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = w.com.SaveSettings(context.Background(), admin, 0) })
	_, err := w.com.SaveSettings(ctx, w.person(accounts.RoleLearner, ""), 1)
	wantErr(t, err, community.ErrForbidden)

	veteran := w.person(accounts.RoleInstructor, "")
	f := w.network(veteran, "en")
	topic := w.topic(veteran, f.Forum.ID, community.TopicParams{})
	newcomer := w.person(accounts.RoleLearner, "")
	other := w.person(accounts.RoleLearner, "")
	p := w.post(newcomer, topic.ID, "Buy cheap watches", nil)
	if !p.Held {
		t.Fatal("first post of a new account not held")
	}
	for _, c := range []struct {
		who  coursesActor
		want int
	}{{other, 1}, {newcomer, 2}, {admin, 2}} {
		d, err := w.com.Topic(ctx, c.who, topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Posts) != c.want {
			t.Errorf("user %d sees %d posts, want %d", c.who.UserID, len(d.Posts), c.want)
		}
	}
	if containsKind(w.sent.to(veteran.UserID), community.NotifyReply) {
		t.Fatal("topic's author told of a held post")
	}
	if err := w.com.Approve(ctx, admin, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	d, err := w.com.Topic(ctx, other, topic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Posts) != 2 || d.Topic.PostsCount != 2 {
		t.Fatalf("after approval: %d posts, count %d", len(d.Posts), d.Topic.PostsCount)
	}
	if !containsKind(w.sent.to(veteran.UserID), community.NotifyReply) {
		t.Fatal("topic's author not told once approved")
	}
	if p2 := w.post(newcomer, topic.ID, "Sorry, a real question", nil); p2.Held {
		t.Fatal("second post held after approval")
	}
}
