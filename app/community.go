package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/aula-platform/aula/community"
)

// Shared by the forums' pages and API: request bodies and the JSON
// shapes of docs/api.md (Community).

// topicForm is a new topic, from the API's JSON or the page's form.
type topicForm struct {
	Kind         string     `json:"kind" form:"kind"`
	Title        string     `json:"title" form:"title"`
	BodyMarkdown string     `json:"body_markdown" form:"body_markdown"`
	ClosesAt     *time.Time `json:"closes_at" form:"-"`
	Options      []string   `json:"options" form:"options"`
}

func (f topicForm) params() community.TopicParams {
	return community.TopicParams{Kind: community.Kind(strings.TrimSpace(f.Kind)), Title: f.Title, Body: f.BodyMarkdown,
		ClosesAt: f.ClosesAt, Options: f.Options}
}

// postForm is a new post, reply or answer.
type postForm struct {
	BodyMarkdown string `json:"body_markdown" form:"body_markdown"`
	ParentID     *int64 `json:"parent_id" form:"parent_id"`
	OptionID     *int64 `json:"option_id" form:"option_id"`
}

// editForm changes a post; option_id, when present, changes an answer's
// choice (null: none).
type editForm struct {
	BodyMarkdown string `json:"body_markdown" form:"body_markdown"`
	OptionID     *int64 `json:"option_id" form:"option_id"`
}

// reasonForm is a report's or a moderation act's reason.
type reasonForm struct {
	Reason string `json:"reason" form:"reason"`
}

type acceptForm struct {
	PostID int64 `json:"post_id" form:"post_id"`
}

type topicMoveForm struct {
	ForumID int64  `json:"forum_id" form:"forum_id"`
	Reason  string `json:"reason" form:"reason"`
}

type synthesisForm struct {
	BodyMarkdown string `json:"body_markdown" form:"body_markdown"`
}

// forumJSON is the API's forum.
type forumJSON struct {
	ID       int64  `json:"id"`
	Scope    string `json:"scope"`
	ScopeID  *int64 `json:"scope_id,omitempty"`
	Title    string `json:"title"`
	Language string `json:"language"`
	// Moderator: the caller moderates it; Staff: may open consultations.
	Moderator bool   `json:"moderator"`
	Staff     bool   `json:"staff"`
	URL       string `json:"url"`
}

func forumJSONOf(v *community.ForumView) forumJSON {
	return forumJSON{ID: v.Forum.ID, Scope: string(v.Forum.Scope), ScopeID: v.Forum.ScopeID, Title: v.Title,
		Language: v.Forum.Language, Moderator: v.Moderate, Staff: v.Staff, URL: forumPath(v.Forum.ID)}
}

