package community

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// ForumView is a forum as one actor sees it: its title and what the actor
// may do there. Every rule about who reads or moderates a forum is decided
// once, here, so pages and API agree.
type ForumView struct {
	Forum *Forum
	Actor courses.Actor
	// Title is the course's or event's title, or the network forum's own.
	Title string
	// Moderate: the actor hides and restores posts, approves held ones,
	// locks, pins and moves topics here.
	Moderate bool
	// Staff: the actor may open consultations here (moderators, and
	// instructors in the network forums).
	Staff bool
}

// forumAccess decides what actor may do in forum f, or ErrNotFound when
// they may not read it, as if it did not exist.
func (s *Service) forumAccess(ctx context.Context, db bun.IDB, actor courses.Actor, f *Forum) (*ForumView, error) {
	if !actor.SignedIn() {
		return nil, fmt.Errorf("forum %d: %w", f.ID, ErrNotFound)
	}
	named, err := NewStore(db).IsModerator(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	v := &ForumView{Forum: f, Actor: actor, Title: f.Title}
	switch f.Scope {
	case ScopeNetwork:
		v.Moderate = actor.IsAdmin() || named
		v.Staff = v.Moderate || actor.CanTeach()
	case ScopeCourse:
		acc, err := s.courses.Access(ctx, actor, *f.ScopeID)
		if errors.Is(err, courses.ErrNotFound) {
			return nil, fmt.Errorf("forum %d: %w", f.ID, ErrNotFound)
		}
		if err != nil {
			return nil, err
		}
		if !acc.CanRead() {
			return nil, fmt.Errorf("forum %d: %w", f.ID, ErrNotFound)
		}
		v.Title = acc.Course.Title
		v.Moderate = acc.CanEdit() || named
		v.Staff = v.Moderate
	case ScopeEvent:
		read, moderate, err := s.events.Access(ctx, actor, *f.ScopeID)
		if err != nil {
			return nil, err
		}
		if !read {
			return nil, fmt.Errorf("forum %d: %w", f.ID, ErrNotFound)
		}
		title, _, err := s.events.Event(ctx, *f.ScopeID)
		if err != nil {
			return nil, err
		}
		v.Title = title
		v.Moderate = moderate || actor.IsAdmin() || named
		v.Staff = v.Moderate
	default:
		return nil, fmt.Errorf("community: forum %d has scope %q", f.ID, f.Scope)
	}
	return v, nil
}

// Forum returns the forum with id as actor sees it.
func (s *Service) Forum(ctx context.Context, actor courses.Actor, id int64) (*ForumView, error) {
	f, err := NewStore(s.db).Forum(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.forumAccess(ctx, s.db, actor, f)
}

// CourseForum returns the forum of the course with id, made on first use,
// for an actor who may read the course's modules.
func (s *Service) CourseForum(ctx context.Context, actor courses.Actor, courseID int64) (*ForumView, error) {
	acc, err := s.courses.Access(ctx, actor, courseID)
	if errors.Is(err, courses.ErrNotFound) {
		return nil, fmt.Errorf("community: forum of course %d: %w", courseID, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !acc.CanRead() {
		return nil, fmt.Errorf("community: forum of course %d: %w", courseID, ErrNotFound)
	}
	st := NewStore(s.db)
	if err := st.EnsureCourseForums(ctx, []courses.ReadableCourse{{ID: acc.Course.ID, Language: acc.Course.Language}}); err != nil {
		return nil, err
	}
	f, err := st.ForumOf(ctx, ScopeCourse, courseID)
	if err != nil {
		return nil, err
	}
	return s.forumAccess(ctx, s.db, actor, f)
}

// EventForum returns the forum of the event with id, made on first use,
// for an actor who may read it.
func (s *Service) EventForum(ctx context.Context, actor courses.Actor, eventID int64) (*ForumView, error) {
	read, _, err := s.events.Access(ctx, actor, eventID)
	if err != nil {
		return nil, err
	}
	if !read || !actor.SignedIn() {
		return nil, fmt.Errorf("community: forum of event %d: %w", eventID, ErrNotFound)
	}
	_, language, err := s.events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	st := NewStore(s.db)
	if err := st.EnsureEventForum(ctx, eventID, language); err != nil {
		return nil, err
	}
	f, err := st.ForumOf(ctx, ScopeEvent, eventID)
	if err != nil {
		return nil, err
	}
	return s.forumAccess(ctx, s.db, actor, f)
}

// NetworkForum returns the network forum in language (es, pt or en; any
// other gives the English one).
func (s *Service) NetworkForum(ctx context.Context, actor courses.Actor, language string) (*ForumView, error) {
	if err := s.ensureNetwork(ctx); err != nil {
		return nil, err
	}
	f, err := NewStore(s.db).NetworkForum(ctx, language)
	if errors.Is(err, ErrNotFound) {
		f, err = NewStore(s.db).NetworkForum(ctx, "en")
	}
	if err != nil {
		return nil, err
	}
	return s.forumAccess(ctx, s.db, actor, f)
}

// Forums returns the forums actor may read: the network forums, then
// their courses' and events' forums by title.
func (s *Service) Forums(ctx context.Context, actor courses.Actor) ([]ForumView, error) {
	if !actor.SignedIn() {
		return nil, nil
	}
	if err := s.ensureNetwork(ctx); err != nil {
		return nil, err
	}
	st := NewStore(s.db)
	named, err := st.IsModerator(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	network, err := st.NetworkForums(ctx)
	if err != nil {
		return nil, err
	}
	var out []ForumView
	for i := range network {
		moderate := actor.IsAdmin() || named
		out = append(out, ForumView{Forum: &network[i], Actor: actor, Title: network[i].Title,
			Moderate: moderate, Staff: moderate || actor.CanTeach()})
	}

	list, err := s.courses.ReadableCourses(ctx, actor)
	if err != nil {
		return nil, err
	}
	if err := st.EnsureCourseForums(ctx, list); err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	byCourse, err := st.ForumsOf(ctx, ScopeCourse, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		f, ok := byCourse[c.ID]
		if !ok {
			continue
		}
		moderate := c.Editor || named
		out = append(out, ForumView{Forum: f, Actor: actor, Title: c.Title, Moderate: moderate, Staff: moderate})
	}

	events, err := s.events.Readable(ctx, actor)
	if err != nil {
		return nil, err
	}
	for _, id := range events {
		v, err := s.EventForum(ctx, actor, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// readersAmong returns those of ids who may read forum f, read on db, in
// a few queries for all of them: whom a notification may reach. Disabled
// accounts read nothing.
func (s *Service) readersAmong(ctx context.Context, db bun.IDB, f *Forum, ids []int64) ([]int64, error) {
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	members, err := accounts.Members(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	actors := make([]courses.Actor, 0, len(members))
	for _, id := range ids {
		if m, ok := members[id]; ok {
			actors = append(actors, courses.Actor{UserID: m.ID, Role: m.Role})
		}
	}
	may := map[int64]bool{}
	switch f.Scope {
	case ScopeNetwork:
		for _, a := range actors {
			may[a.UserID] = true
		}
	case ScopeCourse:
		if may, err = courses.CourseReaders(ctx, db, *f.ScopeID, actors); err != nil {
			return nil, err
		}
	case ScopeEvent:
		if may, err = s.events.Readers(ctx, db, *f.ScopeID, actors); err != nil {
			return nil, err
		}
	}
	var out []int64
	for _, a := range actors {
		if may[a.UserID] {
			out = append(out, a.UserID)
		}
	}
	return out, nil
}

// uniqueIDs returns ids without repeats or zeros, in their first order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
