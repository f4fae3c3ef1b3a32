package events

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// The library shows events on its country pages and item pages, through
// the library.Events seam wiring connects; organisers cite library items
// from their events (LinkItem). An event has no country of its own: it
// is a country's when one of its organisers works for an institution of
// that country (the institution that organises it). Drafts are never
// shown: only published and closed events.

// Library returns what the library asks of events: wiring gives it to the
// library service (SetEvents).
func (s *Service) Library() library.Events { return libraryEvents{s} }

type libraryEvents struct{ s *Service }

var _ library.Events = libraryEvents{}

// CountryEvents returns up to limit published or closed events organised
// by staff of the country's institutions, those to come first by their
// start, then past ones, the latest first.
func (l libraryEvents) CountryEvents(ctx context.Context, country string, limit int) ([]library.Event, error) {
	list, err := NewStore(l.s.db).CountryEvents(ctx, country, limit, l.s.now())
	if err != nil {
		return nil, fmt.Errorf("events: events of country %s: %w", country, err)
	}
	return libraryList(list), nil
}

// EventsCiting returns the published or closed events that cite the item,
// in the same order.
func (l libraryEvents) EventsCiting(ctx context.Context, itemID int64) ([]library.Event, error) {
	list, err := NewStore(l.s.db).EventsCiting(ctx, itemID, l.s.now())
	if err != nil {
		return nil, fmt.Errorf("events: events citing item %d: %w", itemID, err)
	}
	return libraryList(list), nil
}

// libraryList is a listing as the library links it.
func libraryList(list []Listed) []library.Event {
	out := make([]library.Event, len(list))
	for i, e := range list {
		out[i] = library.Event{ID: e.ID, Title: e.Title, URL: "/events/" + strconv.FormatInt(e.ID, 10)}
		if e.FirstStart != nil {
			out[i].Start = *e.FirstStart
		}
	}
	return out
}

// LinkItem records that an event cites a published library item, so that
// the item's page lists the event; the event's organisers (and admins)
// may, until it is closed. Citing it again changes nothing.
func (s *Service) LinkItem(ctx context.Context, actor Actor, eventID, itemID int64) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.citing(ctx, tx, actor, eventID); err != nil {
			return err
		}
		ok, err := library.Published(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if !ok {
			return invalid("item_id", "unknown_item")
		}
		return NewStore(tx).LinkItem(ctx, eventID, itemID)
	})
	if err != nil {
		return fmt.Errorf("events: cite item %d in %d: %w", itemID, eventID, err)
	}
	return nil
}

// UnlinkItem forgets that an event cites an item; its organisers (and
// admins) may, until it is closed.
func (s *Service) UnlinkItem(ctx context.Context, actor Actor, eventID, itemID int64) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.citing(ctx, tx, actor, eventID); err != nil {
			return err
		}
		return NewStore(tx).UnlinkItem(ctx, eventID, itemID)
	})
	if err != nil {
		return fmt.Errorf("events: stop citing item %d in %d: %w", itemID, eventID, err)
	}
	return nil
}

// citing checks, in tx, that actor organises the event and that it still
// changes: a closed event's record is final.
func (s *Service) citing(ctx context.Context, tx bun.IDB, actor Actor, eventID int64) error {
	e, err := s.organising(ctx, tx, actor, eventID)
	if err != nil {
		return err
	}
	if e.Status == StatusClosed {
		return ErrClosed
	}
	return nil
}

// CountryEvents returns up to limit published or closed events with an
// organiser of an institution of country, to come first (see Listing).
func (s *Store) CountryEvents(ctx context.Context, country string, limit int, now time.Time) ([]Listed, error) {
	var list []Listed
	err := s.shown(s.listing(&list), now).
		Where("EXISTS (SELECT 1 FROM event_organisers o WHERE o.event_id = ev.id AND o.user_id IN (?))",
			accounts.UsersInCountry(s.db, country)).
		Limit(limit).Scan(ctx)
	return list, err
}

// EventsCiting returns the published or closed events citing an item.
func (s *Store) EventsCiting(ctx context.Context, itemID int64, now time.Time) ([]Listed, error) {
	var list []Listed
	err := s.shown(s.listing(&list), now).
		Where("ev.id IN (SELECT event_id FROM event_library_items WHERE item_id = ?)", itemID).
		Limit(100).Scan(ctx)
	return list, err
}

// LinkItem records that an event cites an item (again: no change).
func (s *Store) LinkItem(ctx context.Context, eventID, itemID int64) error {
	_, err := s.db.NewRaw("INSERT INTO event_library_items (event_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		eventID, itemID).Exec(ctx)
	return err
}

// UnlinkItem forgets that an event cites an item.
func (s *Store) UnlinkItem(ctx context.Context, eventID, itemID int64) error {
	_, err := s.db.NewRaw("DELETE FROM event_library_items WHERE event_id = ? AND item_id = ?", eventID, itemID).Exec(ctx)
	return err
}

// CitedItems returns the ids of the library items the event cites, in id
// order. Which items an event cites is no secret (an item's page lists
// the events citing it); the organisers' page lists them with a form.
func (s *Service) CitedItems(ctx context.Context, eventID int64) ([]int64, error) {
	ids, err := NewStore(s.db).CitedItems(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("events: items cited by %d: %w", eventID, err)
	}
	return ids, nil
}

// CitedItems returns the ids of the items an event cites.
func (s *Store) CitedItems(ctx context.Context, eventID int64) ([]int64, error) {
	ids := []int64{}
	err := s.db.NewRaw("SELECT item_id FROM event_library_items WHERE event_id = ? ORDER BY item_id", eventID).Scan(ctx, &ids)
	return ids, err
}
