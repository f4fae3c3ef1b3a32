package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// Functions the certificates package reads accounts' data through, so that
// it never queries accounts' tables itself. They take a bun.IDB so that
// they run inside the transaction that issues a certificate.

// CertificateHolder returns how a certificate names a user: their name and
// their institution's name ("" when they have none). It is ErrNotFound for
// an unknown user.
func CertificateHolder(ctx context.Context, db bun.IDB, userID int64) (name, institution string, err error) {
	st := NewStore(db)
	u, err := st.User(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if u.InstitutionID == nil {
		return u.Name, "", nil
	}
	inst, err := st.Institution(ctx, *u.InstitutionID)
	if err != nil {
		return "", "", fmt.Errorf("accounts: institution of user %d: %w", userID, err)
	}
	return u.Name, inst.Name, nil
}

// UserName returns the name of the user with id, or "" when id is nil or
// the account is gone: an audit trail keeps the name it was given.
func UserName(ctx context.Context, db bun.IDB, id *int64) (string, error) {
	if id == nil {
		return "", nil
	}
	u, err := NewStore(db).User(ctx, *id)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return u.Name, nil
}
