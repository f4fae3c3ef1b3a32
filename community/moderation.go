package community

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// checkReason trims a moderator's reason, which may be empty.
func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReasonLen || !utf8.ValidString(reason) {
		return "", ErrInvalidReason
	}
	return reason, nil
}

// log records a moderation act in forum v's log.
func (s *Service) log(ctx context.Context, st *Store, v *ForumView, t *Topic, p *Post, a Action, reason string) error {
	by := v.Actor.UserID
	e := &LogEntry{ForumID: v.Forum.ID, ActorID: &by, Action: a, Reason: reason, CreatedAt: s.now()}
	if t != nil {
		e.TopicID = &t.ID
	}
	if p != nil {
		e.PostID = &p.ID
	}
	return st.Log(ctx, e)
}

// moderatePost runs a moderation act on a post inside one transaction:
// the actor must moderate its forum (ErrForbidden), change changes the
// post and reports whether anything changed, and the act is logged and
// its author told.
func (s *Service) moderatePost(ctx context.Context, actor courses.Actor, postID int64, a Action, reason string,
	change func(ctx context.Context, tx bun.IDB, v *ForumView, t *Topic, p *Post) (bool, error)) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, t, v, err := s.postFor(ctx, tx, actor, postID, true)
		if err != nil {
			return err
		}
		if !v.Moderate {
			return fmt.Errorf("%s post %d: %w", a, postID, ErrForbidden)
		}
		changed, err := change(ctx, tx, v, t, p)
		if err != nil || !changed {
			return err
		}
		st := NewStore(tx)
		if err := s.log(ctx, st, v, t, p, a, reason); err != nil {
			return err
		}
		if p.AuthorID == nil || *p.AuthorID == actor.UserID {
			return nil
		}
		return s.notify(ctx, tx, v.Forum, Notification{Kind: NotifyModeration, UserIDs: []int64{*p.AuthorID},
			ForumID: v.Forum.ID, TopicID: t.ID, TopicTitle: t.Title, PostID: p.ID, ActorID: actor.UserID, Action: a, Reason: reason})
	})
}

// Hide hides a post from everyone but the moderators, who see it in full;
// others see that a moderator hid it. Its open reports are resolved.
func (s *Service) Hide(ctx context.Context, actor courses.Actor, postID int64, reason string) error {
	return s.moderatePost(ctx, actor, postID, ActionHide, reason, func(ctx context.Context, tx bun.IDB, v *ForumView, _ *Topic, p *Post) (bool, error) {
		if p.HiddenAt != nil {
			return false, nil
		}
		now, by := s.now(), v.Actor.UserID
		p.HiddenAt, p.HiddenBy = &now, &by
		st := NewStore(tx)
		if err := st.UpdatePost(ctx, p, "hidden_at", "hidden_by"); err != nil {
			return false, err
		}
		return true, st.ResolveReports(ctx, p.ID, by, now)
	})
}

// Restore shows a hidden post again.
func (s *Service) Restore(ctx context.Context, actor courses.Actor, postID int64, reason string) error {
	return s.moderatePost(ctx, actor, postID, ActionRestore, reason, func(ctx context.Context, tx bun.IDB, _ *ForumView, _ *Topic, p *Post) (bool, error) {
		if p.HiddenAt == nil {
			return false, nil
		}
		p.HiddenAt, p.HiddenBy = nil, nil
		return true, NewStore(tx).UpdatePost(ctx, p, "hidden_at", "hidden_by")
	})
}

// Approve makes a held post visible, and its topic when it opens one;
// followers and members mentioned are told then.
func (s *Service) Approve(ctx context.Context, actor courses.Actor, postID int64, reason string) error {
	return s.moderatePost(ctx, actor, postID, ActionApprove, reason, func(ctx context.Context, tx bun.IDB, v *ForumView, t *Topic, p *Post) (bool, error) {
		if !p.Held {
			return false, nil
		}
		st := NewStore(tx)
		p.Held = false
		if err := st.UpdatePost(ctx, p, "held"); err != nil {
			return false, err
		}
		if p.Opening {
			t.Held = false
			if err := st.UpdateTopic(ctx, t, "held"); err != nil {
				return false, err
			}
		}
		return true, s.published(ctx, tx, v.Forum, t, p)
	})
}

