package community_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
)

// TestMentionNeverReachesOutsiders: "@name" tells a member who reads the
// forum (accents and case aside), and nobody who cannot read it — not
// even through a notification that names the topic.
func TestMentionNeverReachesOutsiders(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, _ := w.course("es")
	writer := w.enrolled(c.ID, "")
	name := "Ana Peña " + itoa(seq.Add(1))
	reader := w.enrolled(c.ID, name)
	outsiderName := "Luis Ñáñez " + itoa(seq.Add(1))
	outsider := w.person(accounts.RoleLearner, outsiderName)
	f := w.forumOf(writer, c.ID)
	topic := w.topic(writer, f.Forum.ID, community.TopicParams{})

	w.post(writer, topic.ID, "Hola @ana pena "+name[len("Ana Peña "):]+", y @"+outsiderName+": ¿qué opinan? ana@example.org", nil)
	if got := w.sent.to(reader.UserID); !slices.Equal(got, []community.NotificationKind{community.NotifyMention}) {
		t.Errorf("reader told %v, want one mention", got)
	}
	if got := w.sent.to(outsider.UserID); len(got) != 0 {
		t.Errorf("outsider told %v", got)
	}
	// Editing in a new mention of an outsider tells nobody either; the
	// reader mentioned already is not told twice.
	d, _ := w.com.Topic(ctx, writer, topic.ID)
	if _, err := w.com.EditPost(ctx, writer, d.Posts[1].ID, community.EditParams{Body: "@" + name + " @" + outsiderName + " otra vez"}); err != nil {
		t.Fatal(err)
	}
	if len(w.sent.to(outsider.UserID)) != 0 || len(w.sent.to(reader.UserID)) != 1 {
		t.Errorf("after edit: outsider %v, reader %v", w.sent.to(outsider.UserID), w.sent.to(reader.UserID))
	}
}

// TestFollowingAndUnread: followers hear of replies (not of their own);
// a topic is unread for a member until they open it after its last post;
// a follower who lost access is not told.
func TestFollowingAndUnread(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, _ := w.course("en")
	author := w.enrolled(c.ID, "")
	fan := w.enrolled(c.ID, "")
	leaver := w.enrolled(c.ID, "")
	f := w.forumOf(author, c.ID)
	if err := w.com.FollowForum(ctx, fan, f.Forum.ID, true); err != nil {
		t.Fatal(err)
	}
	topic := w.topic(author, f.Forum.ID, community.TopicParams{})
	if !containsKind(w.sent.to(fan.UserID), community.NotifyReply) {
		t.Fatal("forum follower not told of a new topic")
	}
	if err := w.com.Follow(ctx, leaver, topic.ID, true); err != nil {
		t.Fatal(err)
	}
	unread := func(a coursesActor) bool {
		list, err := w.com.Topics(ctx, a, f.Forum.ID, community.TopicFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range list.Topics {
			if tp.ID == topic.ID {
				return tp.Unread()
			}
		}
		t.Fatal("topic not listed")
		return false
	}
	if unread(author) || !unread(fan) {
		t.Fatalf("before reading: author unread %v, fan unread %v", unread(author), unread(fan))
	}
	if _, err := w.com.Topic(ctx, fan, topic.ID); err != nil {
		t.Fatal(err)
	}
	if unread(fan) {
		t.Fatal("unread after opening")
	}

	// The leaver withdraws from the course.
	if _, err := w.db.NewUpdate().Table("enrolments").Set("status = 'withdrawn', withdrawn_at = now()").
		Where("user_id = ? AND course_id = ?", leaver.UserID, c.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	before := len(w.sent.to(author.UserID))
	w.post(fan, topic.ID, "A reply", nil)
	if !unread(author) {
		t.Fatal("a new reply leaves the topic read")
	}
	if len(w.sent.to(author.UserID)) != before+1 {
		t.Fatal("topic author not told of the reply")
	}
	if containsKind(w.sent.to(leaver.UserID), community.NotifyReply) {
		t.Fatal("a member who left the course was told")
	}
	if n := len(w.sent.to(fan.UserID)); n != 1 {
		t.Fatalf("fan told %d times, want once (not of their own reply)", n)
	}
	if err := w.com.Follow(ctx, author, topic.ID, false); err != nil {
		t.Fatal(err)
	}
}

// TestSearchIgnoresAccentsInTheForumsLanguage: "previdencia" finds
// "Previdência" and its plural, in titles and posts; words of a hidden
// post find nothing for its readers.
func TestSearchIgnoresAccentsInTheForumsLanguage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.person(accounts.RoleAdmin, "")
	member := w.person(accounts.RoleLearner, "")
	f := w.network(member, "pt")
	word := "zqx" + itoa(seq.Add(1)) // keeps this test's topics apart
	a := w.topic(member, f.Forum.ID, community.TopicParams{Title: "Previdência complementar " + word})
	b := w.topic(member, f.Forum.ID, community.TopicParams{Title: "Outro assunto " + word})
	w.post(member, b.ID, "As previdências dos países "+word, nil)
	secret := w.post(member, b.ID, "Segredo "+word+"oculto", nil)
	if err := w.com.Hide(ctx, admin, secret.ID, ""); err != nil {
		t.Fatal(err)
	}
	find := func(who coursesActor, q string) []int64 {
		list, err := w.com.Topics(ctx, who, f.Forum.ID, community.TopicFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, tp := range list.Topics {
			ids = append(ids, tp.ID)
		}
		slices.Sort(ids)
		return ids
	}
	if got := find(member, "previdencia "+word); !slices.Equal(got, []int64{a.ID, b.ID}) {
		t.Errorf("previdencia: %v, want %v", got, []int64{a.ID, b.ID})
	}
	if got := find(member, "PREVIDÊNCIAS complementar "+word); !slices.Equal(got, []int64{a.ID}) {
		t.Errorf("PREVIDÊNCIAS complementar: %v, want %v", got, []int64{a.ID})
	}
	if got := find(member, "segredo "+word+"oculto"); len(got) != 0 {
		t.Errorf("hidden post found by a reader: %v", got)
	}
	if got := find(admin, "segredo "+word+"oculto"); !slices.Equal(got, []int64{b.ID}) {
		t.Errorf("hidden post not found by a moderator: %v", got)
	}
}

func itoa(n int64) string {
	return string(rune('a'+n%26)) + string(rune('a'+n/26%26)) + string(rune('a'+n/676%26))
}