// topicJSON is the API's topic: a list's entry, and with posts the
// topic itself.
type topicJSON struct {
	ID             int64      `json:"id"`
	ForumID        int64      `json:"forum_id"`
	Kind           string     `json:"kind"`
	Title          string     `json:"title"`
	Author         *person    `json:"author"`
	PostsCount     int        `json:"posts_count"`
	LastPostAt     time.Time  `json:"last_post_at"`
	AcceptedPostID *int64     `json:"accepted_post_id,omitempty"`
	ClosesAt       *time.Time `json:"closes_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	Pinned         bool       `json:"pinned"`
	Locked         bool       `json:"locked"`
	Held           bool       `json:"held"`
	Unread         bool       `json:"unread"`
	URL            string     `json:"url"`

	// Only on GET /topics/{id} and the answers of writes.
	Closed            *bool        `json:"closed,omitempty"`
	SynthesisMarkdown *string      `json:"synthesis_markdown,omitempty"`
	SynthesisHTML     *string      `json:"synthesis_html,omitempty"`
	SynthesisAt       *time.Time   `json:"synthesis_at,omitempty"`
	Options           []optionJSON `json:"options,omitempty"`
	Following         *bool        `json:"following,omitempty"`
	MyAnswerID        *int64       `json:"my_answer_id,omitempty"`
	Posts             []postJSON   `json:"posts,omitempty"`
}

type optionJSON struct {
	ID      int64  `json:"id"`
	Label   string `json:"label"`
	Answers int    `json:"answers"`
}

func topicJSONOf(t *community.Topic) topicJSON {
	out := topicJSON{ID: t.ID, ForumID: t.ForumID, Kind: string(t.Kind), Title: t.Title, PostsCount: t.PostsCount,
		LastPostAt: t.LastPostAt.UTC(), AcceptedPostID: t.AcceptedPostID, ClosesAt: utcTime(t.ClosesAt),
		CreatedAt: t.CreatedAt.UTC(), Pinned: t.PinnedAt != nil, Locked: t.LockedAt != nil, Held: t.Held,
		Unread: t.Unread(), URL: topicPath(t.ID)}
	if t.AuthorID != nil {
		out.Author = &person{ID: *t.AuthorID, Name: t.AuthorName}
	}
	return out
}

func topicDetailJSON(d *community.TopicDetail) topicJSON {
	t := *d.Topic
	t.LastReadPostID = t.LastPostID // just read
	out := topicJSONOf(&t)
	closed, following := d.Closed, d.Following
	out.Following = &following
	if t.Kind == community.KindConsultation {
		out.Closed = &closed
		out.SynthesisMarkdown, out.SynthesisHTML, out.SynthesisAt = t.SynthesisMarkdown, t.SynthesisHTML, utcTime(t.SynthesisAt)
		out.Options = []optionJSON{}
		for _, o := range d.Options {
			out.Options = append(out.Options, optionJSON{ID: o.ID, Label: o.Label, Answers: o.Answers})
		}
		if d.MyAnswer != nil {
			out.MyAnswerID = &d.MyAnswer.ID
		}
	}
	out.Posts = make([]postJSON, len(d.Posts))
	for i, p := range d.Posts {
		out.Posts[i] = postViewJSON(p)
	}
	return out
}

// postJSON is the API's post. A hidden post's content is left out for
// everyone but the moderators.
type postJSON struct {
	ID           int64            `json:"id"`
	TopicID      int64            `json:"topic_id"`
	ParentID     *int64           `json:"parent_id,omitempty"`
	Author       *person          `json:"author"`
	BodyMarkdown string           `json:"body_markdown"`
	BodyHTML     string           `json:"body_html"`
	CreatedAt    time.Time        `json:"created_at"`
	EditedAt     *time.Time       `json:"edited_at,omitempty"`
	Opening      bool             `json:"opening"`
	Answer       bool             `json:"answer"`
	OptionID     *int64           `json:"option_id,omitempty"`
	Accepted     bool             `json:"accepted"`
	Hidden       bool             `json:"hidden"`
	Held         bool             `json:"held"`
	PlusCount    int              `json:"plus_count"`
	Reacted      bool             `json:"reacted"`
	Attachments  []attachmentJSON `json:"attachments"`
	Replies      []postJSON       `json:"replies,omitempty"`
}

type attachmentJSON struct {
	ID          int64  `json:"id"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	SizeBytes   int64  `json:"size_bytes"`
	URL         string `json:"url"`
}

func attachmentJSONOf(a community.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, FileName: a.FileName, ContentType: a.ContentType, SizeBytes: a.SizeBytes, URL: attachmentPath(&a)}
}

func postJSONOf(p *community.Post) postJSON {
	out := postJSON{ID: p.ID, TopicID: p.TopicID, ParentID: p.ParentID, BodyMarkdown: p.BodyMarkdown, BodyHTML: p.BodyHTML,
		CreatedAt: p.CreatedAt.UTC(), EditedAt: utcTime(p.EditedAt), Opening: p.Opening, Answer: p.Answer, OptionID: p.OptionID,
		Hidden: p.HiddenAt != nil, Held: p.Held, PlusCount: p.PlusCount, Attachments: []attachmentJSON{}}
	if p.AuthorID != nil {
		out.Author = &person{ID: *p.AuthorID, Name: p.AuthorName}
	}
	return out
}

func postViewJSON(v community.PostView) postJSON {
	out := postJSONOf(&v.Post)
	out.Hidden = v.Hidden || v.HiddenAt != nil
	out.Accepted, out.Reacted = v.Accepted, v.Reacted
	for _, a := range v.Attachments {
		out.Attachments = append(out.Attachments, attachmentJSONOf(a))
	}
	for _, r := range v.Replies {
		out.Replies = append(out.Replies, postViewJSON(r))
	}
	return out
}

// forumPath, topicPath and attachmentPath are the pages' addresses.
func forumPath(id int64) string { return fmt.Sprintf("/forums/%d", id) }
func topicPath(id int64) string { return fmt.Sprintf("/topics/%d", id) }
func attachmentPath(a *community.Attachment) string {
	return fmt.Sprintf("/forums/files/%d/%s", a.ID, escapeFileName(a.FileName))
}

// forumLanguage is the network forum a page language reads: both
// Portuguese interfaces share the Portuguese forum, as they share
// Portuguese courses.
func forumLanguage(lang string) string {
	if strings.HasPrefix(lang, "pt") {
		return "pt"
	}
	return lang
}