// moderateTopic runs a moderation act on a whole topic inside one
// transaction, as moderatePost does on a post.
func (s *Service) moderateTopic(ctx context.Context, actor courses.Actor, topicID int64, a Action, reason string,
	change func(ctx context.Context, tx bun.IDB, v *ForumView, t *Topic) (bool, error)) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		t, v, err := s.topicFor(ctx, tx, actor, topicID, true)
		if err != nil {
			return err
		}
		if !v.Moderate {
			return fmt.Errorf("%s topic %d: %w", a, topicID, ErrForbidden)
		}
		changed, err := change(ctx, tx, v, t)
		if err != nil || !changed {
			return err
		}
		if err := s.log(ctx, NewStore(tx), v, t, nil, a, reason); err != nil {
			return err
		}
		if t.AuthorID == nil || *t.AuthorID == actor.UserID {
			return nil
		}
		// After a move, v is still the old forum: the author is told if
		// they may read the new one.
		f, err := NewStore(tx).Forum(ctx, t.ForumID)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, f, Notification{Kind: NotifyModeration, UserIDs: []int64{*t.AuthorID},
			ForumID: f.ID, TopicID: t.ID, TopicTitle: t.Title, ActorID: actor.UserID, Action: a, Reason: reason})
	})
}

// SetLocked locks a topic (only moderators write in it) or unlocks it.
func (s *Service) SetLocked(ctx context.Context, actor courses.Actor, topicID int64, locked bool, reason string) error {
	a := ActionUnlock
	if locked {
		a = ActionLock
	}
	return s.moderateTopic(ctx, actor, topicID, a, reason, func(ctx context.Context, tx bun.IDB, _ *ForumView, t *Topic) (bool, error) {
		if (t.LockedAt != nil) == locked {
			return false, nil
		}
		t.LockedAt = nil
		if locked {
			now := s.now()
			t.LockedAt = &now
		}
		return true, NewStore(tx).UpdateTopic(ctx, t, "locked_at")
	})
}

// SetPinned pins a topic on top of its forum's list, or unpins it.
func (s *Service) SetPinned(ctx context.Context, actor courses.Actor, topicID int64, pinned bool, reason string) error {
	a := ActionUnpin
	if pinned {
		a = ActionPin
	}
	return s.moderateTopic(ctx, actor, topicID, a, reason, func(ctx context.Context, tx bun.IDB, _ *ForumView, t *Topic) (bool, error) {
		if (t.PinnedAt != nil) == pinned {
			return false, nil
		}
		t.PinnedAt = nil
		if pinned {
			now := s.now()
			t.PinnedAt = &now
		}
		return true, NewStore(tx).UpdateTopic(ctx, t, "pinned_at")
	})
}

// Move moves a topic to another forum the moderator also moderates
// (ErrInvalidMove otherwise); the act is logged in the forum it left. Its
// posts are searched in the new forum's language from then on.
func (s *Service) Move(ctx context.Context, actor courses.Actor, topicID, forumID int64, reason string) error {
	return s.moderateTopic(ctx, actor, topicID, ActionMove, reason, func(ctx context.Context, tx bun.IDB, v *ForumView, t *Topic) (bool, error) {
		if forumID == t.ForumID {
			return false, ErrInvalidMove
		}
		st := NewStore(tx)
		f, err := st.Forum(ctx, forumID)
		if errIsNotFound(err) {
			return false, ErrInvalidMove
		}
		if err != nil {
			return false, err
		}
		to, err := s.forumAccess(ctx, tx, actor, f)
		if errIsNotFound(err) || (err == nil && !to.Moderate) {
			return false, ErrInvalidMove
		}
		if err != nil {
			return false, err
		}
		t.ForumID = f.ID
		if err := st.UpdateTopic(ctx, t, "forum_id"); err != nil {
			return false, err
		}
		if f.Language != v.Forum.Language {
			return true, st.MoveSearch(ctx, t.ID, f.Language, t.Title)
		}
		return true, nil
	})
}

