package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// PasswordResetLifetime is how long a link from "forgot password" works:
// long enough to find the mail, short enough that an old mailbox leak
// does not open the account.
const PasswordResetLifetime = 2 * time.Hour

// InviteHook runs inside the transaction that makes a one-time password
// link for an account that has none to sign in with (an admin created it
// without a password, or asked to invite again), with the link's token:
// package notify writes the invitation there.
type InviteHook func(ctx context.Context, tx bun.IDB, u User, token string) error

// OnInvited registers a hook for invitations. Call it while wiring.
func (s *Service) OnInvited(h InviteHook) { s.invited = append(s.invited, h) }

// invite makes a password link for u in tx and runs the invitation hooks.
func (s *Service) invite(ctx context.Context, tx bun.IDB, u *User) (string, error) {
	tokens, err := s.CreatePasswordLinks(ctx, tx, []int64{u.ID})
	if err != nil {
		return "", err
	}
	for _, h := range s.invited {
		if err := h(ctx, tx, *u, tokens[u.ID]); err != nil {
			return "", fmt.Errorf("invite %d: %w", u.ID, err)
		}
	}
	return tokens[u.ID], nil
}

// Invite sends a user a new invitation: a new one-time link to choose a
// password (earlier links keep working until they expire). A disabled
// account is ErrNotFound.
func (s *Service) Invite(ctx context.Context, userID int64) (*User, error) {
	var u *User
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = NewStore(tx).User(ctx, userID); err != nil {
			return err
		}
		if u.Disabled {
			return ErrNotFound
		}
		_, err = s.invite(ctx, tx, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateResetLink makes, in db, a one-time link for the enabled user with
// email (compared without case) to choose a new password, valid for
// PasswordResetLifetime. Nobody with that address, or a disabled account,
// is ErrNotFound: the caller says the same either way.
func (s *Service) CreateResetLink(ctx context.Context, db bun.IDB, email string) (*User, string, error) {
	u, err := NewStore(db).UserByEmail(ctx, strings.TrimSpace(email))
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "", ErrNotFound
	}
	token, err := NewSecret()
	if err != nil {
		return nil, "", err
	}
	t := s.now()
	link := PasswordLink{TokenHash: HashSecret(token), UserID: u.ID, CreatedAt: t, ExpiresAt: t.Add(PasswordResetLifetime)}
	if err := NewStore(db).InsertPasswordLinks(ctx, []PasswordLink{link}); err != nil {
		return nil, "", fmt.Errorf("accounts: reset link for %d: %w", u.ID, err)
	}
	return u, token, nil
}

// UsersByID returns the users of db with the given ids, keyed by id
// (inside the caller's transaction).
func UsersByID(ctx context.Context, db bun.IDB, ids []int64) (map[int64]User, error) {
	return NewStore(db).UsersByID(ctx, ids)
}

// UsersByID returns the users with the given ids, keyed by id.
func (s *Store) UsersByID(ctx context.Context, ids []int64) (map[int64]User, error) {
	out := make(map[int64]User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var users []User
	if err := s.db.NewSelect().Model(&users).Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("users by id: %w", err)
	}
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}
