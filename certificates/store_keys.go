package certificates

import (
	"context"
	"time"
)

// CurrentKey returns the signing key that is not retired, private half
// included, or ErrNotFound.
func (s *Store) CurrentKey(ctx context.Context) (*SigningKey, error) {
	k := new(SigningKey)
	if err := s.db.NewSelect().Model(k).Where("sk.retired_at IS NULL").Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return k, nil
}

// InsertFirstKey stores k unless another process stored a current key
// first (the unique index allows one); the caller reads back the winner.
func (s *Store) InsertFirstKey(ctx context.Context, k *SigningKey) error {
	_, err := s.db.NewInsert().Model(k).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

// RetireKeys retires the current key at now.
func (s *Store) RetireKeys(ctx context.Context, now time.Time) error {
	_, err := s.db.NewUpdate().Model((*SigningKey)(nil)).Set("retired_at = ?", now).Where("retired_at IS NULL").Exec(ctx)
	return err
}

// InsertKey stores k and reads back its row.
func (s *Store) InsertKey(ctx context.Context, k *SigningKey) error {
	_, err := s.db.NewInsert().Model(k).Returning("*").Exec(ctx)
	return err
}

// Keys returns every signing key without its private half, the current
// one first, then retired ones from the most recent.
func (s *Store) Keys(ctx context.Context) ([]SigningKey, error) {
	var keys []SigningKey
	err := s.db.NewSelect().Model(&keys).ExcludeColumn("private").
		OrderExpr("sk.retired_at IS NOT NULL, sk.retired_at DESC, sk.id DESC").Scan(ctx)
	return keys, err
}

// PublicKey returns the signing key with id without its private half, or
// ErrNotFound.
func (s *Store) PublicKey(ctx context.Context, id int64) (*SigningKey, error) {
	k := new(SigningKey)
	if err := s.db.NewSelect().Model(k).ExcludeColumn("private").Where("sk.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return k, nil
}