// Queue is what waits for a forum's moderators: open reports, held posts,
// and the latest moderation acts.
type Queue struct {
	Forum   *ForumView
	Reports []Report
	Held    []Post
	Log     []LogEntry
}

// ModerationQueue returns a forum's queue to its moderators.
func (s *Service) ModerationQueue(ctx context.Context, actor courses.Actor, forumID int64) (*Queue, error) {
	v, err := s.Forum(ctx, actor, forumID)
	if err != nil {
		return nil, err
	}
	if !v.Moderate {
		return nil, fmt.Errorf("community: queue of forum %d: %w", forumID, ErrForbidden)
	}
	st := NewStore(s.db)
	q := &Queue{Forum: v}
	if q.Reports, err = st.OpenReports(ctx, forumID); err != nil {
		return nil, err
	}
	if q.Held, err = st.HeldPosts(ctx, forumID); err != nil {
		return nil, err
	}
	if q.Log, err = st.LogOf(ctx, forumID, 100); err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range q.Reports {
		if r.ReporterID != nil {
			ids = append(ids, *r.ReporterID)
		}
	}
	for _, p := range q.Held {
		if p.AuthorID != nil {
			ids = append(ids, *p.AuthorID)
		}
	}
	for _, e := range q.Log {
		if e.ActorID != nil {
			ids = append(ids, *e.ActorID)
		}
	}
	names, err := accounts.UserNames(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	name := func(id *int64) string {
		if id == nil {
			return ""
		}
		return names[*id]
	}
	for i := range q.Reports {
		q.Reports[i].ReporterName = name(q.Reports[i].ReporterID)
	}
	for i := range q.Held {
		q.Held[i].AuthorName = name(q.Held[i].AuthorID)
	}
	for i := range q.Log {
		q.Log[i].ActorName = name(q.Log[i].ActorID)
	}
	return q, nil
}

// SetModerator names a member moderator of every forum they may read
// (on), or takes it back: admins only.
func (s *Service) SetModerator(ctx context.Context, actor courses.Actor, userID int64, on bool) error {
	if !actor.IsAdmin() {
		return fmt.Errorf("community: name moderator: %w", ErrForbidden)
	}
	st := NewStore(s.db)
	if on {
		return st.AddModerator(ctx, userID, actor.UserID)
	}
	return st.RemoveModerator(ctx, userID)
}

// Moderators returns the members an admin named moderator, for admins.
func (s *Service) Moderators(ctx context.Context, actor courses.Actor) ([]accounts.Member, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("community: moderators: %w", ErrForbidden)
	}
	ids, err := NewStore(s.db).Moderators(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := accounts.Members(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]accounts.Member, 0, len(ms))
	for _, id := range ids {
		if m, ok := ms[id]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// Settings returns the community settings, for admins.
func (s *Service) Settings(ctx context.Context, actor courses.Actor) (*Settings, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("community: settings: %w", ErrForbidden)
	}
	return NewStore(s.db).Settings(ctx)
}

// SaveSettings changes the community settings: admins only.
func (s *Service) SaveSettings(ctx context.Context, actor courses.Actor, holdNewAccountsDays int) (*Settings, error) {
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("community: settings: %w", ErrForbidden)
	}
	if holdNewAccountsDays < 0 || holdNewAccountsDays > 3650 {
		return nil, ErrInvalidSettings
	}
	st := NewStore(s.db)
	set, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	set.HoldNewAccountsDays = holdNewAccountsDays
	return set, st.SaveSettings(ctx, set, s.now())
}
