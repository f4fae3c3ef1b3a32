package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ErrNotFound is returned for a message, notification or token that does
// not exist.
var ErrNotFound = errors.New("notify: not found")

// Store holds every query of the package.
type Store struct{ db bun.IDB }

// NewStore returns a Store on db (the database or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// InsertMessage stores a new message and reads back its row.
func (s *Store) InsertMessage(ctx context.Context, m *Message) error {
	if _, err := s.db.NewInsert().Model(m).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("insert message to %s: %w", m.ToAddress, err)
	}
	return nil
}

// Message returns one message.
func (s *Store) Message(ctx context.Context, id int64) (*Message, error) {
	m := new(Message)
	if err := s.db.NewSelect().Model(m).Where("mm.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("message %d: %w", id, notFound(err))
	}
	return m, nil
}

// MessageFilter selects messages of the outbox.
type MessageFilter struct {
	Status Status // every status when empty
	To     string // one address, without case; every address when empty
	// Before is the keyset cursor: messages older than this id (0: the newest).
	Before int64
	Limit  int
}

// Messages returns the newest messages matching f.
func (s *Store) Messages(ctx context.Context, f MessageFilter) ([]Message, error) {
	var out []Message
	q := s.db.NewSelect().Model(&out).
		ExcludeColumn("text_body", "html_body").
		OrderExpr("mm.created_at DESC, mm.id DESC").Limit(f.Limit)
	if f.Status != "" {
		q = q.Where("mm.status = ?", f.Status)
	}
	if to := strings.TrimSpace(f.To); to != "" {
		q = q.Where("lower(mm.to_address) = lower(?)", to)
	}
	if f.Before > 0 {
		q = q.Where("mm.id < ?", f.Before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return out, nil
}

// MarkSent records that the relay accepted a message.
func (s *Store) MarkSent(ctx context.Context, id int64, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*Message)(nil)).
		Set("status = ?", StatusSent).Set("sent_at = ?", now).Set("attempts = attempts + 1").Set("last_error = ''").
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	return nil
}

// MarkHeld records that a message stays in the outbox: no relay is configured.
func (s *Store) MarkHeld(ctx context.Context, id int64) error {
	_, err := s.db.NewUpdate().Model((*Message)(nil)).Set("status = ?", StatusHeld).
		Where("id = ? AND status = ?", id, StatusQueued).Exec(ctx)
	if err != nil {
		return fmt.Errorf("hold message %d: %w", id, err)
	}
	return nil
}

// MarkAttemptFailed records a failed attempt to send a message: failed for
// good when final, still queued otherwise (a failed one an admin retries
// stays failed until it is sent).
func (s *Store) MarkAttemptFailed(ctx context.Context, id int64, msg string, final bool) error {
	q := s.db.NewUpdate().Model((*Message)(nil)).Set("attempts = attempts + 1").Set("last_error = ?", msg).
		Where("id = ? AND status IN (?)", id, bun.List([]Status{StatusQueued, StatusFailed}))
	if final {
		q = q.Set("status = ?", StatusFailed)
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("record failure of message %d: %w", id, err)
	}
	return nil
}
