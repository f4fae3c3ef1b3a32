package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
)

// Account mail (a password reset, an invitation) is always sent: it is how
// people get into their account, so preferences do not apply and it
// carries no unsubscribe link.

// Kinds of account mail.
const (
	KindPasswordReset = "account.password_reset"
	KindInvitation    = "account.invitation"
)

// ResetPassword mails a one-time link to choose a new password to the
// enabled account with email, if there is one. It answers the same,
// nil, whether or not there is: the caller says "if an account has this
// address, we sent a link", and nobody learns who has an account.
func (s *Service) ResetPassword(ctx context.Context, email string) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, token, err := s.accounts.CreateResetLink(ctx, tx, email)
		if errors.Is(err, accounts.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		r := recipient(*u)
		l, t := s.letterFor(r, KindPasswordReset)
		l.Subject = t.T("notify.reset.subject")
		l.Paragraphs = []string{t.T("notify.reset.intro", u.Email)}
		l.Action, l.URL = t.T("notify.reset.action"), s.passwordURL(token)
		l.After = []string{t.T("notify.reset.expiry"), t.T("notify.reset.ignore")}
		return s.write(ctx, tx, r, l)
	})
	if err != nil {
		return fmt.Errorf("notify: password reset: %w", err)
	}
	return nil
}

// Invited writes the invitation of an account created without a password
// (accounts.InviteHook), in the transaction that created its link.
func (s *Service) Invited(ctx context.Context, tx bun.IDB, u accounts.User, token string) error {
	r := recipient(u)
	l, t := s.letterFor(r, KindInvitation)
	l.Subject = t.T("notify.invite.subject")
	l.Paragraphs = []string{t.T("notify.invite.intro", u.Email)}
	l.Action, l.URL = t.T("notify.invite.action"), s.passwordURL(token)
	l.After = []string{t.T("notify.invite.expiry")}
	return s.write(ctx, tx, r, l)
}

// InvitedInBulk invites the accounts a bulk enrolment created
// (courses.AccountsHook), in its transaction.
func (s *Service) InvitedInBulk(ctx context.Context, tx bun.IDB, created []courses.NewLogin) error {
	ids := make([]int64, len(created))
	for i, n := range created {
		ids[i] = n.UserID
	}
	users, err := accounts.UsersByID(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, n := range created {
		if err := s.Invited(ctx, tx, users[n.UserID], n.PasswordToken); err != nil {
			return err
		}
	}
	return nil
}

// passwordURL is the page a one-time password token opens.
func (s *Service) passwordURL(token string) string { return s.link("/password/" + token) }

func recipient(u accounts.User) Recipient {
	return Recipient{UserID: u.ID, Email: u.Email, Name: u.Name, Locale: u.Locale}
}

// write lays a letter out and writes it into the outbox on tx.
func (s *Service) write(ctx context.Context, tx bun.IDB, r Recipient, l letter) error {
	m, err := s.compose(r, l)
	if err != nil {
		return err
	}
	_, err = s.Send(ctx, tx, m)
	return err
}
