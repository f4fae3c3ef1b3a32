package community

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// PostParams are what a member writes in a topic.
type PostParams struct {
	Body string
	// ParentID makes the post a reply to a post (not a reply) of the topic.
	ParentID *int64
	// OptionID is a consultation answer's choice among its options.
	OptionID *int64
}

// CreatePost writes a post, a reply, or a consultation's answer. A locked
// topic takes posts from moderators only (ErrLocked). In a consultation
// every post is the member's one answer (a second is ErrAlreadyAnswered:
// the first is edited), takes no replies, and is refused once the
// consultation has closed (ErrClosed).
//
// The topic is locked for the transaction, so concurrent first answers of
// one member are decided one after the other; the unique index on answers
// stands behind it.
func (s *Service) CreatePost(ctx context.Context, actor courses.Actor, topicID int64, p PostParams) (*Post, error) {
	body, err := checkBody(p.Body)
	if err != nil {
		return nil, err
	}
	html, err := courses.RenderMarkdown(body)
	if err != nil {
		return nil, err
	}
	var post *Post
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, v, err := s.topicFor(ctx, tx, actor, topicID, true)
		if err != nil {
			return err
		}
		if t.LockedAt != nil && !v.Moderate {
			return fmt.Errorf("community: post in %d: %w", t.ID, ErrLocked)
		}
		st := NewStore(tx)
		author := actor.UserID
		post = &Post{TopicID: t.ID, AuthorID: &author, BodyMarkdown: body, BodyHTML: html,
			Language: v.Forum.Language, CreatedAt: s.now()}
		if t.Kind == KindConsultation {
			if p.ParentID != nil {
				return ErrInvalidParent
			}
			if t.Closed(post.CreatedAt) {
				return fmt.Errorf("community: answer to %d: %w", t.ID, ErrClosed)
			}
			if _, err := st.AnswerOf(ctx, t.ID, author); err == nil {
				return fmt.Errorf("community: answer to %d: %w", t.ID, ErrAlreadyAnswered)
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			if err := checkOption(ctx, st, t.ID, p.OptionID); err != nil {
				return err
			}
			post.Answer, post.OptionID = true, p.OptionID
		} else {
			if p.OptionID != nil {
				return ErrInvalidOption
			}
			if p.ParentID != nil {
				parent, err := st.Post(ctx, *p.ParentID)
				if errors.Is(err, ErrNotFound) {
					return ErrInvalidParent
				}
				if err != nil {
					return err
				}
				if parent.TopicID != t.ID || parent.ParentID != nil || (parent.Held && !v.Moderate) {
					return ErrInvalidParent
				}
				post.ParentID = &parent.ID
			}
		}
		if post.Held, err = s.holds(ctx, tx, v); err != nil {
			return err
		}
		if err := st.InsertPost(ctx, post, ""); err != nil {
			return err
		}
		// Who writes in a topic hears of its replies.
		if err := st.Follow(ctx, author, t.ID, true); err != nil {
			return err
		}
		if post.Held {
			return nil
		}
		return s.published(ctx, tx, v.Forum, t, post)
	})
	if err != nil {
		return nil, err
	}
	return post, nil
}

// checkOption refuses an option that is not one of the consultation's.
func checkOption(ctx context.Context, st *Store, topicID int64, optionID *int64) error {
	if optionID == nil {
		return nil
	}
	opts, err := st.Options(ctx, topicID)
	if err != nil {
		return err
	}
	for _, o := range opts {
		if o.ID == *optionID {
			return nil
		}
	}
	return ErrInvalidOption
}

// EditParams change a post.
type EditParams struct {
	Body string
	// OptionID, when SetOption, changes a consultation answer's choice
	// (nil: none).
	OptionID  *int64
	SetOption bool
}

