package certificates

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// EnsureKey returns the installation's current signing key, generating the
// first one when there is none. `aula serve` calls it at start; several
// processes starting at once end up with one key (a unique index allows
// one current key, and the losers read the winner's).
func (s *Service) EnsureKey(ctx context.Context) (*SigningKey, error) {
	k, _, err := currentKey(ctx, s.db)
	return k, err
}

// currentKey returns the current signing key and its private half, read in
// db (a transaction when signing inside one), creating one if needed. It
// is read on every signature rather than cached, so that a key rotated by
// `aula certificates rotate-key` is used at once by every process.
func currentKey(ctx context.Context, db bun.IDB) (*SigningKey, ed25519.PrivateKey, error) {
	st := NewStore(db)
	for range 2 {
		k, err := st.CurrentKey(ctx)
		if err == nil {
			priv, err := ParsePrivateKey(k.Private)
			if err != nil {
				return nil, nil, fmt.Errorf("signing key %d: %w", k.ID, err)
			}
			return k, priv, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, nil, fmt.Errorf("current signing key: %w", err)
		}
		priv := GenerateKey()
		k = &SigningKey{Public: EncodePublicKey(priv.Public().(ed25519.PublicKey)), Private: EncodePrivateKey(priv)}
		if err := st.InsertFirstKey(ctx, k); err != nil {
			return nil, nil, fmt.Errorf("create signing key: %w", err)
		}
		// Read back whichever key won.
	}
	return nil, nil, errors.New("certificates: no current signing key after creating one")
}

// RotateKey retires the current signing key and makes a new one current.
// Certificates already issued keep their signatures and the id of the key
// that made them; the retired public key stays published by Keys, so they
// still verify. Rotate when the private key may have leaked — and then
// consider whether the old certificates should be reissued.
func (s *Service) RotateKey(ctx context.Context) (*SigningKey, error) {
	priv := GenerateKey()
	k := &SigningKey{Public: EncodePublicKey(priv.Public().(ed25519.PublicKey)), Private: EncodePrivateKey(priv)}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
		if err := st.RetireKeys(ctx, s.now()); err != nil {
			return err
		}
		return st.InsertKey(ctx, k)
	})
	if err != nil {
		return nil, fmt.Errorf("certificates: rotate signing key: %w", err)
	}
	return k, nil
}

// Keys returns every signing key, the current one first, then retired ones
// from the most recent. Their Private fields are left empty.
func (s *Service) Keys(ctx context.Context) ([]SigningKey, error) {
	keys, err := NewStore(s.db).Keys(ctx)
	if err != nil {
		return nil, fmt.Errorf("certificates: list signing keys: %w", err)
	}
	return keys, nil
}

// PublicKey returns the public half of the signing key with id.
func (s *Service) PublicKey(ctx context.Context, id int64) (ed25519.PublicKey, error) {
	k, err := NewStore(s.db).PublicKey(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("certificates: signing key %d: %w", id, err)
	}
	return ParsePublicKey(k.Public)
}
