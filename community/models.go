package community

import (
	"time"

	"github.com/uptrace/bun"
)

// Scope is where a forum lives.
type Scope string

// The three places a forum lives.
const (
	ScopeCourse  Scope = "course"
	ScopeEvent   Scope = "event"
	ScopeNetwork Scope = "network"
)

// Kind is what a topic is for.
type Kind string

// The three kinds of topic.
const (
	// KindDiscussion: posts and one level of replies.
	KindDiscussion Kind = "discussion"
	// KindQuestion: one post may be marked the accepted answer.
	KindQuestion Kind = "question"
	// KindConsultation: staff ask; each member answers once before the
	// closing date; the author then publishes a synthesis.
	KindConsultation Kind = "consultation"
)

// Valid reports whether k is one of the three kinds.
func (k Kind) Valid() bool {
	return k == KindDiscussion || k == KindQuestion || k == KindConsultation
}

// Limits of what members write.
const (
	MaxTitleLen  = 200
	MaxBodyLen   = 20000
	MaxOptions   = 10
	MaxOptionLen = 200
	MaxReasonLen = 1000
)

// Forum is a place where topics are opened.
type Forum struct {
	bun.BaseModel `bun:"table:forums,alias:f"`

	ID       int64  `bun:"id,pk,autoincrement"`
	Scope    Scope  `bun:"scope"`
	ScopeID  *int64 `bun:"scope_id"`
	Language string `bun:"language"`
	// Title is the network forums' own; see ForumView.Title.
	Title     string    `bun:"title"`
	CourseID  *int64    `bun:"course_id"`
	CreatedAt time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Topic is a conversation in a forum.
type Topic struct {
	bun.BaseModel `bun:"table:forum_topics,alias:t"`

	ID                int64      `bun:"id,pk,autoincrement"`
	ForumID           int64      `bun:"forum_id"`
	Kind              Kind       `bun:"kind"`
	Title             string     `bun:"title"`
	AuthorID          *int64     `bun:"author_id"`
	CreatedAt         time.Time  `bun:"created_at"`
	PostsCount        int        `bun:"posts_count"`
	LastPostID        int64      `bun:"last_post_id"`
	LastPostAt        time.Time  `bun:"last_post_at"`
	Held              bool       `bun:"held"`
	LockedAt          *time.Time `bun:"locked_at"`
	PinnedAt          *time.Time `bun:"pinned_at"`
	AcceptedPostID    *int64     `bun:"accepted_post_id"`
	ClosesAt          *time.Time `bun:"closes_at"`
	SynthesisMarkdown *string    `bun:"synthesis_markdown"`
	SynthesisHTML     *string    `bun:"synthesis_html"`
	SynthesisAt       *time.Time `bun:"synthesis_at"`

	// AuthorName is filled from the author's account when listed.
	AuthorName string `bun:"-"`
	// LastReadPostID is the reader's marker (0: never opened), when listed.
	LastReadPostID int64 `bun:"last_read_post_id,scanonly"`
}

// Closed reports whether a consultation's closing date has passed at now.
func (t *Topic) Closed(now time.Time) bool {
	return t.ClosesAt != nil && !now.Before(*t.ClosesAt)
}

// Unread reports whether the topic has posts its reader has not seen.
func (t *Topic) Unread() bool { return t.LastPostID > t.LastReadPostID }

// Option is a choice a consultation offers.
type Option struct {
	bun.BaseModel `bun:"table:consultation_options,alias:o"`

	ID       int64  `bun:"id,pk,autoincrement"`
	TopicID  int64  `bun:"topic_id"`
	Position int    `bun:"position"`
	Label    string `bun:"label"`
}

// Post is what a member wrote in a topic: its opening post, a post, a
// reply to a post, or a consultation's answer.
type Post struct {
	bun.BaseModel `bun:"table:forum_posts,alias:p"`

	ID           int64      `bun:"id,pk,autoincrement"`
	TopicID      int64      `bun:"topic_id"`
	ParentID     *int64     `bun:"parent_id"`
	AuthorID     *int64     `bun:"author_id"`
	Opening      bool       `bun:"opening"`
	Answer       bool       `bun:"answer"`
	OptionID     *int64     `bun:"option_id"`
	BodyMarkdown string     `bun:"body_markdown"`
	BodyHTML     string     `bun:"body_html"`
	Language     string     `bun:"language"`
	PlusCount    int        `bun:"plus_count"`
	CreatedAt    time.Time  `bun:"created_at"`
	EditedAt     *time.Time `bun:"edited_at"`
	Held         bool       `bun:"held"`
	HiddenAt     *time.Time `bun:"hidden_at"`
	HiddenBy     *int64     `bun:"hidden_by"`

	// AuthorName is filled from the author's account when read.
	AuthorName string `bun:"-"`
}

// Revision is an earlier version of an edited post.
type Revision struct {
	bun.BaseModel `bun:"table:forum_post_revisions,alias:r"`

	ID           int64     `bun:"id,pk,autoincrement"`
	PostID       int64     `bun:"post_id"`
	BodyMarkdown string    `bun:"body_markdown"`
	EditedBy     *int64    `bun:"edited_by"`
	ReplacedAt   time.Time `bun:"replaced_at"`

	EditorName string `bun:"-"`
}

// Attachment is a file attached to a post; its bytes live in the blob
// store under their SHA-256.
type Attachment struct {
	bun.BaseModel `bun:"table:forum_attachments,alias:a"`

	ID          int64     `bun:"id,pk,autoincrement"`
	PostID      int64     `bun:"post_id"`
	SHA256      string    `bun:"sha256"`
	FileName    string    `bun:"file_name"`
	ContentType string    `bun:"content_type"`
	SizeBytes   int64     `bun:"size_bytes"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:current_timestamp"`
}

// Report is a member's report of a post to the moderators.
type Report struct {
	bun.BaseModel `bun:"table:forum_reports,alias:rp"`

	ID         int64      `bun:"id,pk,autoincrement"`
	PostID     int64      `bun:"post_id"`
	ReporterID *int64     `bun:"reporter_id"`
	Reason     string     `bun:"reason"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	ResolvedAt *time.Time `bun:"resolved_at"`
	ResolvedBy *int64     `bun:"resolved_by"`

	ReporterName string `bun:"-"`
	TopicID      int64  `bun:"topic_id,scanonly"`
	TopicTitle   string `bun:"topic_title,scanonly"`
}

// Action is a moderation act.
type Action string

// The moderation acts the log records.
const (
	ActionHide    Action = "hide"
	ActionRestore Action = "restore"
	ActionApprove Action = "approve"
	ActionLock    Action = "lock"
	ActionUnlock  Action = "unlock"
	ActionPin     Action = "pin"
	ActionUnpin   Action = "unpin"
	ActionMove    Action = "move"
	ActionAccept  Action = "accept"
)

// LogEntry is one moderation act: who did what, to which topic or post,
// and why.
type LogEntry struct {
	bun.BaseModel `bun:"table:forum_moderation_log,alias:l"`

	ID        int64     `bun:"id,pk,autoincrement"`
	ForumID   int64     `bun:"forum_id"`
	TopicID   *int64    `bun:"topic_id"`
	PostID    *int64    `bun:"post_id"`
	ActorID   *int64    `bun:"actor_id"`
	Action    Action    `bun:"action"`
	Reason    string    `bun:"reason"`
	CreatedAt time.Time `bun:"created_at"`

	ActorName string `bun:"-"`
}

// Settings are the installation's community settings.
type Settings struct {
	bun.BaseModel `bun:"table:community_settings,alias:cs"`

	ID bool `bun:"id,pk"`
	// HoldNewAccountsDays holds the first post of an account younger than
	// this many days for a moderator's approval; 0 holds nothing.
	HoldNewAccountsDays int       `bun:"hold_new_accounts_days"`
	UpdatedAt           time.Time `bun:"updated_at"`
}