// postFor returns the post with id, its topic (locked when lock) and the
// actor's view of the forum, read on db. A held post is for its author
// and the moderators.
func (s *Service) postFor(ctx context.Context, db bun.IDB, actor courses.Actor, id int64, lock bool) (*Post, *Topic, *ForumView, error) {
	p, err := NewStore(db).Post(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	t, v, err := s.topicFor(ctx, db, actor, p.TopicID, lock)
	if err != nil {
		return nil, nil, nil, err
	}
	if p.Held && !v.Moderate && !isAuthor(actor, p.AuthorID) {
		return nil, nil, nil, fmt.Errorf("post %d: %w", id, ErrNotFound)
	}
	return p, t, v, nil
}

// EditPost changes a post's Markdown (and an answer's choice): its author
// while it is not hidden, or a moderator. The version replaced is kept for
// the moderators. A consultation's answers are read-only once it closes
// (ErrClosed); a locked topic's posts change by moderators only.
func (s *Service) EditPost(ctx context.Context, actor courses.Actor, id int64, e EditParams) (*Post, error) {
	body, err := checkBody(e.Body)
	if err != nil {
		return nil, err
	}
	html, err := courses.RenderMarkdown(body)
	if err != nil {
		return nil, err
	}
	var p *Post
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var t *Topic
		var v *ForumView
		p, t, v, err = s.postFor(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !v.Moderate && (!isAuthor(actor, p.AuthorID) || p.HiddenAt != nil) {
			return fmt.Errorf("community: edit post %d: %w", id, ErrForbidden)
		}
		if t.LockedAt != nil && !v.Moderate {
			return fmt.Errorf("community: edit post %d: %w", id, ErrLocked)
		}
		if p.Answer && t.Closed(s.now()) {
			return fmt.Errorf("community: edit answer %d: %w", id, ErrClosed)
		}
		st := NewStore(tx)
		if e.SetOption {
			if !p.Answer && e.OptionID != nil {
				return ErrInvalidOption
			}
			if err := checkOption(ctx, st, t.ID, e.OptionID); err != nil {
				return err
			}
			p.OptionID = e.OptionID
		}
		old := p.BodyMarkdown
		p.BodyMarkdown, p.BodyHTML = body, html
		title := ""
		if p.Opening {
			title = t.Title
		}
		if err := st.UpdatePostBody(ctx, p, old, title, actor.UserID, s.now()); err != nil {
			return err
		}
		if p.Held {
			return nil
		}
		_, err = s.notifyMentions(ctx, tx, v.Forum, t, p, old)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PostInTopic returns a post with its topic, forum and (for a
// consultation) options, as actor sees them: a hidden post's content is
// withheld from all but the moderators.
func (s *Service) PostInTopic(ctx context.Context, actor courses.Actor, id int64) (*Post, *TopicDetail, error) {
	p, t, v, err := s.postFor(ctx, s.db, actor, id, false)
	if err != nil {
		return nil, nil, err
	}
	if p.HiddenAt != nil && !v.Moderate {
		p.BodyMarkdown, p.BodyHTML = "", ""
	}
	d := &TopicDetail{Forum: v, Topic: t, Closed: t.Closed(s.now())}
	if t.Kind == KindConsultation {
		opts, err := NewStore(s.db).Options(ctx, t.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range opts {
			d.Options = append(d.Options, OptionCount{Option: o})
		}
	}
	return p, d, nil
}

// Revisions returns the earlier versions of a post, newest first, for
// the forum's moderators.
func (s *Service) Revisions(ctx context.Context, actor courses.Actor, postID int64) ([]Revision, error) {
	_, _, v, err := s.postFor(ctx, s.db, actor, postID, false)
	if err != nil {
		return nil, err
	}
	if !v.Moderate {
		return nil, fmt.Errorf("community: revisions of %d: %w", postID, ErrForbidden)
	}
	list, err := NewStore(s.db).Revisions(ctx, postID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range list {
		if r.EditedBy != nil {
			ids = append(ids, *r.EditedBy)
		}
	}
	names, err := accounts.UserNames(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].EditedBy != nil {
			list[i].EditorName = names[*list[i].EditedBy]
		}
	}
	return list, nil
}

// Accept marks a post the accepted answer of a question: by the
// question's author or a moderator, a post (not a reply, not the question
// itself) that is visible. The post's author is told.
func (s *Service) Accept(ctx context.Context, actor courses.Actor, topicID, postID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, v, err := s.topicFor(ctx, tx, actor, topicID, true)
		if err != nil {
			return err
		}
		byAuthor := isAuthor(actor, t.AuthorID)
		if !byAuthor && !v.Moderate {
			return fmt.Errorf("community: accept in %d: %w", topicID, ErrForbidden)
		}
		if t.Kind != KindQuestion {
			return ErrNotAcceptable
		}
		st := NewStore(tx)
		p, err := st.Post(ctx, postID)
		if errors.Is(err, ErrNotFound) {
			return ErrNotAcceptable
		}
		if err != nil {
			return err
		}
		if p.TopicID != t.ID || p.Opening || p.ParentID != nil || p.Held || p.HiddenAt != nil {
			return ErrNotAcceptable
		}
		t.AcceptedPostID = &p.ID
		if err := st.UpdateTopic(ctx, t, "accepted_post_id"); err != nil {
			return err
		}
		if !byAuthor {
			if err := s.log(ctx, st, v, t, p, ActionAccept, ""); err != nil {
				return err
			}
		}
		if p.AuthorID == nil || *p.AuthorID == actor.UserID {
			return nil
		}
		return s.notify(ctx, tx, v.Forum, Notification{Kind: NotifyAccepted, UserIDs: []int64{*p.AuthorID},
			ForumID: v.Forum.ID, TopicID: t.ID, TopicTitle: t.Title, PostID: p.ID, ActorID: actor.UserID})
	})
}

// React gives (on) or takes back the actor's "+1" on a visible post.
func (s *Service) React(ctx context.Context, actor courses.Actor, postID int64, on bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, _, _, err := s.postFor(ctx, tx, actor, postID, false)
		if err != nil {
			return err
		}
		if p.HiddenAt != nil || p.Held {
			return fmt.Errorf("community: react to %d: %w", postID, ErrForbidden)
		}
		return NewStore(tx).React(ctx, postID, actor.UserID, on)
	})
}

// Report tells the forum's moderators about a post, with the reporter's
// reason (1 to MaxReasonLen characters). Any reader may report any post
// they see, once while the report is open (ErrAlreadyReported).
func (s *Service) Report(ctx context.Context, actor courses.Actor, postID int64, reason string) (*Report, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLen {
		return nil, ErrInvalidReason
	}
	if _, _, _, err := s.postFor(ctx, s.db, actor, postID, false); err != nil {
		return nil, err
	}
	reporter := actor.UserID
	r := &Report{PostID: postID, ReporterID: &reporter, Reason: reason}
	if err := NewStore(s.db).InsertReport(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// attachable are the kinds of file a post takes: images a browser shows
// and PDFs. Course files' other kinds (office documents, text) are left
// to courses.
var attachable = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "application/pdf": true,
}

// Attach adds a file to a post, by its author while the post is visible.
// It is checked by content as course files are (courses.CheckUpload), and
// must be an image or a PDF (ErrFileType); over AttachmentMaxBytes it is
// courses.ErrTooLarge and nothing is kept.
func (s *Service) Attach(ctx context.Context, actor courses.Actor, postID int64, name string, r io.Reader) (*Attachment, error) {
	if s.blobs == nil {
		return nil, errors.New("community: attach: no blob store configured")
	}
	p, t, v, err := s.postFor(ctx, s.db, actor, postID, false)
	if err != nil {
		return nil, err
	}
	if !isAuthor(actor, p.AuthorID) || p.HiddenAt != nil {
		return nil, fmt.Errorf("community: attach to %d: %w", postID, ErrForbidden)
	}
	if t.LockedAt != nil && !v.Moderate {
		return nil, fmt.Errorf("community: attach to %d: %w", postID, ErrLocked)
	}
	kind, content, err := courses.CheckUpload(r)
	if errors.Is(err, courses.ErrFileType) {
		return nil, fmt.Errorf("community: attach: %w (%v)", ErrFileType, err)
	}
	if err != nil {
		return nil, err
	}
	base, _, _ := strings.Cut(kind, ";")
	if !attachable[base] {
		return nil, fmt.Errorf("community: attach %s: %w", kind, ErrFileType)
	}
	blob, err := s.blobs.Put(ctx, content, s.maxFile)
	if err != nil {
		return nil, err
	}
	a := &Attachment{PostID: postID, SHA256: blob.SHA256, FileName: courses.CleanFileName(name), ContentType: kind, SizeBytes: blob.Size}
	if err := NewStore(s.db).InsertAttachment(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Attachment returns an attachment for a reader of its post: a hidden
// post's files are for moderators only.
func (s *Service) Attachment(ctx context.Context, actor courses.Actor, id int64) (*Attachment, error) {
	a, err := NewStore(s.db).Attachment(ctx, id)
	if err != nil {
		return nil, err
	}
	p, _, v, err := s.postFor(ctx, s.db, actor, a.PostID, false)
	if err != nil {
		return nil, err
	}
	if p.HiddenAt != nil && !v.Moderate {
		return nil, fmt.Errorf("community: attachment %d: %w", id, ErrNotFound)
	}
	return a, nil
}

// OpenAttachment returns the content of an attachment. The caller closes it.
func (s *Service) OpenAttachment(ctx context.Context, a *Attachment) (io.ReadSeekCloser, error) {
	if s.blobs == nil {
		return nil, errors.New("community: open attachment: no blob store configured")
	}
	return s.blobs.Open(ctx, a.SHA256)
}

// FilesInUse reports which of the content hashes an attachment still
// refers to, so the course files' sweep of the shared store keeps them.
func (s *Service) FilesInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	return NewStore(s.db).BlobsInUse(ctx, sums)
}

// Follow makes the actor follow (on) or stop following a topic they read.
func (s *Service) Follow(ctx context.Context, actor courses.Actor, topicID int64, on bool) error {
	if _, _, err := s.topicFor(ctx, s.db, actor, topicID, false); err != nil {
		return err
	}
	return NewStore(s.db).Follow(ctx, actor.UserID, topicID, on)
}

// FollowForum makes the actor follow (on) or stop following a forum: its
// new topics and every reply in it.
func (s *Service) FollowForum(ctx context.Context, actor courses.Actor, forumID int64, on bool) error {
	if _, err := s.Forum(ctx, actor, forumID); err != nil {
		return err
	}
	return NewStore(s.db).FollowForum(ctx, actor.UserID, forumID, on)
}
