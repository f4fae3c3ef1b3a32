package community

import (
	"context"

	"github.com/uptrace/bun"
)

// NotificationKind is why a member is told something.
type NotificationKind string

// The reasons for a notification.
const (
	// NotifyReply: a new post in a topic or forum the member follows.
	NotifyReply NotificationKind = "reply"
	// NotifyMention: the member was named ("@Ana Peña") in a post.
	NotifyMention NotificationKind = "mention"
	// NotifyAccepted: the member's post was accepted as the answer.
	NotifyAccepted NotificationKind = "accepted"
	// NotifyConsultation: a new consultation in a forum the member follows.
	NotifyConsultation NotificationKind = "consultation"
	// NotifyModeration: a moderator hid, restored or approved the member's
	// post, or locked, pinned or moved their topic.
	NotifyModeration NotificationKind = "moderation"
)

// Notification is one thing to tell some members. Every recipient may
// read the forum it comes from: the community checks before it notifies,
// so a notifier never leaks a forum's content to an outsider.
type Notification struct {
	Kind NotificationKind
	// UserIDs are the recipients, never the member who caused it.
	UserIDs    []int64
	ForumID    int64
	TopicID    int64
	TopicTitle string
	// PostID is the post concerned (0 for a topic-wide act).
	PostID int64
	// ActorID is who wrote, accepted or moderated.
	ActorID int64
	// Action and Reason say what a moderator did and why (NotifyModeration).
	Action Action
	Reason string
}

// Notifier delivers notifications (mail now or in the daily digest, as
// each member chose). Notify runs inside the transaction of the write that
// causes it, on db, so a notification is queued exactly when the post is
// stored; an error rolls the write back.
type Notifier interface {
	Notify(ctx context.Context, db bun.IDB, n Notification) error
}

// Nowhere is the Notifier of an installation without notifications: it
// drops them.
type Nowhere struct{}

// Notify implements Notifier.
func (Nowhere) Notify(context.Context, bun.IDB, Notification) error { return nil }
