package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/community"
)

// An event's forum is for the people taking part in it: its organisers
// (and admins), who moderate it, and its participants — those registered
// with a place. A person on the waiting list or awaiting approval does not
// read it yet: the forum is where the event's own people talk, and its
// participants are those with a place. The community reads events through
// these functions only, never events' tables.

// ReadsForum reports whether the actor may read the event's forum: an
// organiser (or admin), or a participant with a place.
func (a *Access) ReadsForum() bool {
	if !a.Actor.SignedIn() {
		return false
	}
	return a.Organiser || (a.Registration != nil && a.Registration.Status == Registered)
}

// Forums returns what the community needs to know about events:
// wiring gives it to the community service.
func (s *Service) Forums() community.EventForums { return eventForums{s} }

type eventForums struct{ s *Service }

var _ community.EventForums = eventForums{}

// Event returns the event's title and language, or an error wrapping
// community.ErrNotFound.
func (f eventForums) Event(ctx context.Context, id int64) (string, string, error) {
	e, err := NewStore(f.s.db).Event(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return "", "", fmt.Errorf("events: forum of event %d: %w", id, community.ErrNotFound)
	}
	if err != nil {
		return "", "", fmt.Errorf("events: forum of event %d: %w", id, err)
	}
	return e.Title, e.Language, nil
}

// Access says whether actor reads the event's forum (Access.ReadsForum)
// and moderates it (an organiser or admin). An event the actor may not
// see is one whose forum they do not read.
func (f eventForums) Access(ctx context.Context, actor Actor, id int64) (bool, bool, error) {
	acc, err := f.s.Access(ctx, actor, id)
	if errors.Is(err, ErrNotFound) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	return acc.ReadsForum(), acc.Organiser, nil
}

// Readable lists the events whose forums actor reads because they
// organise it or have a place in it. Admins, who read every event's
// forum, are listed only theirs too: a list of every event ever held is
// not a list of one's forums (they open any other from its event page).
func (f eventForums) Readable(ctx context.Context, actor Actor) ([]int64, error) {
	if !actor.SignedIn() {
		return nil, nil
	}
	ids, err := NewStore(f.s.db).ForumEvents(ctx, actor.UserID)
	if err != nil {
		return nil, fmt.Errorf("events: forums of %d: %w", actor.UserID, err)
	}
	return ids, nil
}

// Readers returns which of actors read the event's forum, read on db
// (the transaction of the post that notifies them), in one query for all.
func (f eventForums) Readers(ctx context.Context, db bun.IDB, eventID int64, actors []Actor) (map[int64]bool, error) {
	out := make(map[int64]bool, len(actors))
	var others []int64
	for _, a := range actors {
		switch {
		case !a.SignedIn():
		case a.IsAdmin():
			out[a.UserID] = true
		default:
			others = append(others, a.UserID)
		}
	}
	if len(others) == 0 {
		return out, nil
	}
	ids, err := NewStore(db).ForumReaders(ctx, eventID, others)
	if err != nil {
		return nil, fmt.Errorf("events: forum readers of %d: %w", eventID, err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// ForumEvents returns the ids of the events userID organises or has a
// place in, in order.
func (s *Store) ForumEvents(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewRaw(`SELECT event_id FROM event_organisers WHERE user_id = ?
		UNION SELECT event_id FROM event_registrations WHERE user_id = ? AND status = ?
		ORDER BY event_id`, userID, userID, Registered).Scan(ctx, &ids)
	return ids, err
}

// ForumReaders returns those of userIDs who organise the event or have a
// place in it.
func (s *Store) ForumReaders(ctx context.Context, eventID int64, userIDs []int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewRaw(`SELECT user_id FROM event_organisers WHERE event_id = ? AND user_id IN (?)
		UNION SELECT user_id FROM event_registrations WHERE event_id = ? AND status = ? AND user_id IN (?)`,
		eventID, bun.List(userIDs), eventID, Registered, bun.List(userIDs)).Scan(ctx, &ids)
	return ids, err
}
