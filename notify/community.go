package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
)

// The notices of the forums (topic "forums"). A moderation decision is a
// kind per action, forum_<action> (forum_hide, forum_lock …), so that the
// bell words it in the reader's language from the action alone.
const (
	KindForumReply        = "forum_reply"
	KindForumSynthesis    = "forum_synthesis"
	KindForumMention      = "forum_mention"
	KindForumAccepted     = "forum_accepted"
	KindForumConsultation = "forum_consultation"
	// kindForumPrefix starts every kind of the forums topic.
	kindForumPrefix = "forum_"
)

// moderationKinds are the actions a moderator may be told of having
// taken, each its own kind of notice.
var moderationKinds = map[community.Action]string{
	community.ActionHide: "forum_hide", community.ActionRestore: "forum_restore", community.ActionApprove: "forum_approve",
	community.ActionLock: "forum_lock", community.ActionUnlock: "forum_unlock", community.ActionPin: "forum_pin",
	community.ActionUnpin: "forum_unpin", community.ActionMove: "forum_move", community.ActionAccept: KindForumAccepted,
}

// CommunityNotifier tells forum members of replies in the topics and
// forums they follow, of mentions, accepted answers, new consultations
// and moderators' decisions about their posts and topics: each an in-app
// notification and, as the member's "forums" preference says, a mail at
// once, a line of the daily digest, or nothing more. The community has
// already kept only the members who may read the forum. wiring makes it
// the community service's Notifier.
func (s *Service) CommunityNotifier() community.Notifier { return communityNotifier{s} }

type communityNotifier struct{ s *Service }

// Notify writes the notice of n in db, the transaction of the post or
// moderation that causes it: the notice commits with it or not at all.
func (cn communityNotifier) Notify(ctx context.Context, db bun.IDB, n community.Notification) error {
	if err := cn.s.forumNotice(ctx, db, n); err != nil {
		return fmt.Errorf("notify: %s notice of topic %d: %w", n.Kind, n.TopicID, err)
	}
	return nil
}

// forumNotice builds the notice of n and delivers it.
func (s *Service) forumNotice(ctx context.Context, db bun.IDB, n community.Notification) error {
	actor := ""
	if n.ActorID != 0 {
		u, err := s.userOf(ctx, db, n.ActorID)
		if err != nil {
			return err
		}
		if u != nil {
			actor = u.Name
		}
	}
	link := "/topics/" + strconv.FormatInt(n.TopicID, 10)
	if n.PostID != 0 {
		link += "#post-" + strconv.FormatInt(n.PostID, 10)
	}
	out := notice{args: []string{actor, n.TopicTitle}, link: link}
	switch n.Kind {
	case community.NotifyReply:
		out.kind = KindForumReply
		if n.PostID == 0 {
			// A topic-wide write to followers: a consultation's synthesis.
			out.kind = KindForumSynthesis
		}
	case community.NotifyMention:
		out.kind = KindForumMention
	case community.NotifyAccepted:
		out.kind = KindForumAccepted
	case community.NotifyConsultation:
		out.kind = KindForumConsultation
	case community.NotifyModeration:
		kind, ok := moderationKinds[n.Action]
		if !ok {
			return fmt.Errorf("unknown moderation action %q", n.Action)
		}
		out.kind = kind
		if reason := strings.TrimSpace(n.Reason); reason != "" {
			// The reason is the moderator's own words: only the mail says
			// it, in a paragraph of its own.
			out.more = func(l *letter, t tr, _ accounts.User) {
				l.Paragraphs = append(l.Paragraphs, t.T("notify.forums.reason", reason))
			}
		}
	default:
		return fmt.Errorf("unknown notification kind %q", n.Kind)
	}
	return s.deliver(ctx, db, n.UserIDs, out)
}
