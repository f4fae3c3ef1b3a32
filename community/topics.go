package community

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// TopicParams are what a member gives to open a topic.
type TopicParams struct {
	Kind  Kind
	Title string
	// Body is the opening post, in Markdown.
	Body string
	// ClosesAt and Options are for consultations only: when answers stop
	// (required, in the future) and the choices offered (none, or 2 to
	// MaxOptions).
	ClosesAt *time.Time
	Options  []string
}

// checkBody trims a post's Markdown and refuses an empty or too long one.
func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxBodyLen || !utf8.ValidString(body) {
		return "", ErrInvalidBody
	}
	return body, nil
}

// validate tidies p and checks it, against now, for a forum where the
// author is staff or not.
func (p *TopicParams) validate(now time.Time, staff bool) error {
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	if p.Title == "" || utf8.RuneCountInString(p.Title) > MaxTitleLen || !utf8.ValidString(p.Title) {
		return ErrInvalidTitle
	}
	if p.Kind == "" {
		p.Kind = KindDiscussion
	}
	if !p.Kind.Valid() {
		return ErrInvalidKind
	}
	body, err := checkBody(p.Body)
	if err != nil {
		return err
	}
	p.Body = body
	if p.Kind != KindConsultation {
		if p.ClosesAt != nil {
			return ErrInvalidClosesAt
		}
		if len(p.Options) > 0 {
			return ErrInvalidOptions
		}
		return nil
	}
	if !staff {
		return fmt.Errorf("consultations are for staff: %w", ErrForbidden)
	}
	if p.ClosesAt == nil || !p.ClosesAt.After(now) {
		return ErrInvalidClosesAt
	}
	c := p.ClosesAt.UTC().Truncate(time.Microsecond)
	p.ClosesAt = &c
	labels := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		o = strings.Join(strings.Fields(o), " ")
		if o == "" || utf8.RuneCountInString(o) > MaxOptionLen || slices.Contains(labels, o) {
			return ErrInvalidOptions
		}
		labels = append(labels, o)
	}
	if len(labels) == 1 || len(labels) > MaxOptions {
		return ErrInvalidOptions
	}
	p.Options = labels
	return nil
}

// CreateTopic opens a topic in a forum the actor may read, with its
// opening post. Only staff open consultations (ErrForbidden). The first
// post of a new account may be held for a moderator (Settings); followers
// of the forum and members mentioned are told once it is visible.
func (s *Service) CreateTopic(ctx context.Context, actor courses.Actor, forumID int64, p TopicParams) (*Topic, error) {
	v, err := s.Forum(ctx, actor, forumID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := p.validate(now, v.Staff); err != nil {
		return nil, err
	}
	html, err := courses.RenderMarkdown(p.Body)
	if err != nil {
		return nil, err
	}
	author := actor.UserID
	t := &Topic{ForumID: forumID, Kind: p.Kind, Title: p.Title, AuthorID: &author, CreatedAt: now, LastPostAt: now, ClosesAt: p.ClosesAt}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		held, err := s.holds(ctx, tx, v)
		if err != nil {
			return err
		}
		t.Held = held
		if err := st.InsertTopic(ctx, t); err != nil {
			return err
		}
		opts := make([]Option, len(p.Options))
		for i, label := range p.Options {
			opts[i] = Option{TopicID: t.ID, Position: i + 1, Label: label}
		}
		if err := st.InsertOptions(ctx, opts); err != nil {
			return err
		}
		post := &Post{TopicID: t.ID, AuthorID: &author, Opening: true, BodyMarkdown: p.Body, BodyHTML: html,
			Language: v.Forum.Language, CreatedAt: now, Held: held}
		if err := st.InsertPost(ctx, post, t.Title); err != nil {
			return err
		}
		if err := st.Follow(ctx, author, t.ID, true); err != nil {
			return err
		}
		if held {
			return nil
		}
		if err := s.published(ctx, tx, v.Forum, t, post); err != nil {
			return err
		}
		t.PostsCount, t.LastPostID = 1, post.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// holds decides whether the actor's next post waits for a moderator: when
// the setting is on, the account is younger than its days, the actor is
// neither staff nor a moderator here, and no post of theirs was approved.
func (s *Service) holds(ctx context.Context, db bun.IDB, v *ForumView) (bool, error) {
	if v.Moderate || v.Actor.CanTeach() {
		return false, nil
	}
	st := NewStore(db)
	set, err := st.Settings(ctx)
	if err != nil || set.HoldNewAccountsDays == 0 {
		return false, err
	}
	ms, err := accounts.Members(ctx, db, []int64{v.Actor.UserID})
	if err != nil {
		return false, err
	}
	m, ok := ms[v.Actor.UserID]
	if !ok || !m.CreatedAt.After(s.now().AddDate(0, 0, -set.HoldNewAccountsDays)) {
		return false, nil
	}
	approved, err := st.HasApprovedPost(ctx, v.Actor.UserID)
	return !approved, err
}

// published runs when a post becomes visible (written, or approved by a
// moderator): the topic counts it, its author has read it, and followers
// and members mentioned are told, if they may read the forum.
func (s *Service) published(ctx context.Context, db bun.IDB, f *Forum, t *Topic, p *Post) error {
	st := NewStore(db)
	if err := st.CountPost(ctx, p); err != nil {
		return err
	}
	if p.AuthorID == nil {
		return nil
	}
	author := *p.AuthorID
	if err := st.MarkRead(ctx, author, t.ID, p.ID); err != nil {
		return err
	}
	named, err := s.notifyMentions(ctx, db, f, t, p, "")
	if err != nil {
		return err
	}
	var followers []int64
	kind := NotifyReply
	if p.Opening {
		followers, err = st.ForumFollowers(ctx, f.ID)
		if t.Kind == KindConsultation {
			kind = NotifyConsultation
		}
	} else {
		followers, err = st.Followers(ctx, t.ID, f.ID)
	}
	if err != nil {
		return err
	}
	// A member mentioned is told once, of the mention.
	followers = slices.DeleteFunc(followers, func(id int64) bool { return id == author || slices.Contains(named, id) })
	return s.notify(ctx, db, f, Notification{Kind: kind, UserIDs: followers, ForumID: f.ID, TopicID: t.ID,
		TopicTitle: t.Title, PostID: p.ID, ActorID: author})
}

// notifyMentions tells the members p names, who were not named in the
// version before (previous: "" for a new post) and may read the forum,
// and returns them.
func (s *Service) notifyMentions(ctx context.Context, db bun.IDB, f *Forum, t *Topic, p *Post, previous string) ([]int64, error) {
	ids, err := mentioned(ctx, db, p.BodyMarkdown)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if previous != "" {
		before, err := mentioned(ctx, db, previous)
		if err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(before, id) })
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return p.AuthorID != nil && id == *p.AuthorID })
	readers, err := s.readersAmong(ctx, db, f, ids)
	if err != nil {
		return nil, err
	}
	author := int64(0)
	if p.AuthorID != nil {
		author = *p.AuthorID
	}
	return readers, s.send(ctx, db, Notification{Kind: NotifyMention, UserIDs: readers, ForumID: f.ID, TopicID: t.ID,
		TopicTitle: t.Title, PostID: p.ID, ActorID: author})
}

