package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// ErrInvalidPreference: a topic or delivery that does not exist.
var ErrInvalidPreference = errors.New("notify: invalid preference")

// InboxPageSize is how many notifications a page lists.
const InboxPageSize = 30

// Notifications returns a page of a user's notifications, newest first,
// and the cursor of the next page (0 on the last).
func (s *Service) Notifications(ctx context.Context, userID, before int64) ([]Notification, int64, error) {
	list, err := NewStore(s.db).Notifications(ctx, userID, before, InboxPageSize+1)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: %w", err)
	}
	var next int64
	if len(list) > InboxPageSize {
		list = list[:InboxPageSize]
		next = list[len(list)-1].ID
	}
	return list, next, nil
}

// Unread counts a user's unread notifications, for the bell.
func (s *Service) Unread(ctx context.Context, userID int64) (int, error) {
	n, err := NewStore(s.db).Unread(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("notify: %w", err)
	}
	return n, nil
}

// Open marks one of a user's notifications read and returns it, to follow
// its link; another user's is ErrNotFound.
func (s *Service) Open(ctx context.Context, userID, id int64) (*Notification, error) {
	n, err := NewStore(s.db).MarkRead(ctx, userID, id, s.now())
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return n, nil
}

// MarkAllRead marks every notification of a user read.
func (s *Service) MarkAllRead(ctx context.Context, userID int64) error {
	if err := NewStore(s.db).MarkAllRead(ctx, userID, s.now()); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Preferences returns how a user wants each topic.
func (s *Service) Preferences(ctx context.Context, userID int64) (map[Topic]Delivery, error) {
	p, err := NewStore(s.db).Preferences(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return p, nil
}

// SetPreferences stores how a user wants the topics given; others keep
// theirs. An unknown topic or delivery is ErrInvalidPreference.
func (s *Service) SetPreferences(ctx context.Context, userID int64, prefs map[Topic]Delivery) error {
	for t, d := range prefs {
		if !slices.Contains(Topics, t) || !slices.Contains(Deliveries, d) {
			return fmt.Errorf("notify: %s=%s: %w", t, d, ErrInvalidPreference)
		}
	}
	if err := NewStore(s.db).SetPreferences(ctx, userID, prefs); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// DigestTopics is what an unsubscribe link of a digest names: every topic
// delivered by digest.
const DigestTopics = "digest"

// Unsubscribe turns mail off for the user a token stands for: one topic,
// or every topic delivered by digest (DigestTopics). It is what the
// one-click List-Unsubscribe link does, without a session. An unknown
// token is ErrNotFound, an unknown topic ErrInvalidPreference.
func (s *Service) Unsubscribe(ctx context.Context, token, what string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		store := NewStore(tx)
		userID, err := store.TokenUser(ctx, token)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		off := map[Topic]Delivery{}
		if what == DigestTopics {
			prefs, err := store.Preferences(ctx, userID)
			if err != nil {
				return err
			}
			for t, d := range prefs {
				if d == DeliveryDigest {
					off[t] = DeliveryOff
				}
			}
		} else {
			t := Topic(what)
			if !slices.Contains(Topics, t) {
				return fmt.Errorf("notify: unsubscribe from %q: %w", what, ErrInvalidPreference)
			}
			off[t] = DeliveryOff
		}
		return store.SetPreferences(ctx, userID, off)
	})
}

// TokenValid reports whether an unsubscribe token stands for a user, so
// the page can say so before anyone presses its button.
func (s *Service) TokenValid(ctx context.Context, token string) (bool, error) {
	_, err := NewStore(s.db).TokenUser(ctx, token)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// UnreadQuery is the subquery that counts the unread notifications of the
// users row "u" of the query it is put in: accounts reads it with the
// session (accounts.Service.CountWithSession), so the bell costs no
// statement of its own.
func UnreadQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().Model((*Notification)(nil)).ColumnExpr("count(*)").Where("n.user_id = u.id AND n.read_at IS NULL")
}
