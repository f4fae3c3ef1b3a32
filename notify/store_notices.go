package notify

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// InsertNotifications stores new notifications in one statement.
func (s *Store) InsertNotifications(ctx context.Context, rows []Notification) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := s.db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert %d notifications: %w", len(rows), err)
	}
	return nil
}

// Notifications returns a user's newest notifications, older than the
// id before (0: the newest), at most limit.
func (s *Store) Notifications(ctx context.Context, userID, before int64, limit int) ([]Notification, error) {
	var out []Notification
	q := s.db.NewSelect().Model(&out).Where("n.user_id = ?", userID).OrderExpr("n.id DESC").Limit(limit)
	if before > 0 {
		q = q.Where("n.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("notifications of %d: %w", userID, err)
	}
	return out, nil
}

// Unread counts a user's unread notifications.
func (s *Store) Unread(ctx context.Context, userID int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Notification)(nil)).Where("user_id = ? AND read_at IS NULL", userID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("unread notifications of %d: %w", userID, err)
	}
	return n, nil
}

// MarkRead marks one of a user's notifications read and returns it;
// ErrNotFound when it is not theirs.
func (s *Store) MarkRead(ctx context.Context, userID, id int64, now time.Time) (*Notification, error) {
	n := new(Notification)
	err := s.db.NewRaw(`UPDATE notifications SET read_at = coalesce(read_at, ?) WHERE id = ? AND user_id = ? RETURNING *`,
		now, id, userID).Scan(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("mark notification %d read: %w", id, notFound(err))
	}
	return n, nil
}

// MarkAllRead marks every notification of a user read.
func (s *Store) MarkAllRead(ctx context.Context, userID int64, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Notification)(nil)).Set("read_at = ?", now).
		Where("user_id = ? AND read_at IS NULL", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark notifications of %d read: %w", userID, err)
	}
	return nil
}

// PendingDigest returns the notices of a user waiting for the digest of
// day or an earlier one (a digest that never ran), oldest first.
func (s *Store) PendingDigest(ctx context.Context, userID int64, day time.Time) ([]Notification, error) {
	var out []Notification
	err := s.db.NewSelect().Model(&out).
		Where("n.user_id = ? AND n.digest_on <= ? AND n.digested_at IS NULL", userID, day).
		OrderExpr("n.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("digest of %d: %w", userID, err)
	}
	return out, nil
}

// MarkDigested records that the notices of PendingDigest went.
func (s *Store) MarkDigested(ctx context.Context, userID int64, day, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Notification)(nil)).Set("digested_at = ?", now).
		Where("user_id = ? AND digest_on <= ? AND digested_at IS NULL", userID, day).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark digest of %d: %w", userID, err)
	}
	return nil
}

// preference is one row of notification_preferences.
type preference struct {
	bun.BaseModel `bun:"table:notification_preferences,alias:np"`

	UserID   int64    `bun:"user_id,pk"`
	Topic    Topic    `bun:"topic,pk"`
	Delivery Delivery `bun:"delivery"`
}

// Preferences returns a user's delivery of every topic (immediate when
// not set).
func (s *Store) Preferences(ctx context.Context, userID int64) (map[Topic]Delivery, error) {
	var rows []preference
	if err := s.db.NewSelect().Model(&rows).Where("np.user_id = ?", userID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("preferences of %d: %w", userID, err)
	}
	out := make(map[Topic]Delivery, len(Topics))
	for _, t := range Topics {
		out[t] = DeliveryImmediate
	}
	for _, r := range rows {
		out[r.Topic] = r.Delivery
	}
	return out, nil
}

// Deliveries returns how each of the users wants a topic (immediate when
// not set), in one query.
func (s *Store) Deliveries(ctx context.Context, userIDs []int64, topic Topic) (map[int64]Delivery, error) {
	var rows []preference
	err := s.db.NewSelect().Model(&rows).Where("np.topic = ? AND np.user_id IN (?)", topic, bun.List(userIDs)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s preferences: %w", topic, err)
	}
	out := make(map[int64]Delivery, len(userIDs))
	for _, id := range userIDs {
		out[id] = DeliveryImmediate
	}
	for _, r := range rows {
		out[r.UserID] = r.Delivery
	}
	return out, nil
}

// SetPreferences stores a user's deliveries.
func (s *Store) SetPreferences(ctx context.Context, userID int64, prefs map[Topic]Delivery) error {
	if len(prefs) == 0 {
		return nil
	}
	rows := make([]preference, 0, len(prefs))
	for t, d := range prefs {
		rows = append(rows, preference{UserID: userID, Topic: t, Delivery: d})
	}
	_, err := s.db.NewInsert().Model(&rows).On("CONFLICT (user_id, topic) DO UPDATE").Set("delivery = EXCLUDED.delivery").Exec(ctx)
	if err != nil {
		return fmt.Errorf("save preferences of %d: %w", userID, err)
	}
	return nil
}

// tokenRow is one row of notification_tokens.
type tokenRow struct {
	bun.BaseModel `bun:"table:notification_tokens,alias:nt"`

	UserID int64  `bun:"user_id,pk"`
	Token  string `bun:"token"`
}

// Token returns the user's unsubscribe token, making it on first use.
func (s *Store) Token(ctx context.Context, userID int64) (string, error) {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	row := &tokenRow{UserID: userID, Token: base64.RawURLEncoding.EncodeToString(b)}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (user_id) DO NOTHING").Exec(ctx); err != nil {
		return "", fmt.Errorf("unsubscribe token of %d: %w", userID, err)
	}
	if err := s.db.NewSelect().Model(row).Where("nt.user_id = ?", userID).Scan(ctx); err != nil {
		return "", fmt.Errorf("unsubscribe token of %d: %w", userID, err)
	}
	return row.Token, nil
}

// TokenUser returns the user an unsubscribe token stands for.
func (s *Store) TokenUser(ctx context.Context, token string) (int64, error) {
	row := new(tokenRow)
	if err := s.db.NewSelect().Model(row).Where("nt.token = ?", token).Scan(ctx); err != nil {
		return 0, fmt.Errorf("unsubscribe token: %w", notFound(err))
	}
	return row.UserID, nil
}