// notify sends n to those of its recipients who may read forum f.
func (s *Service) notify(ctx context.Context, db bun.IDB, f *Forum, n Notification) error {
	readers, err := s.readersAmong(ctx, db, f, n.UserIDs)
	if err != nil {
		return err
	}
	n.UserIDs = readers
	return s.send(ctx, db, n)
}

// send hands n, whose recipients may all read its forum, to the notifier.
func (s *Service) send(ctx context.Context, db bun.IDB, n Notification) error {
	if len(n.UserIDs) == 0 {
		return nil
	}
	if err := s.notifier.Notify(ctx, db, n); err != nil {
		return fmt.Errorf("notify %s of topic %d: %w", n.Kind, n.TopicID, err)
	}
	return nil
}

// TopicList is a page of a forum's topics for one reader.
type TopicList struct {
	Forum  *ForumView
	Topics []Topic
	Total  int
	// Following: the reader follows the forum.
	Following bool
}

// TopicFilter selects a forum's topics.
type TopicFilter struct {
	// Query searches titles and posts, without accents or case and with
	// the forum language's word endings.
	Query         string
	Kind          Kind
	Limit, Offset int
}

// Topics returns a page of a forum's topics, with unread markers.
func (s *Service) Topics(ctx context.Context, actor courses.Actor, forumID int64, f TopicFilter) (*TopicList, error) {
	v, err := s.Forum(ctx, actor, forumID)
	if err != nil {
		return nil, err
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, ErrInvalidKind
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	q := strings.TrimSpace(f.Query)
	if utf8.RuneCountInString(q) > 200 {
		q = string([]rune(q)[:200])
	}
	list, total, err := NewStore(s.db).Topics(ctx, TopicQuery{ForumID: forumID, ReaderID: actor.UserID, Moderator: v.Moderate,
		Kind: f.Kind, Query: q, Language: v.Forum.Language, Limit: f.Limit, Offset: max(f.Offset, 0)})
	if err != nil {
		return nil, err
	}
	if err := s.fillAuthors(ctx, list); err != nil {
		return nil, err
	}
	_, following, err := NewStore(s.db).Follows(ctx, actor.UserID, 0, forumID)
	if err != nil {
		return nil, err
	}
	return &TopicList{Forum: v, Topics: list, Total: total, Following: following}, nil
}

func (s *Service) fillAuthors(ctx context.Context, list []Topic) error {
	var ids []int64
	for _, t := range list {
		if t.AuthorID != nil {
			ids = append(ids, *t.AuthorID)
		}
	}
	names, err := accounts.UserNames(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].AuthorID != nil {
			list[i].AuthorName = names[*list[i].AuthorID]
		}
	}
	return nil
}

// topicFor returns the topic with id and the actor's view of its forum,
// read on db (with lock, the topic stays locked for the rest of the
// transaction). A held topic is for its author and the moderators.
func (s *Service) topicFor(ctx context.Context, db bun.IDB, actor courses.Actor, id int64, lock bool) (*Topic, *ForumView, error) {
	st := NewStore(db)
	var t *Topic
	var err error
	if lock {
		t, err = st.LockTopic(ctx, id)
	} else {
		t, err = st.Topic(ctx, id)
	}
	if err != nil {
		return nil, nil, err
	}
	f, err := st.Forum(ctx, t.ForumID)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.forumAccess(ctx, db, actor, f)
	if err != nil {
		return nil, nil, err
	}
	if t.Held && !v.Moderate && !isAuthor(actor, t.AuthorID) {
		return nil, nil, fmt.Errorf("topic %d: %w", id, ErrNotFound)
	}
	return t, v, nil
}

func isAuthor(actor courses.Actor, author *int64) bool {
	return actor.SignedIn() && author != nil && *author == actor.UserID
}

// TopicDetail is a topic as one reader sees it.
type TopicDetail struct {
	Forum *ForumView
	Topic *Topic
	// Posts are the posts in order — the opening post, then the accepted
	// answer, then the others oldest first — each with its replies.
	Posts   []PostView
	Options []OptionCount
	// Following: the reader follows the topic; FollowingForum: its forum.
	Following, FollowingForum bool
	// MyAnswer is the reader's answer to a consultation, if any.
	MyAnswer *Post
	// Closed: a consultation past its closing date.
	Closed bool
	// CanAccept: the reader may mark a question's accepted answer.
	CanAccept bool
}

// OptionCount is a consultation's option and how many answers chose it.
type OptionCount struct {
	Option
	Answers int
}

// PostView is a post as one reader sees it. A hidden post is shown to
// the moderators in full and to others as hidden by a moderator, with
// nothing of its content.
type PostView struct {
	Post
	Hidden bool
	// CanEdit: the reader may edit it (its author, a moderator).
	CanEdit bool
	// Reacted: the reader gave it a "+1".
	Reacted     bool
	Accepted    bool
	Attachments []Attachment
	Replies     []PostView
}

// Topic returns a topic with its posts for actor, and marks it read.
func (s *Service) Topic(ctx context.Context, actor courses.Actor, id int64) (*TopicDetail, error) {
	t, v, err := s.topicFor(ctx, s.db, actor, id, false)
	if err != nil {
		return nil, err
	}
	st := NewStore(s.db)
	posts, err := st.Posts(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	files, err := st.Attachments(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	reacted, err := st.Reacted(ctx, t.ID, actor.UserID)
	if err != nil {
		return nil, err
	}
	d := &TopicDetail{Forum: v, Topic: t, Closed: t.Closed(s.now()),
		CanAccept: t.Kind == KindQuestion && (v.Moderate || isAuthor(actor, t.AuthorID))}
	if d.Following, d.FollowingForum, err = st.Follows(ctx, actor.UserID, t.ID, v.Forum.ID); err != nil {
		return nil, err
	}
	var ids []int64
	for _, p := range posts {
		if p.AuthorID != nil {
			ids = append(ids, *p.AuthorID)
		}
	}
	names, err := accounts.UserNames(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	counts := map[int64]int{}
	byID := map[int64]int{} // top-level post id → index in d.Posts
	for _, p := range posts {
		if p.Held && !v.Moderate && !isAuthor(actor, p.AuthorID) {
			continue
		}
		if p.AuthorID != nil {
			p.AuthorName = names[*p.AuthorID]
		}
		if p.Answer && isAuthor(actor, p.AuthorID) {
			mine := p
			d.MyAnswer = &mine
		}
		if p.Answer && p.OptionID != nil && p.HiddenAt == nil && !p.Held {
			counts[*p.OptionID]++
		}
		pv := PostView{Post: p, Reacted: reacted[p.ID], Attachments: files[p.ID],
			Accepted: t.AcceptedPostID != nil && *t.AcceptedPostID == p.ID,
			CanEdit:  v.Moderate || (isAuthor(actor, p.AuthorID) && p.HiddenAt == nil)}
		if p.HiddenAt != nil && !v.Moderate {
			pv.Hidden = true
			pv.BodyMarkdown, pv.BodyHTML, pv.Attachments, pv.OptionID = "", "", nil, nil
		}
		if p.ParentID == nil {
			byID[p.ID] = len(d.Posts)
			d.Posts = append(d.Posts, pv)
		} else if i, ok := byID[*p.ParentID]; ok {
			d.Posts[i].Replies = append(d.Posts[i].Replies, pv)
		}
	}
	// The accepted answer comes right after the question.
	if i := slices.IndexFunc(d.Posts, func(p PostView) bool { return p.Accepted }); i > 1 {
		acc := d.Posts[i]
		copy(d.Posts[2:i+1], d.Posts[1:i])
		d.Posts[1] = acc
	}
	if t.Kind == KindConsultation {
		opts, err := st.Options(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			d.Options = append(d.Options, OptionCount{Option: o, Answers: counts[o.ID]})
		}
	}
	if t.LastPostID > 0 && t.LastPostID > t.LastReadPostID {
		if err := st.MarkRead(ctx, actor.UserID, t.ID, t.LastPostID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// errIsNotFound reports whether err says something does not exist.
func errIsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
